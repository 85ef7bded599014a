package dev.clpipe.nn;

/**
 * Optimiser hyper-parameters with PyTorch semantics: SGD (momentum, L2 weight decay added to the
 * gradient, optional Nesterov), Adam (L2) or AdamW (decoupled decay). {@code lr} is the base rate
 * a {@link LrSchedule} scales.
 */
public record OptimizerSpec(Kind kind, double lr, double momentum, double weightDecay, boolean nesterov,
                            double beta1, double beta2, double eps) {
    public enum Kind { SGD, ADAM, ADAMW }

    public OptimizerSpec {
        if (!(lr > 0)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be within [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight_decay must be >= 0, got " + weightDecay);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("nesterov needs momentum > 0");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("betas must be within [0, 1)");
        if (!(eps > 0)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
    }

    public static OptimizerSpec sgd(double lr, double momentum, double weightDecay) {
        return new OptimizerSpec(Kind.SGD, lr, momentum, weightDecay, false, 0.9, 0.999, 1e-8);
    }

    public static OptimizerSpec adam(double lr, double weightDecay) {
        return new OptimizerSpec(Kind.ADAM, lr, 0, weightDecay, false, 0.9, 0.999, 1e-8);
    }

    /** State buffers per parameter: SGD one momentum buffer (none without momentum), Adam two moments. */
    public int stateSlots() {
        return kind == Kind.SGD ? (momentum > 0 ? 1 : 0) : 2;
    }
}
