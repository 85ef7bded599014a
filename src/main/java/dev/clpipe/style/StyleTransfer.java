package dev.clpipe.style;

import dev.clpipe.nn.ops.Adam;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Gradient descent on the generated image's pixels: each iteration evaluates the cost and its
 * gradient ({@link StyleCost}), takes one Adam step on G and clamps G to 0..255. Calls the
 * listener with every iteration's cost (of G before that step) and the pixels at chosen iterations.
 */
public final class StyleTransfer {
    /** What the loop reports; {@code pixels} is a host copy (H x W x 3, 0..255). */
    public interface Listener {
        void cost(int iteration, StyleCost.Value value);

        void snapshot(int iteration, float[] pixels);
    }

    private final StyleCost cost;
    private final StyleOps ops;
    private final AdamSettings adam;

    public StyleTransfer(StyleCost cost, StyleOps ops, AdamSettings adam) {
        this.cost = cost;
        this.ops = ops;
        this.adam = adam;
    }

    /**
     * Runs {@code iterations} steps on {@code g} in place; snapshots at iteration 0, at every
     * {@code iterations / (snapshots - 1)}-th and at the end. Returns the final cost.
     */
    public StyleCost.Value run(Tensor g, int iterations, int snapshots, Listener listener, BooleanSupplier stop) {
        List<Integer> at = snapshotIterations(iterations, snapshots);
        try (Adam optimizer = new Adam(ops.context(), new Adam.Config((float) adam.lr(), (float) adam.beta1(), (float) adam.beta2(), 1e-8f, 0f, false));
             Adam.State state = new Adam.State(); Tensor grad = g.emptyLike()) {
            for (int t = 0; t < iterations && !stop.getAsBoolean(); t++) {
                if (at.contains(t)) listener.snapshot(t, g.toHost());
                StyleCost.Value value = cost.evaluate(g, grad);
                if (!Double.isFinite(value.total())) throw new ArithmeticException("style cost became " + value.total() + " at iteration " + t + "; lower optimizer.lr");
                listener.cost(t, value);
                optimizer.step(g, grad, state);
                ops.clampPixels(g.buffer(), 0f, 255f, g.size());
            }
            StyleCost.Value last = cost.evaluate(g, grad);
            listener.cost(iterations, last);
            listener.snapshot(iterations, g.toHost());
            return last;
        }
    }

    /**
     * The same loop with L-BFGS ({@code history} pairs) on the host: one iteration is one accepted
     * step, which may take several cost evaluations (line search). G is not clamped while
     * L-BFGS runs (a projection would break its curvature pairs); the pixels written are.
     */
    public StyleCost.Value runLbfgs(Tensor g, int iterations, int snapshots, int history, Listener listener, BooleanSupplier stop) {
        List<Integer> at = snapshotIterations(iterations, snapshots);
        float[] x = g.toHost();
        StyleCost.Value[] latest = new StyleCost.Value[1];
        try (Tensor grad = g.emptyLike()) {
            Lbfgs.Objective objective = (point, gradient) -> {
                g.write(point);
                latest[0] = cost.evaluate(g, grad);
                if (!Double.isFinite(latest[0].total())) throw new ArithmeticException("style cost became " + latest[0].total() + " during L-BFGS");
                grad.buffer().read(ops.context().queue(), gradient);
                return latest[0].total();
            };
            listener.snapshot(0, x.clone());
            listener.cost(0, cost.evaluate(g, grad));
            // The accepted step is always the last evaluation, so latest[0] is its cost.
            new Lbfgs(history).minimize(x, objective, iterations, (iteration, value, pixels) -> {
                listener.cost(iteration, latest[0]);
                if (at.contains(iteration)) listener.snapshot(iteration, pixels.clone());
                return !stop.getAsBoolean();
            });
            g.write(x);
            StyleCost.Value last = cost.evaluate(g, grad);
            ops.clampPixels(g.buffer(), 0f, 255f, g.size());
            listener.snapshot(iterations, g.toHost());
            return last;
        }
    }

    static List<Integer> snapshotIterations(int iterations, int snapshots) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < snapshots - 1; i++) at.add((int) ((long) i * iterations / Math.max(1, snapshots - 1)));
        return at;
    }
}
