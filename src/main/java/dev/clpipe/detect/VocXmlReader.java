package dev.clpipe.detect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * PASCAL VOC annotation files ({@code Annotations/*.xml}):
 *
 * <pre>
 * &lt;annotation&gt;
 *   &lt;filename&gt;000001.jpg&lt;/filename&gt;
 *   &lt;size&gt;&lt;width&gt;353&lt;/width&gt;&lt;height&gt;500&lt;/height&gt;&lt;depth&gt;3&lt;/depth&gt;&lt;/size&gt;
 *   &lt;object&gt;
 *     &lt;name&gt;dog&lt;/name&gt;&lt;difficult&gt;0&lt;/difficult&gt;
 *     &lt;bndbox&gt;&lt;xmin&gt;48&lt;/xmin&gt;&lt;ymin&gt;240&lt;/ymin&gt;&lt;xmax&gt;195&lt;/xmax&gt;&lt;ymax&gt;371&lt;/ymax&gt;&lt;/bndbox&gt;
 *   &lt;/object&gt;
 * &lt;/annotation&gt;
 * </pre>
 *
 * VOC corners are 1-based inclusive pixel indices; they become continuous coordinates as
 * Detectron2 does: {@code x1 = xmin - 1, y1 = ymin - 1, x2 = xmax, y2 = ymax} (so the box above is
 * 148 wide). {@code difficult = 1} objects are marked ignored for evaluation. Parsing is hardened
 * ({@link SecureXml}); errors name the file and the element path, e.g.
 * {@code annotation/object[2]/bndbox/xmin}.
 */
public final class VocXmlReader {
    private VocXmlReader() {
    }

    public static AnnotatedImage read(Path xml) throws IOException {
        Element root = SecureXml.parse(xml).getDocumentElement();
        if (!root.getTagName().equals("annotation")) {
            throw AnnotationFormatException.at(xml, root.getTagName(), "root element must be <annotation>");
        }
        Element fileName = child(root, "filename");
        String image = fileName != null ? fileName.getTextContent().strip() : xml.getFileName().toString();
        int width = 0;
        int height = 0;
        Element size = child(root, "size");
        if (size != null) {
            width = (int) number(xml, size, "annotation/size", "width");
            height = (int) number(xml, size, "annotation/size", "height");
        }
        List<Annotation> objects = new ArrayList<>();
        List<String> where = new ArrayList<>();
        int index = 0;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("object")) {
                index++;
                objects.add(object(xml, e, "annotation/object[" + index + "]"));
                where.add(xml + ": annotation/object[" + index + "]");
            }
        }
        return new AnnotatedImage(image, width, height, objects, where);
    }

    private static Annotation object(Path xml, Element o, String where) throws IOException {
        Element name = child(o, "name");
        if (name == null || name.getTextContent().isBlank()) {
            throw AnnotationFormatException.at(xml, where + "/name", "missing or empty class name");
        }
        boolean difficult = false;
        Element d = child(o, "difficult");
        if (d != null) {
            String v = d.getTextContent().strip();
            if (!v.equals("0") && !v.equals("1")) {
                throw AnnotationFormatException.at(xml, where + "/difficult", "expected 0 or 1, found '" + v + "'");
            }
            difficult = v.equals("1");
        }
        Element bb = child(o, "bndbox");
        if (bb == null) {
            throw AnnotationFormatException.at(xml, where + "/bndbox", "missing");
        }
        String at = where + "/bndbox";
        double xmin = number(xml, bb, at, "xmin");
        double ymin = number(xml, bb, at, "ymin");
        double xmax = number(xml, bb, at, "xmax");
        double ymax = number(xml, bb, at, "ymax");
        if (xmax < xmin || ymax < ymin) {
            throw AnnotationFormatException.at(xml, at, "xmax/ymax (" + xmax + ", " + ymax
                    + ") must not be below xmin/ymin (" + xmin + ", " + ymin + ")");
        }
        return new Annotation(name.getTextContent().strip(), new Box(xmin - 1, ymin - 1, xmax, ymax), difficult);
    }

    private static double number(Path xml, Element parent, String where, String tag) throws IOException {
        Element e = child(parent, tag);
        if (e == null) {
            throw AnnotationFormatException.at(xml, where + "/" + tag, "missing");
        }
        String text = e.getTextContent().strip();
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v) || v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException ex) {
            throw AnnotationFormatException.at(xml, where + "/" + tag, "expected a number >= 0, found '" + text + "'");
        }
    }

    /** First direct child element with that tag (not a descendant: {@code <part>} has its own boxes). */
    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }
}
