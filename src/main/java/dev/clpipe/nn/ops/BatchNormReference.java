package dev.clpipe.nn.ops;

/** Plain-Java twin of {@code batchnorm.cl} in double precision; x is NCHW. */
public final class BatchNormReference {
    private BatchNormReference() {}

    /** Batch mean and biased variance per channel: {mean[C], var[C]}. */
    public static double[][] stats(double[] x, int n, int c, int hw) {
        double[] mean = new double[c], var = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int b = 0; b < n; b++) for (int k = 0; k < hw; k++) s += x[(b * c + ch) * hw + k];
            mean[ch] = s / m;
            double q = 0;
            for (int b = 0; b < n; b++) for (int k = 0; k < hw; k++) { double d = x[(b * c + ch) * hw + k] - mean[ch]; q += d * d; }
            var[ch] = q / m;
        }
        return new double[][] {mean, var};
    }

    public static double[] forwardTraining(double[] x, double[] gamma, double[] beta, int n, int c, int hw, double eps) {
        double[][] st = stats(x, n, c, hw);
        double[] invStd = new double[c];
        for (int ch = 0; ch < c; ch++) invStd[ch] = 1 / Math.sqrt(st[1][ch] + eps);
        return apply(x, st[0], invStd, gamma, beta, c, hw);
    }

    /** Running statistics after one training step (momentum as in PyTorch; running var unbiased). */
    public static void updateRunning(double[] x, int n, int c, int hw, double momentum, double[] runMean, double[] runVar) {
        double[][] st = stats(x, n, c, hw);
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            runMean[ch] = (1 - momentum) * runMean[ch] + momentum * st[0][ch];
            runVar[ch] = (1 - momentum) * runVar[ch] + momentum * (m > 1 ? st[1][ch] * m / (m - 1) : st[1][ch]);
        }
    }

    public static double[] forwardInference(double[] x, double[] gamma, double[] beta, double[] runMean, double[] runVar, int c, int hw, double eps) {
        double[] invStd = new double[c];
        for (int ch = 0; ch < c; ch++) invStd[ch] = 1 / Math.sqrt(runVar[ch] + eps);
        return apply(x, runMean, invStd, gamma, beta, c, hw);
    }

    /** {dx, dGamma, dBeta} of a training-mode forward. */
    public static double[][] backward(double[] x, double[] dy, double[] gamma, int n, int c, int hw, double eps) {
        double[][] st = stats(x, n, c, hw);
        int m = n * hw;
        double[] dx = new double[x.length], dGamma = new double[c], dBeta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double is = 1 / Math.sqrt(st[1][ch] + eps);
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < hw; k++) {
                    int i = (b * c + ch) * hw + k;
                    dBeta[ch] += dy[i];
                    dGamma[ch] += dy[i] * (x[i] - st[0][ch]) * is;
                }
            }
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < hw; k++) {
                    int i = (b * c + ch) * hw + k;
                    double xhat = (x[i] - st[0][ch]) * is;
                    dx[i] = gamma[ch] * is / m * (m * dy[i] - dBeta[ch] - xhat * dGamma[ch]);
                }
            }
        }
        return new double[][] {dx, dGamma, dBeta};
    }

    private static double[] apply(double[] x, double[] mean, double[] invStd, double[] gamma, double[] beta, int c, int hw) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / hw) % c;
            y[i] = (x[i] - mean[ch]) * invStd[ch] * gamma[ch] + beta[ch];
        }
        return y;
    }
}
