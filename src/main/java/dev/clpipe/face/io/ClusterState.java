package dev.clpipe.face.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.face.search.Embeddings;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cluster-state.jsonl}, what a face-cluster run leaves for the next one to continue from
 * ({@code previous:}): one JSON object per clustered face,
 * {@code {"image": …, "face": i, "cluster": c, "embedding": [floats]}}, cluster -1 = unclustered.
 * Reading checks every field and names file and line on a bad one.
 */
public record ClusterState(List<String> images, int[] faces, int[] clusters, Embeddings embeddings) {
    public static final String FILE = "cluster-state.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Row of each face by {@link #key}. */
    public Map<String, Integer> index() {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < size(); i++) m.put(key(images.get(i), faces[i]), i);
        return m;
    }

    public int size() {
        return images.size();
    }

    /** "image#face", the key a face keeps from run to run. */
    public static String key(String image, int face) {
        return image + "#" + face;
    }

    public void write(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < size(); i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("image", images.get(i));
                m.put("face", faces[i]);
                m.put("cluster", clusters[i]);
                m.put("embedding", embeddings.row(i));
                w.write(JSON.writeValueAsString(m));
                w.write('\n');
            }
        }
    }

    /** Reads a state file, or the one inside a run folder. */
    public static ClusterState read(Path fileOrRunFolder) throws IOException {
        Path file = Files.isDirectory(fileOrRunFolder) ? fileOrRunFolder.resolve(FILE) : fileOrRunFolder;
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no cluster state (a face-cluster run folder holds " + FILE + ")");
        List<String> images = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        Embeddings[] e = {null};
        FacesJsonl.forEachLine(file, (n, where) -> {
            if (n == null || !n.isObject()) throw new IOException(where + ": expected a JSON object");
            JsonNode image = n.get("image"), face = n.get("face"), cluster = n.get("cluster"), emb = n.get("embedding");
            if (image == null || !image.isTextual()) throw new IOException(where + ": field 'image' must be a string");
            if (face == null || !face.canConvertToInt() || face.asInt() < 0) throw new IOException(where + ": field 'face' must be an integer >= 0");
            if (cluster == null || !cluster.canConvertToInt() || cluster.asInt() < -1) throw new IOException(where + ": field 'cluster' must be an integer >= -1");
            if (emb == null || !emb.isArray() || emb.size() == 0) throw new IOException(where + ": field 'embedding' must be a non-empty array");
            float[] v = new float[emb.size()];
            for (int i = 0; i < v.length; i++) {
                if (!emb.get(i).isNumber() || !Double.isFinite(emb.get(i).asDouble())) throw new IOException(where + ": embedding[" + i + "] is not a finite number");
                v[i] = (float) emb.get(i).asDouble();
            }
            if (e[0] == null) e[0] = new Embeddings(v.length);
            if (v.length != e[0].dim()) throw new IOException(where + ": embedding has " + v.length + " values, earlier lines have " + e[0].dim());
            e[0].add(v);
            images.add(image.asText());
            ids.add(new int[] {face.asInt(), cluster.asInt()});
        });
        if (e[0] == null) throw new IOException(file + ": holds no faces");
        return new ClusterState(images, ids.stream().mapToInt(a -> a[0]).toArray(), ids.stream().mapToInt(a -> a[1]).toArray(), e[0]);
    }
}
