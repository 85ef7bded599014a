package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;

/**
 * Collapses near-duplicate faces (the same photo saved many times, burst shots) before
 * clustering: a face within {@code eps} of an earlier face maps to that face's representative
 * (so within 2 eps of it). Thousands of copies
 * would otherwise fill every k-NN row with copies of themselves (hiding real neighbours) and
 * pile up at d ~ 0 in the adaptive threshold's histogram. Greedy in input order, so the result is
 * deterministic.
 */
public final class NearDuplicates {
    /** {@code representative[i]}: index in {@code kept} of face i's representative; {@code kept}: the faces clustered. */
    public record Collapse(int[] representative, Embeddings kept, int duplicates) {
        /** Labels of the kept faces spread back to all faces. */
        public Clustering expand(Clustering ofKept) {
            int[] labels = new int[representative.length];
            for (int i = 0; i < labels.length; i++) labels[i] = ofKept.label(representative[i]);
            return new Clustering(labels, ofKept.clusters());
        }
    }

    private NearDuplicates() {}

    public static Collapse collapse(Embeddings points, double eps, KnnSearch search) {
        int n = points.size();
        int[] rep = new int[n];
        if (n == 0 || eps <= 0) {
            for (int i = 0; i < n; i++) rep[i] = i;
            return new Collapse(rep, points, 0);
        }
        Neighbors nb = n > 1 ? search.graph(points, 16, eps) : null;
        int[] owner = new int[n];
        java.util.Arrays.fill(owner, -1);
        Embeddings kept = new Embeddings(points.dim());
        int dups = 0;
        for (int i = 0; i < n; i++) {
            int found = -1;
            if (nb != null) {
                for (int r = 0; r < nb.count(i); r++) {
                    int j = nb.neighbor(i, r);
                    if (j < i) { // nearest earlier face: join its representative (so at most 2 eps away)
                        found = owner[j];
                        break;
                    }
                }
            }
            if (found < 0) {
                owner[i] = i;
                rep[i] = kept.add(points.row(i));
            } else {
                owner[i] = found;
                rep[i] = rep[found];
                dups++;
            }
        }
        return new Collapse(rep, kept, dups);
    }
}
