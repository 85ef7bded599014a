package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device-side parameter updates with the {@code opencl/optim.cl} kernels ({@code sgd_step},
 * {@code adam_step}), one launch per parameter. Keeps its state (moments, step count) in buffers
 * it exposes by name, so checkpoints can save and restore it exactly.
 */
public final class Optimizer implements AutoCloseable {
    private final OptimizerSpec spec;
    private final DeviceKernels kernels;
    private final List<Param> params;
    private final Map<String, ClBuffer> state = new LinkedHashMap<>();
    private long steps;

    public Optimizer(ClContext context, OptimizerSpec spec, List<Param> trainable) {
        this.spec = spec;
        this.kernels = new DeviceKernels(context, "optim.cl");
        this.params = List.copyOf(trainable);
        for (Param p : params) {
            for (int slot = 0; slot < spec.stateSlots(); slot++) {
                ClBuffer b = context.buffer((long) p.size() * Float.BYTES);
                b.fill(context.queue(), 0f);
                state.put(stateName(p, slot), b);
            }
        }
    }

    private String stateName(Param p, int slot) {
        return "optimizer." + p.name() + (spec.kind() == OptimizerSpec.Kind.SGD ? ".momentum" : slot == 0 ? ".m" : ".v");
    }

    public OptimizerSpec spec() {
        return spec;
    }

    /** Updates taken so far (Adam's bias correction and SGD's first-step rule depend on it). */
    public long steps() {
        return steps;
    }

    public void setSteps(long steps) {
        this.steps = steps;
    }

    /** State buffers by name, in a stable order (checkpoints). */
    public Map<String, ClBuffer> state() {
        return state;
    }

    /** One update of every parameter from its gradient at learning rate {@code lr}; enqueued. */
    public void step(double lr) {
        long t = ++steps;
        for (Param p : params) {
            int n = p.size();
            ClKernel k;
            if (spec.kind() == OptimizerSpec.Kind.SGD) {
                ClBuffer buf = spec.momentum() > 0 ? state.get(stateName(p, 0)) : p.grad();
                k = kernels.kernel("sgd_step").arg(0, p.value()).arg(1, p.grad()).arg(2, buf).arg(3, (float) lr)
                        .arg(4, (float) spec.momentum()).arg(5, 0f).arg(6, (float) spec.weightDecay())
                        .arg(7, spec.nesterov() ? 1 : 0).arg(8, t == 1 ? 1 : 0).arg(9, n);
            } else {
                double bc1 = 1 - Math.pow(spec.beta1(), t), bc2 = 1 - Math.pow(spec.beta2(), t);
                k = kernels.kernel("adam_step").arg(0, p.value()).arg(1, p.grad()).arg(2, state.get(stateName(p, 0)))
                        .arg(3, state.get(stateName(p, 1))).arg(4, (float) lr).arg(5, (float) spec.beta1())
                        .arg(6, (float) spec.beta2()).arg(7, (float) spec.eps()).arg(8, (float) spec.weightDecay())
                        .arg(9, spec.kind() == OptimizerSpec.Kind.ADAMW ? 1 : 0).arg(10, (float) (lr / bc1))
                        .arg(11, (float) Math.sqrt(bc2)).arg(12, n);
            }
            kernels.launch(k, n);
        }
    }

    public List<String> stateNames() {
        return new ArrayList<>(state.keySet());
    }

    @Override
    public void close() {
        kernels.close();
        state.values().forEach(ClBuffer::close);
    }
}
