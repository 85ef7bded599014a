package dev.clpipe.nn.ops;

/** Plain-Java twins of {@code optim.cl} in double precision, updating arrays in place. */
public final class OptimizerReference {
    private OptimizerReference() {}

    /** One SGD step; {@code buf} is the momentum buffer, {@code first} true on the first step. */
    public static void sgd(double[] p, double[] g, double[] buf, Sgd.Config c, boolean first) {
        for (int i = 0; i < p.length; i++) {
            double d = g[i] + c.weightDecay() * p[i];
            if (c.momentum() != 0) {
                buf[i] = first ? d : c.momentum() * buf[i] + (1 - c.dampening()) * d;
                d = c.nesterov() ? d + c.momentum() * buf[i] : buf[i];
            }
            p[i] -= c.lr() * d;
        }
    }

    /** One Adam/AdamW step number {@code t} (1-based). */
    public static void adam(double[] p, double[] g, double[] m, double[] v, Adam.Config c, long t) {
        double bc1 = 1 - Math.pow(c.beta1(), t), bc2 = 1 - Math.pow(c.beta2(), t);
        for (int i = 0; i < p.length; i++) {
            double grad = g[i];
            if (c.decoupled()) p[i] *= 1 - (double) c.lr() * c.weightDecay();
            else grad += c.weightDecay() * p[i];
            m[i] = c.beta1() * m[i] + (1 - c.beta1()) * grad;
            v[i] = c.beta2() * v[i] + (1 - c.beta2()) * grad * grad;
            p[i] -= c.lr() / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + c.eps());
        }
    }
}
