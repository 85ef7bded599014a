package dev.clpipe.nn.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.nn.io.NamedTensor;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.nn.io.TfjsWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js graph model ({@code model.json} with {@code format: graph-model}): the nodes of
 * its TensorFlow GraphDef ({@code modelTopology.node}) and its weights (the {@code weightsManifest}
 * inside the same file, read and checked by {@link TfjsWeights}). Constants are weights by name.
 * Errors name the file (and the node).
 */
public final class TfjsGraphModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_MODEL_JSON_BYTES = 64L << 20;

    /** One GraphDef node: inputs without the {@code :0} output suffix or {@code ^} control marks dropped. */
    public record Node(String name, String op, List<String> inputs, JsonNode attr) {
        /** A string attribute (GraphDef stores them base64-encoded), or null. */
        public String string(String key) {
            JsonNode a = attr.get(key);
            return a == null || !a.has("s") ? null : new String(Base64.getDecoder().decode(a.get("s").asText()), java.nio.charset.StandardCharsets.UTF_8);
        }

        /** A list-of-strings attribute, empty when absent. */
        public List<String> strings(String key) {
            List<String> out = new ArrayList<>();
            JsonNode a = attr.get(key);
            if (a != null && a.has("list") && a.get("list").has("s")) {
                for (JsonNode s : a.get("list").get("s")) out.add(new String(Base64.getDecoder().decode(s.asText()), java.nio.charset.StandardCharsets.UTF_8));
            }
            return out;
        }

        /** A list-of-ints attribute, empty when absent. */
        public int[] ints(String key) {
            JsonNode a = attr.get(key);
            if (a == null || !a.has("list") || !a.get("list").has("i")) return new int[0];
            JsonNode l = a.get("list").get("i");
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = Integer.parseInt(l.get(i).asText());
            return out;
        }

        public boolean bool(String key) {
            JsonNode a = attr.get(key);
            return a != null && a.has("b") && a.get("b").asBoolean();
        }
    }

    private final Path file;
    private final Map<String, Node> nodes;
    private final TfjsWeights weights;

    private TfjsGraphModel(Path file, Map<String, Node> nodes, TfjsWeights weights) {
        this.file = file;
        this.nodes = nodes;
        this.weights = weights;
    }

    public static TfjsGraphModel read(Path modelJson) throws TfjsFormatException {
        Path file = modelJson.toAbsolutePath().normalize();
        JsonNode root;
        try {
            long size = Files.size(file);
            if (size > MAX_MODEL_JSON_BYTES) throw new TfjsFormatException(file + ": " + size + " bytes is too big for a model.json");
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new TfjsFormatException("model file not found: " + file, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TfjsFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TfjsFormatException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.path("modelTopology").get("node");
        if (list == null || !list.isArray()) throw new TfjsFormatException(file + ": no modelTopology.node list (not a TensorFlow.js graph model)");
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (JsonNode n : list) {
            String name = n.path("name").asText(""), op = n.path("op").asText("");
            if (name.isEmpty() || op.isEmpty()) throw new TfjsFormatException(file + ": a node without name or op: " + abbreviate(n.toString()));
            List<String> inputs = new ArrayList<>();
            for (JsonNode i : n.path("input")) {
                String s = i.asText();
                if (s.startsWith("^")) continue; // control dependency: no data
                int colon = s.indexOf(':');
                if (colon >= 0) {
                    if (!s.substring(colon).equals(":0")) throw new TfjsFormatException(file + ": node '" + name + "' reads output " + s + "; only output 0 is supported");
                    s = s.substring(0, colon);
                }
                inputs.add(s);
            }
            if (nodes.put(name, new Node(name, op, List.copyOf(inputs), n.has("attr") ? n.get("attr") : JSON.createObjectNode())) != null) {
                throw new TfjsFormatException(file + ": two nodes are named '" + name + "'");
            }
        }
        return new TfjsGraphModel(file, nodes, TfjsWeights.read(file));
    }

    public Path file() {
        return file;
    }

    /** The node, or a format error naming the file. */
    public Node node(String name) throws TfjsFormatException {
        Node n = nodes.get(name);
        if (n == null) throw new TfjsFormatException(file + ": no node named '" + name + "'");
        return n;
    }

    public boolean has(String name) {
        return nodes.containsKey(name);
    }

    /** The weight tensor a Const node names, or a format error. */
    public NamedTensor constant(String name) throws TfjsFormatException {
        NamedTensor t = weights.tensors().get(name);
        if (t == null) throw new TfjsFormatException(file + ": constant '" + name + "' is not in the weights manifest");
        return t;
    }

    /** Nodes in file order (the converter writes them in dependency order; the importer does not rely on it). */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
