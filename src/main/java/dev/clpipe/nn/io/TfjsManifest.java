package dev.clpipe.nn.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js weights manifest ({@code *-weights_manifest.json}, or the
 * {@code weightsManifest} member of a {@code model.json}), parsed and checked but without its
 * shard data. Format: an array of groups {@code {"paths": [shard, ...], "weights": [entry, ...]}};
 * a group's shards are concatenated in order and its entries are laid out back to back in that
 * byte stream, little-endian. An entry is {@code {"name", "shape", "dtype": "float32"|"int32",
 * "quantization"?: {"dtype": "uint8"|"uint16"|"float16", "scale", "min"}}}.
 */
public record TfjsManifest(Path file, List<Group> groups) {
    /** Manifests are small JSON files; anything bigger than this is not one. */
    static final long MAX_MANIFEST_BYTES = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    public TfjsManifest {
        groups = List.copyOf(groups);
    }

    /** One group: shard files (relative to the manifest's folder) and the entries they hold. */
    public record Group(int index, List<String> paths, List<Entry> weights) {
        public Group {
            paths = List.copyOf(paths);
            weights = List.copyOf(weights);
        }

        /** Bytes the entries occupy in the concatenated shards. */
        public long storedBytes() {
            long sum = 0;
            for (Entry e : weights) sum += e.storedBytes();
            return sum;
        }
    }

    /** The dtype a tensor has once loaded. */
    public enum Dtype {
        FLOAT32("float32", 4), INT32("int32", 4);

        final String json;
        final int bytes;

        Dtype(String json, int bytes) {
            this.json = json;
            this.bytes = bytes;
        }
    }

    /** How a quantised tensor is stored. */
    public enum QuantDtype {
        UINT8("uint8", 1), UINT16("uint16", 2), FLOAT16("float16", 2);

        final String json;
        final int bytes;

        QuantDtype(String json, int bytes) {
            this.json = json;
            this.bytes = bytes;
        }
    }

    /** Stored as {@code dtype}; for uint8/uint16, value = q * scale + min (scale and min unused for float16). */
    public record Quantization(QuantDtype dtype, double scale, double min) {}

    /** One weight: where it is stored is implied by its position in its group. */
    public record Entry(String name, int[] shape, Dtype dtype, Quantization quantization, long elements) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public int bytesPerElement() {
            return quantization == null ? dtype.bytes : quantization.dtype().bytes;
        }

        public long storedBytes() {
            return elements * bytesPerElement();
        }

