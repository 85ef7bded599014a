package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Adam;
import dev.clpipe.nn.ops.Sgd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device-side parameter updates of a network's trainable parameters through the one
 * implementation in {@code nn.ops} ({@link Sgd}, {@link Adam}: {@code opencl/optim.cl}), one
 * launch per parameter. Keeps the state (moments, step count) in buffers it exposes by name, so
 * checkpoints can save and restore it exactly.
 */
public final class Optimizer implements AutoCloseable {
    private final OptimizerSpec spec;
    private final Sgd sgd;
    private final Adam adam;
    private final List<Param> params;
    private final Map<String, ClBuffer> state = new LinkedHashMap<>();
    /** One flat buffer per state slot once {@link #flatten} laid the state out flat; the state map then holds slices of them. */
    private ClBuffer[] flat;
    private long steps;

    public Optimizer(ClContext context, OptimizerSpec spec, List<Param> trainable) {
        this.spec = spec;
        boolean isSgd = spec.kind() == OptimizerSpec.Kind.SGD;
        this.sgd = isSgd ? new Sgd(context, sgdConfig(0)) : null;
        this.adam = isSgd ? null : new Adam(context, adamConfig(0));
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

    private Sgd.Config sgdConfig(double lr) {
        return new Sgd.Config((float) lr, (float) spec.momentum(), 0f, (float) spec.weightDecay(), spec.nesterov());
    }

    private Adam.Config adamConfig(double lr) {
        return new Adam.Config((float) lr, (float) spec.beta1(), (float) spec.beta2(), (float) spec.eps(), (float) spec.weightDecay(),
                spec.kind() == OptimizerSpec.Kind.ADAMW);
    }

    /** One update of every parameter from its gradient at learning rate {@code lr}; enqueued. */
    public void step(double lr) {
        step(lr, params.stream().map(Param::grad).toList());
    }

    /**
     * One update of every parameter from {@code gradients} (one per trainable parameter, in order;
     * e.g. a data-parallel replica's all-reduced sum) at learning rate {@code lr}; enqueued. SGD
     * without momentum uses the gradient buffer as its scratch.
     */
    public void step(double lr, List<ClBuffer> gradients) {
        if (gradients.size() != params.size()) throw new IllegalArgumentException(params.size() + " parameters but " + gradients.size() + " gradients");
        long t = ++steps;
        if (sgd != null) sgd.setConfig(sgdConfig(lr));
        else adam.setConfig(adamConfig(lr));
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            ClBuffer grad = gradients.get(i);
            if (sgd != null) {
                ClBuffer momentum = spec.momentum() > 0 ? state.get(stateName(p, 0)) : grad;
                sgd.step(p.value(), grad, momentum, p.size(), t == 1);
            } else {
                adam.step(p.value(), grad, state.get(stateName(p, 0)), state.get(stateName(p, 1)), p.size(), t);
            }
        }
    }

    /**
     * Lays the state out flat beside a flat layout of the parameters ({@link FlatParameters}): per
     * slot one zeroed buffer of {@code floats} floats, whose slice at {@code offsets[i]} becomes
     * parameter i's state (its values carried over), so {@link #stepFlat} updates every parameter
     * in one launch. The state map keeps its names, so checkpoints do not change.
     */
    void flatten(ClContext context, long[] offsets, long floats) {
        if (flat != null) throw new IllegalStateException("the optimiser state is flat already");
        if (offsets.length != params.size()) throw new IllegalArgumentException(params.size() + " parameters but " + offsets.length + " offsets");
        ClBuffer[] slots = new ClBuffer[spec.stateSlots()];
        for (int slot = 0; slot < slots.length; slot++) {
            slots[slot] = context.buffer(floats * Float.BYTES);
            slots[slot].fill(context.queue(), 0f);
            for (int i = 0; i < params.size(); i++) {
                Param p = params.get(i);
                ClBuffer slice = slots[slot].slice(offsets[i] * Float.BYTES, (long) p.size() * Float.BYTES);
                ClBuffer old = state.put(stateName(p, slot), slice);
                slice.copyFrom(context.queue(), old);
                context.queue().finish();
                old.close();
            }
        }
        flat = slots;
    }

    /**
     * One update of every parameter at once over the flat layout (after {@link #flatten}):
     * {@code values} and {@code gradients} hold every parameter at the flattened offsets, zeros
     * between (which stay zero). Per element the same arithmetic as {@link #step(double, List)}.
     */
    public void stepFlat(double lr, ClBuffer values, ClBuffer gradients, long floats) {
        if (flat == null) throw new IllegalStateException("flatten the optimiser state first");
        int n = Math.toIntExact(floats);
        long t = ++steps;
        if (sgd != null) {
            sgd.setConfig(sgdConfig(lr));
            sgd.step(values, gradients, spec.momentum() > 0 ? flat[0] : gradients, n, t == 1);
        } else {
            adam.setConfig(adamConfig(lr));
            adam.step(values, gradients, flat[0], flat[1], n, t);
        }
    }

    /** Enqueues device copies of {@code other}'s state (the same spec, parameters and flat layout) into this one's, and takes its step count. */
    public void copyStateFrom(dev.clpipe.cl.ClQueue queue, Optimizer other) {
        if (flat == null || other.flat == null || flat.length != other.flat.length) throw new IllegalStateException("both optimisers' state must be flat and alike");
        for (int slot = 0; slot < flat.length; slot++) flat[slot].copyFrom(queue, other.flat[slot]);
        steps = other.steps;
    }

    public List<String> stateNames() {
        return new ArrayList<>(state.keySet());
    }

    @Override
    public void close() {
        if (sgd != null) sgd.close();
        if (adam != null) adam.close();
        state.values().forEach(ClBuffer::close);
        if (flat != null) for (ClBuffer b : flat) b.close();
    }
}
