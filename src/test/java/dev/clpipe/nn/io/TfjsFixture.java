package dev.clpipe.nn.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small TensorFlow.js manifests + shards for tests: groups of weight entries whose bytes
 * are encoded here (little-endian) and split over any number of shard files.
 */
final class TfjsFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Group> groups = new ArrayList<>();

    static final class Group {
        final List<Map<String, Object>> weights = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<String> shards = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>(); // byte counts of all shards but the last
        List<String> pathsOverride;

        Group float32(String name, int[] shape, float... values) {
            ByteBuffer b = le(4 * values.length);
            for (float v : values) b.putFloat(v);
            return add(entry(name, shape, "float32", null), b.array());
        }

        Group int32(String name, int[] shape, int... values) {
            ByteBuffer b = le(4 * values.length);
            for (int v : values) b.putInt(v);
            return add(entry(name, shape, "int32", null), b.array());
        }

        /** {@code dtype} is the loaded dtype (float32 or int32); {@code q} are the raw uint8 codes. */
        Group uint8(String name, int[] shape, String dtype, double scale, double min, int... q) {
            byte[] bytes = new byte[q.length];
            for (int i = 0; i < q.length; i++) bytes[i] = (byte) q[i];
            return add(entry(name, shape, dtype, quant("uint8", scale, min)), bytes);
        }

        Group uint16(String name, int[] shape, double scale, double min, int... q) {
            ByteBuffer b = le(2 * q.length);
            for (int v : q) b.putShort((short) v);
            return add(entry(name, shape, "float32", quant("uint16", scale, min)), b.array());
        }

        Group float16(String name, int[] shape, int... halfBits) {
            ByteBuffer b = le(2 * halfBits.length);
            for (int v : halfBits) b.putShort((short) v);
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("dtype", "float16");
            return add(entry(name, shape, "float32", q), b.array());
        }

        /** An entry with arbitrary JSON fields and raw bytes. */
        Group add(Map<String, Object> entry, byte[] bytes) {
            weights.add(entry);
            data.writeBytes(bytes);
            return this;
        }

        /** Shard names; the bytes are split so shard i gets {@code sizes[i]} bytes and the last the rest. */
        Group shards(List<String> names, int... sizes) {
            shards.addAll(names);
            for (int s : sizes) this.sizes.add(s);
            return this;
        }

        /** Manifest paths that differ from the files written (e.g. path traversal). */
        Group paths(String... paths) {
            pathsOverride = List.of(paths);
            return this;
        }
    }

    Group group(String... shardNames) {
        Group g = new Group();
        g.shards(List.of(shardNames));
        groups.add(g);
        return g;
    }

    static Map<String, Object> entry(String name, int[] shape, String dtype, Map<String, Object> quantization) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("shape", shape);
        e.put("dtype", dtype);
        if (quantization != null) e.put("quantization", quantization);
        return e;
    }

    static Map<String, Object> quant(String dtype, double scale, double min) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("dtype", dtype);
        q.put("scale", scale);
        q.put("min", min);
        return q;
    }

    /** Writes {@code dir/name} and the shards next to it; returns the manifest path. */
    Path write(Path dir, String name) throws IOException {
        List<Map<String, Object>> manifest = new ArrayList<>();
        for (Group g : groups) {
            byte[] all = g.data.toByteArray();
            int at = 0;
            for (int i = 0; i < g.shards.size(); i++) {
                int len = i < g.sizes.size() ? g.sizes.get(i) : all.length - at;
                Path shard = dir.resolve(g.shards.get(i));
                Files.createDirectories(shard.getParent());
                Files.write(shard, Arrays.copyOfRange(all, at, at + len));
                at += len;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("paths", g.pathsOverride != null ? g.pathsOverride : g.shards);
            entry.put("weights", g.weights);
            manifest.add(entry);
        }
        Path file = dir.resolve(name);
        JSON.writeValue(file.toFile(), manifest);
        return file;
    }

    static int[] shape(int... dims) {
        return dims;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
