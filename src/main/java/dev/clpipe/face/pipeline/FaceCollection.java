package dev.clpipe.face.pipeline;

import dev.clpipe.face.search.Embeddings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The faces a sink stage gathers from a stream: per face its image id, index in the image,
 * source file, thumbnail path (relative to the run folder, or null) and embedding.
 */
public final class FaceCollection {
    private final List<String> images = new ArrayList<>();
    private final List<Integer> faceIndex = new ArrayList<>();
    private final List<Path> sources = new ArrayList<>();
    private final List<String> thumbnails = new ArrayList<>();
    private final List<Double> scores = new ArrayList<>();
    private Embeddings embeddings;

    public synchronized void add(String image, int face, Path source, String thumbnail, float[] embedding) {
        add(image, face, source, thumbnail, Double.NaN, embedding);
    }

    /** @param score the detector's score (NaN when unknown, 1 for given boxes) */
    public synchronized void add(String image, int face, Path source, String thumbnail, double score, float[] embedding) {
        scores.add(score);
        if (embeddings == null) embeddings = new Embeddings(embedding.length);
        embeddings.add(embedding);
        images.add(image);
        faceIndex.add(face);
        sources.add(source);
        thumbnails.add(thumbnail);
    }

    public synchronized int size() {
        return images.size();
    }

    public String image(int i) {
        return images.get(i);
    }

    public int face(int i) {
        return faceIndex.get(i);
    }

    public Path source(int i) {
        return sources.get(i);
    }

    public List<Path> sources() {
        return sources;
    }

    public double score(int i) {
        return scores.get(i);
    }

    public String thumbnail(int i) {
        return thumbnails.get(i);
    }

    /** All embeddings (dimension 128 when empty). */
    public Embeddings embeddings() {
        return embeddings == null ? new Embeddings(128) : embeddings;
    }

    /**
     * Identity of each face from its image path: the first folder of the relative path
     * (a subfolder per person); -1 for images at the top level. Names are numbered in first-seen order.
     */
    public int[] identitiesFromFolders(List<String> names) {
        int[] id = new int[size()];
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < id.length; i++) {
            String img = images.get(i);
            int slash = img.indexOf('/');
            if (slash < 0) {
                id[i] = -1;
                continue;
            }
            String person = img.substring(0, slash);
            id[i] = index.computeIfAbsent(person, p -> {
                names.add(p);
                return names.size() - 1;
            });
        }
        return id;
    }
}
