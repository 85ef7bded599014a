package dev.clpipe.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted XML (annotation files from the internet) into a DOM with every door closed:
 * a DOCTYPE is refused outright (OWASP's first recommendation), which stops external entities
 * (XXE: reading local files or URLs) and internal entity expansion (billion laughs) alike;
 * external DTDs and stylesheets are not loaded, XInclude is off, entity references are not
 * expanded, and the JDK's secure-processing limits are on. Errors carry file, line and column.
 */
final class SecureXml {
    private SecureXml() {
    }

    static Document parse(Path file) throws IOException {
        DocumentBuilder builder = newBuilder();
        builder.setErrorHandler(new ErrorHandler() { // throw instead of printing "[Fatal Error]" to stderr
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        builder.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entity '" + systemId + "' refused");
        });
        try (InputStream in = Files.newInputStream(file)) {
            InputSource source = new InputSource(in);
            source.setSystemId(file.toUri().toString());
            return builder.parse(source);
        } catch (SAXParseException e) {
            String why = e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                    ? "DOCTYPE refused: annotation files may not declare a DTD or entities (XXE / entity expansion)"
                    : e.getMessage();
            throw AnnotationFormatException.atLine(file, e.getLineNumber(), "column " + e.getColumnNumber() + ": " + why);
        } catch (SAXException e) {
            throw new AnnotationFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            f.setValidating(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
        }
    }
}
