package dev.clpipe.nn.ops;

/** Plain-Java twin of {@code loss.cl} in double precision; logits are [N, C] row-major. */
public final class SoftmaxCrossEntropyReference {
    private SoftmaxCrossEntropyReference() {}

    public static double[] softmax(double[] logits, int n, int c) {
        double[] y = new double[n * c];
        for (int r = 0; r < n; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, logits[r * c + j]);
            double s = 0;
            for (int j = 0; j < c; j++) s += Math.exp(logits[r * c + j] - m);
            for (int j = 0; j < c; j++) y[r * c + j] = Math.exp(logits[r * c + j] - m) / s;
        }
        return y;
    }

    /** Mean over rows of -log softmax(logits)[label]. */
    public static double loss(double[] logits, int[] labels, int n, int c) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, logits[r * c + j]);
            double s = 0;
            for (int j = 0; j < c; j++) s += Math.exp(logits[r * c + j] - m);
            total += m + Math.log(s) - logits[r * c + labels[r]];
        }
        return total / n;
    }

    /** Gradient of {@link #loss}: (softmax - onehot) / N. */
    public static double[] dLogits(double[] logits, int[] labels, int n, int c) {
        double[] g = softmax(logits, n, c);
        for (int r = 0; r < n; r++) {
            g[r * c + labels[r]] -= 1;
            for (int j = 0; j < c; j++) g[r * c + j] /= n;
        }
        return g;
    }
}
