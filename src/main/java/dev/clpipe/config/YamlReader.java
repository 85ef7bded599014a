package dev.clpipe.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads one YAML document safely into a {@link ConfigNode} tree. Only SnakeYAML's composer is
 * used (no object construction), so no class is ever instantiated from YAML; limits on size,
 * depth and aliases stop hostile documents. Does not resolve {@code base:}.
 */
public final class YamlReader {

    private final YamlLimits limits;

    public YamlReader(YamlLimits limits) {
        this.limits = limits;
    }

    public YamlReader() {
        this(YamlLimits.DEFAULT);
    }

    /** Reads a YAML file; the file path is shown in errors as given. */
    public ConfigNode read(Path file) {
        Origin whole = Origin.ofFile(file);
        try {
            long bytes = Files.size(file);
            if (bytes > 4L * limits.maxCodePoints()) {
                throw new ConfigException(whole, "", tooLarge());
            }
            return parse(decodeUtf8(Files.readAllBytes(file), whole), file, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(whole, "", "file not found");
        } catch (IOException e) {
            throw new ConfigException(whole, "", "cannot read file: " + e.getMessage());
        }
    }

    /**
     * Parses YAML text. {@code file} may be null (e.g. a {@code --set} value); {@code source}
     * names it in errors. An empty document is an empty map only if it came from a file; for
     * text it is a null scalar.
     */
    public ConfigNode parse(String text, Path file, String source) {
        Origin whole = new Origin(source, file, 0, 0);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.codePointCount(0, text.length()) > limits.maxCodePoints()) {
            throw new ConfigException(whole, "", tooLarge());
        }
        Node root;
        try {
            LoaderOptions options = loaderOptions();
            Composer composer = new Composer(
                    new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
            root = composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            throw new ConfigException(at(e.getProblemMark(), file, source), "", syntaxMessage(e));
        } catch (YAMLException e) {
            throw new ConfigException(whole, "", limitMessage(e));
        } catch (StackOverflowError e) {
            throw new ConfigException(whole, "", "refused: YAML nested too deeply");
        }
        if (root == null) {
            return file != null ? ConfigMap.empty(Origin.at(file, 1, 1)) : new ConfigScalar(null, "", whole);
        }
        return new NodeConverter(limits, file, source).convert(root);
    }

    private LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setNestingDepthLimit(limits.maxDepth());
        options.setCodePointLimit(limits.maxCodePoints());
        options.setMergeOnCompose(false);
        options.setProcessComments(false);
        // Tags are checked (and refused with file:line:col) by NodeConverter; no object is ever
        // constructed from a tag because only the composer runs.
        options.setTagInspector(tag -> true);
        return options;
    }

    static Origin at(Mark mark, Path file, String source) {
        if (mark == null) {
            return new Origin(source, file, 0, 0);
        }
        return new Origin(source, file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
        String context = e.getContext();
        String msg = "invalid YAML: " + (context == null ? problem : context + ", " + problem);
        if (msg.contains("expected a single document")) {
            return "expected one YAML document, found several (remove the extra '---')";
        }
        return msg;
    }

    private String limitMessage(YAMLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("aliases")) {
            return "refused: more than " + limits.maxAliases() + " aliases to maps or lists"
                    + " (this looks like a 'billion laughs' alias bomb)";
        }
        if (m.contains("Nesting Depth")) {
            return "refused: maps and lists nested deeper than " + limits.maxDepth() + " levels";
        }
        if (m.contains("exceeds the limit")) {
            return tooLarge();
        }
        return "invalid YAML: " + m;
    }

    private String tooLarge() {
        return "refused: document larger than " + limits.maxCodePoints() + " characters";
    }

    private static String decodeUtf8(byte[] bytes, Origin whole) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(whole, "", "not valid UTF-8 text");
        }
    }
}