        public String describe() {
            String stored = quantization == null ? dtype.json : quantization.dtype().json + "-quantised " + dtype.json;
            return "'" + name + "' " + NamedTensor.shapeString(shape) + " " + stored;
        }
    }

    /** Reads and checks a manifest: structure, dtypes, shapes, duplicate names and {@code limits}. */
    public static TfjsManifest read(Path file, TfjsLimits limits) throws TfjsFormatException {
        JsonNode root;
        try {
            long size = Files.size(file);
            if (size > MAX_MANIFEST_BYTES) {
                throw new TfjsFormatException(file + ": " + size + " bytes is too big for a weights manifest (limit "
                        + MAX_MANIFEST_BYTES + ")");
            }
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new TfjsFormatException("weights manifest not found: " + file, e);
        } catch (JsonProcessingException e) {
            throw new TfjsFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (TfjsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new TfjsFormatException("cannot read weights manifest " + file + ": " + e.getMessage(), e);
        }
        return parse(file, root, limits);
    }

    static TfjsManifest parse(Path file, JsonNode root, TfjsLimits limits) throws TfjsFormatException {
        if (root != null && root.isObject() && root.has("weightsManifest")) root = root.get("weightsManifest");
        if (root == null || !root.isArray()) {
            throw new TfjsFormatException(file + ": expected a JSON array of weight groups (or a model.json with "
                    + "'weightsManifest'), found " + kind(root));
        }
        List<Group> groups = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        int tensors = 0;
        long total = 0;
        for (int g = 0; g < root.size(); g++) {
            JsonNode group = root.get(g);
            String where = file + ": group " + g;
            if (!group.isObject()) throw new TfjsFormatException(where + ": expected an object, found " + kind(group));
            List<String> paths = new ArrayList<>();
            JsonNode pathsNode = group.get("paths");
            if (pathsNode == null || !pathsNode.isArray()) {
                throw new TfjsFormatException(where + ": 'paths' must be an array of shard file names, found " + kind(pathsNode));
            }
            for (JsonNode p : pathsNode) {
                if (!p.isTextual() || p.asText().isEmpty()) {
                    throw new TfjsFormatException(where + ": shard path must be a non-empty string, found " + p);
                }
                paths.add(p.asText());
            }
            JsonNode weightsNode = group.get("weights");
            if (weightsNode == null || !weightsNode.isArray()) {
                throw new TfjsFormatException(where + ": 'weights' must be an array, found " + kind(weightsNode));
            }
            List<Entry> entries = new ArrayList<>();
            for (int w = 0; w < weightsNode.size(); w++) {
                if (++tensors > limits.maxTensors()) {
                    throw new TfjsFormatException(file + ": more than " + limits.maxTensors() + " weight entries (limit)");
                }
                Entry e = entry(where + " weight " + w, weightsNode.get(w), limits);
                String previous = seen.putIfAbsent(e.name(), "group " + g + " weight " + w);
                if (previous != null) {
                    throw new TfjsFormatException(file + ": duplicate tensor name '" + e.name() + "' (" + previous
                            + " and group " + g + " weight " + w + ")");
                }
                total += e.elements() * 4L; // decoded as float
                if (total > limits.maxTotalBytes()) {
                    throw new TfjsFormatException(file + ": tensors up to " + e.describe() + " need " + total
                            + " bytes once decoded, more than the limit of " + limits.maxTotalBytes());
                }
                entries.add(e);
            }
            if (paths.isEmpty() && !entries.isEmpty()) {
                throw new TfjsFormatException(where + ": has " + entries.size() + " weights but no shard paths");
            }
            groups.add(new Group(g, paths, entries));
        }
        return new TfjsManifest(file, groups);
    }

    private static Entry entry(String where, JsonNode node, TfjsLimits limits) throws TfjsFormatException {
        if (node == null || !node.isObject()) throw new TfjsFormatException(where + ": expected an object, found " + kind(node));
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()) {
            throw new TfjsFormatException(where + ": 'name' must be a non-empty string, found " + kind(nameNode));
        }
        String name = nameNode.asText();
        where = where + " ('" + name + "')";
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new TfjsFormatException(where + ": 'shape' must be an array of sizes, found " + kind(shapeNode));
        }
        if (shapeNode.size() > limits.maxRank()) {
            throw new TfjsFormatException(where + ": rank " + shapeNode.size() + " is above the limit of " + limits.maxRank());
        }
        int[] shape = new int[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw new TfjsFormatException(where + ": shape " + shapeNode + " has a non-integer size " + d);
            }
            long size = d.asLong();
            if (size < 0) throw new TfjsFormatException(where + ": shape " + shapeNode + " has a negative size " + size);
            if (size > Integer.MAX_VALUE) throw new TfjsFormatException(where + ": shape " + shapeNode + " has an absurd size " + size);
            shape[i] = (int) size;
            elements *= size;
            if (elements > Integer.MAX_VALUE - 8) {
                throw new TfjsFormatException(where + ": shape " + shapeNode + " has more elements than one Java array holds");
            }
        }
        Dtype dtype = dtype(where, node.get("dtype"));
        Quantization quantization = null;
        JsonNode q = node.get("quantization");
        if (q != null && !q.isNull()) quantization = quantization(where, q, dtype);
        return new Entry(name, shape, dtype, quantization, elements);
    }

    private static Dtype dtype(String where, JsonNode node) throws TfjsFormatException {
        String text = node != null && node.isTextual() ? node.asText() : String.valueOf(node);
        for (Dtype d : Dtype.values()) if (d.json.equals(text)) return d;
        throw new TfjsFormatException(where + ": unknown or unsupported dtype " + text + " (supported: float32, int32)");
    }

    private static Quantization quantization(String where, JsonNode q, Dtype dtype) throws TfjsFormatException {
        if (!q.isObject()) throw new TfjsFormatException(where + ": 'quantization' must be an object, found " + kind(q));
        JsonNode dNode = q.get("dtype");
        String text = dNode != null && dNode.isTextual() ? dNode.asText() : String.valueOf(dNode);
        QuantDtype qd = null;
        for (QuantDtype d : QuantDtype.values()) if (d.json.equals(text)) qd = d;
        if (qd == null) {
            throw new TfjsFormatException(where + ": unknown quantization dtype " + text + " (supported: uint8, uint16, float16)");
        }
        JsonNode original = q.get("original_dtype");
        if (original != null && !original.isNull() && !dtype.json.equals(original.asText())) {
            throw new TfjsFormatException(where + ": quantization original_dtype " + original + " contradicts dtype " + dtype.json);
        }
        if (qd == QuantDtype.FLOAT16) {
            if (dtype != Dtype.FLOAT32) {
                throw new TfjsFormatException(where + ": float16 quantization is only defined for float32 weights, not " + dtype.json);
            }
            return new Quantization(qd, 1, 0);
        }
        return new Quantization(qd, number(where, q, "scale"), number(where, q, "min"));
    }

    private static double number(String where, JsonNode q, String field) throws TfjsFormatException {
        JsonNode n = q.get(field);
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new TfjsFormatException(where + ": " + q.get("dtype").asText() + " quantization needs a finite number '"
                    + field + "', found " + kind(n));
        }
        return n.asDouble();
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isNull()) return "null";
        String text = n.toString();
        return n.getNodeType().name().toLowerCase() + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
    }
}
