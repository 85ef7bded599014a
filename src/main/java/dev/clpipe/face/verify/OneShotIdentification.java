package dev.clpipe.face.verify;

import dev.clpipe.face.search.DirectDistanceKernel;
import dev.clpipe.face.search.Gallery;
import dev.clpipe.face.search.KnnSearch;
import java.util.List;

/**
 * 1-shot k-way identification: per trial, one random reference image of each of the k
 * identities is enrolled in a {@link Gallery}, and a random other image of a random identity is
 * matched to its nearest reference. Accuracy is the fraction of trials answered right (chance:
 * 1/k). Draws are counter-based like {@link VerificationPairs}.
 */
public final class OneShotIdentification {
    private static final int TRIAL_SLOT = 1 << 20;

    public record Result(int ways, int trials, double accuracy) {}

    private OneShotIdentification() {}

    public static Result run(float[] embeddings, int dim, int[] labels, int trials, long seed) {
        if (embeddings.length != labels.length * dim) {
            throw new IllegalArgumentException(embeddings.length + " embedding values for " + labels.length + " labels of dim " + dim);
        }
        if (trials < 1) throw new IllegalArgumentException("trials must be >= 1, got " + trials);
        List<int[]> classes = VerificationPairs.groups(labels);
        if (classes.size() < 2) throw new IllegalArgumentException("identification needs at least two identities, got " + classes.size());
        for (int[] g : classes) {
            if (g.length < 2) throw new IllegalArgumentException("every identity needs two images (a reference and a query); label " + labels[g[0]] + " has one");
        }
        // a k-entry gallery per trial: exact search on this thread, small tiles
        KnnSearch search = new KnnSearch(new DirectDistanceKernel(), 1, 4);
        int right = 0;
        for (int t = 0; t < trials; t++) {
            Gallery gallery = new Gallery(dim, Double.POSITIVE_INFINITY, search);
            int[] reference = new int[classes.size()];
            for (int c = 0; c < classes.size(); c++) {
                int[] g = classes.get(c);
                reference[c] = g[VerificationPairs.below(seed, TRIAL_SLOT + t, c, g.length)];
                gallery.enroll(Integer.toString(c), row(embeddings, dim, reference[c]));
            }
            int truth = VerificationPairs.below(seed, TRIAL_SLOT + t, classes.size(), classes.size());
            int[] g = classes.get(truth);
            int query = g[VerificationPairs.below(seed, TRIAL_SLOT + t, classes.size() + 1, g.length - 1)];
            if (query == reference[truth]) query = g[g.length - 1];
            if (Integer.toString(truth).equals(gallery.recognize(row(embeddings, dim, query)).identity())) right++;
        }
        return new Result(classes.size(), trials, (double) right / trials);
    }

    private static float[] row(float[] e, int dim, int i) {
        return java.util.Arrays.copyOfRange(e, i * dim, (i + 1) * dim);
    }
}
