package dev.clpipe.face.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 1:K recognition: a gallery of known people, each enrolled with one or more embeddings
 * (one-shot: one is enough). A query is matched to the identity of its nearest enrolled
 * embedding, or reported unknown when even that one is at or beyond the threshold.
 * Searches are exact ({@link KnnSearch}), batched queries are blocked and multithreaded.
 */
public final class Gallery {
    /** The answer for one query; {@code identity} is null when unknown. */
    public record Match(String identity, double distance, int entry) {
        public boolean known() {
            return identity != null;
        }
    }

    private final Embeddings entries;
    private final List<Integer> owner = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final double threshold;
    private final KnnSearch search;

    public Gallery(int dim, double threshold) {
        this(dim, threshold, KnnSearch.defaults());
    }

    public Gallery(int dim, double threshold, KnnSearch search) {
        if (!(threshold > 0)) throw new IllegalArgumentException("recognition threshold must be > 0, got " + threshold);
        this.entries = new Embeddings(dim);
        this.threshold = threshold;
        this.search = search;
    }

    /** Enrols one more embedding for a person; returns its entry index. */
    public int enroll(String identity, float[] embedding) {
        if (identity == null || identity.isBlank()) throw new IllegalArgumentException("identity name must not be blank");
        int id = ids.computeIfAbsent(identity, k -> {
            names.add(k);
            return names.size() - 1;
        });
        int e = entries.add(embedding);
        owner.add(id);
        return e;
    }

    public int size() {
        return entries.size();
    }

    public int identities() {
        return names.size();
    }

    public double threshold() {
        return threshold;
    }

    public Match recognize(float[] query) {
        return recognizeAll(Embeddings.of(query))[0];
    }

    /** Nearest identity for each query, or unknown (null identity) at or beyond the threshold. */
    public Match[] recognizeAll(Embeddings queries) {
        requireEntries();
        Neighbors nb = search.search(queries, entries, 1, Double.POSITIVE_INFINITY);
        Match[] out = new Match[queries.size()];
        for (int q = 0; q < out.length; q++) {
            int e = nb.neighbor(q, 0);
            double d = nb.distance(q, 0);
            out[q] = new Match(d < threshold ? names.get(owner.get(e)) : null, d, e);
        }
        return out;
    }

    /**
     * The k closest distinct identities of a query, each with the distance of its nearest entry,
     * nearest first (regardless of the threshold).
     */
    public List<Match> topK(float[] query, int k) {
        requireEntries();
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        Embeddings q = Embeddings.of(query);
        int want = Math.min(k, names.size());
        for (int m = Math.min(entries.size(), 4 * k); ; m = Math.min(entries.size(), m * 4)) {
            Neighbors nb = search.search(q, entries, m, Double.POSITIVE_INFINITY);
            Map<Integer, Match> best = new LinkedHashMap<>();
            for (int r = 0; r < nb.count(0) && best.size() < want; r++) {
                int e = nb.neighbor(0, r);
                best.putIfAbsent(owner.get(e), new Match(names.get(owner.get(e)), nb.distance(0, r), e));
            }
            if (best.size() == want || m == entries.size()) return new ArrayList<>(best.values());
        }
    }

    private void requireEntries() {
        if (entries.size() == 0) throw new IllegalStateException("the gallery is empty: enroll at least one face first");
    }
}
