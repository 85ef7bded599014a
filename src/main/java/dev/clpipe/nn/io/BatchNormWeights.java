package dev.clpipe.nn.io;

/**
 * Inference batch norm (tf.batchNorm): y = (x - mean) / sqrt(variance + epsilon) * gamma + beta.
 * {@link #foldedScale()} and {@link #foldedShift()} give the equivalent y = x * s + t, computed
 * in double and rounded once.
 */
public record BatchNormWeights(String name, float[] gamma, float[] beta, float[] mean, float[] variance, float epsilon) {
    public BatchNormWeights {
        int n = gamma.length;
        if (beta.length != n || mean.length != n || variance.length != n) {
            throw new IllegalArgumentException("batch norm '" + name + "': gamma/beta/mean/variance lengths " + n + "/"
                    + beta.length + "/" + mean.length + "/" + variance.length + " differ");
        }
        if (!(epsilon >= 0)) throw new IllegalArgumentException("batch norm '" + name + "': epsilon must be >= 0, got " + epsilon);
    }

    public int channels() {
        return gamma.length;
    }

    /** s = gamma / sqrt(variance + epsilon). */
    public float[] foldedScale() {
        float[] s = new float[gamma.length];
        for (int c = 0; c < s.length; c++) s[c] = (float) (gamma[c] / Math.sqrt((double) variance[c] + epsilon));
        return s;
    }

    /** t = beta - mean * gamma / sqrt(variance + epsilon). */
    public float[] foldedShift() {
        float[] t = new float[gamma.length];
        for (int c = 0; c < t.length; c++) {
            t[c] = (float) (beta[c] - mean[c] * (gamma[c] / Math.sqrt((double) variance[c] + epsilon)));
        }
        return t;
    }
}
