package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link TrainingPlan}'s steps are built from and what they leave it to close: the device,
 * batch and dropout seed, the parameters in node order (checkpoint names; gradient buffers only
 * when the plan trains weights), the buffers and ops they own, and the kernel descriptions.
 */
final class PlanParts {
    final ClContext context;
    final int batch;
    final long seed;
    /** False for a frozen plan: parameters get no gradient buffers and steps compute no weight gradients. */
    final boolean weightGradients;
    /**
     * Whether steps merge launches where the floats stay the same (ReLUs into dense GEMMs, {@link DenseReluFolds}; a
     * convolution's bias gradient inside its weight gradient's launches); false only to compare against (tests).
     */
    final boolean fuse;
    final List<Param> params = new ArrayList<>();
    /** Node index of each parameter in {@link #params}. */
    final List<Integer> paramNodes = new ArrayList<>();
    final List<String> kernels = new ArrayList<>();
    private final List<ClBuffer> owned = new ArrayList<>();
    private final List<AutoCloseable> ops = new ArrayList<>();
    private volatile int rowOffset; // set by a replica's thread, read by the queue-feeding one
    private int building;

    PlanParts(ClContext context, int batch, long seed, boolean weightGradients, boolean fuse) {
        this.context = context;
        this.batch = batch;
        this.seed = seed;
        this.weightGradients = weightGradients;
        this.fuse = fuse;
    }

    /** The node whose steps are being built (its parameters are recorded under it). */
    void building(int node) {
        this.building = node;
    }

    int rowOffset() {
        return rowOffset;
    }

    void setRowOffset(int rows) {
        this.rowOffset = rows;
    }

    /** A parameter holding {@code values}; {@code trainable} ones get a gradient buffer unless the plan is frozen. */
    Param param(String name, int[] shape, int fanIn, Param.Fill fill, boolean trainable, float[] values) {
        Param p = new Param(context, name, shape, fanIn, fill, trainable && weightGradients);
        params.add(p);
        paramNodes.add(building);
        p.value().write(context.queue(), values);
        return p;
    }

    /** A batch of activations of this shape. */
    ClBuffer allocate(Shape shape) {
        return allocate((long) batch * shape.size() * Float.BYTES);
    }

    ClBuffer allocate(long bytes) {
        ClBuffer b = context.buffer(bytes);
        owned.add(b);
        return b;
    }

    <T extends AutoCloseable> T own(T op) {
        ops.add(op);
        return op;
    }

    void close() {
        for (AutoCloseable op : ops) {
            try {
                op.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + op, e);
            }
        }
        ops.clear();
        params.forEach(Param::close);
        params.clear();
        owned.forEach(ClBuffer::close);
        owned.clear();
    }
}
