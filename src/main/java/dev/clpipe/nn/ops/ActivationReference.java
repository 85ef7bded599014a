package dev.clpipe.nn.ops;

/** Plain-Java twin of {@code activation.cl} in double precision. */
public final class ActivationReference {
    private ActivationReference() {}

    public static double[] forward(Activation.Kind kind, double slope, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            y[i] = switch (kind) {
                case RELU -> Math.max(v, 0);
                case RELU6 -> Math.min(Math.max(v, 0), 6);
                case LEAKY_RELU -> v > 0 ? v : slope * v;
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
                case HARD_SIGMOID -> Math.min(Math.max(slope * v + 0.5, 0), 1);
                case HARD_SWISH -> v * Math.min(Math.max(v / 6 + 0.5, 0), 1);
            };
        }
        return y;
    }

    public static double[] backward(Activation.Kind kind, double slope, double[] x, double[] y, double[] dy) {
        double[] dx = new double[dy.length];
        for (int i = 0; i < dy.length; i++) {
            dx[i] = switch (kind) {
                case RELU -> x[i] > 0 ? dy[i] : 0;
                case RELU6 -> x[i] > 0 && x[i] < 6 ? dy[i] : 0;
                case LEAKY_RELU -> x[i] > 0 ? dy[i] : slope * dy[i];
                case SIGMOID -> dy[i] * y[i] * (1 - y[i]);
                case TANH -> dy[i] * (1 - y[i] * y[i]);
                case HARD_SIGMOID -> slope * x[i] + 0.5 > 0 && slope * x[i] + 0.5 < 1 ? slope * dy[i] : 0;
                case HARD_SWISH -> x[i] <= -3 ? 0 : x[i] >= 3 ? dy[i] : dy[i] * (x[i] / 3 + 0.5);
            };
        }
        return dx;
    }
}
