package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link ModelSpec} instantiated on one device for a fixed batch size: its layers, their
 * parameters and one activation and one gradient buffer per layer boundary, all allocated once.
 * Forward and backward only enqueue kernels; nothing is read back.
 */
public final class Network implements AutoCloseable {
    private final ClContext context;
    private final ModelSpec spec;
    private final int batch;
    private final List<Layer> layers = new ArrayList<>();
    private final List<ClBuffer> owned = new ArrayList<>();
    private final ClBuffer[] activations;
    private final ClBuffer[] gradients;
    private int frozen;

    private final RowOffset rowOffset = new RowOffset();

    public Network(ClContext context, ModelSpec spec, int batch, long seed) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        this.context = context;
        this.spec = spec;
        this.batch = batch;
        int n = spec.layers().size();
        this.activations = new ClBuffer[n + 1];
        this.gradients = new ClBuffer[n + 1];
        activations[0] = allocate(spec.input());
        for (int i = 0; i < n; i++) {
            Layer layer = create(spec.layers().get(i), spec.inputOf(i), spec.outputOf(i), seed, i);
            layers.add(layer);
            activations[i + 1] = layer.passThrough() ? activations[i] : allocate(spec.outputOf(i));
        }
        gradients[n] = allocate(spec.output());
        for (int i = n - 1; i >= 1; i--) {
            gradients[i] = layers.get(i).passThrough() ? gradients[i + 1] : allocate(spec.inputOf(i));
        }
        initialise(seed);
    }

    private Layer create(LayerSpec l, Shape in, Shape out, long seed, int index) {
        if (l instanceof LayerSpec.Conv c) return new ConvLayer(context, c, in, batch);
        if (l instanceof LayerSpec.Pool p) return new PoolLayer(context, p, in, out, batch);
        if (l instanceof LayerSpec.Dense d) return new DenseLayer(context, d, in, batch);
        if (l instanceof LayerSpec.Act a) return new ActivationLayer(context, a, in, batch);
        if (l instanceof LayerSpec.Flatten f) return new FlattenLayer(f);
        if (l instanceof LayerSpec.Dropout d) return new DropoutLayer(context, d, in, batch, seed, index, rowOffset);
        if (l instanceof LayerSpec.BatchNorm b) return new BatchNormLayer(context, b, in, batch);
        if (l instanceof LayerSpec.Residual r) {
            // body layer j of top-level layer `index` draws dropout masks from stream index (index + 1) * 256 + j
            return new ResidualLayer(context, r, in, batch, (j, bodySpec, bodyIn, bodyOut) -> create(bodySpec, bodyIn, bodyOut, seed, bodyIndex(index, j)));
        }
        if (l instanceof LayerSpec.Concat c) {
            // layer j of branch b draws dropout masks from stream bodyIndex(index, 32 * b + j)
            return new ConcatLayer(context, c, in, out, batch,
                    b -> (j, branchSpec, branchIn, branchOut) -> create(branchSpec, branchIn, branchOut, seed, bodyIndex(index, 32 * b + j)));
        }
        throw new IllegalArgumentException("no device layer for " + l);
    }

    /** Layer index a residual body layer uses for its random streams: distinct from every top-level index. */
    static int bodyIndex(int blockIndex, int layer) {
        return (blockIndex + 1) * 256 + layer;
    }

    private ClBuffer allocate(Shape shape) {
        ClBuffer b = context.buffer((long) batch * shape.size() * Float.BYTES);
        owned.add(b);
        return b;
    }

    /** First row of this network's batch within the step's whole batch (a replica of a split batch); 0 by default. */
    public void setRowOffset(int rows) {
        rowOffset.set(rows);
    }

    /** Writes the seed's initial values into every parameter (blocking uploads). */
    public void initialise(long seed) {
        for (Param p : params()) p.value().write(context.queue(), Init.values(p, seed));
    }

    public ClContext context() {
        return context;
    }

    public ModelSpec spec() {
        return spec;
    }

    public int batch() {
        return batch;
    }

    /** The input batch, NHWC [batch][h][w][c]; fill it before {@link #forward}. */
    public ClBuffer input() {
        return activations[0];
    }

    /** Output of the last layer, [batch][classes]. */
    public ClBuffer logits() {
        return activations[layers.size()];
    }

    /** Gradient of the loss with respect to the logits; fill it before {@link #backward}. */
    public ClBuffer logitsGradient() {
        return gradients[layers.size()];
    }

    /** Output buffer of layer {@code i} (diagnostics). */
    ClBuffer activation(int i) {
        return activations[i + 1];
    }

    /** Gradient with respect to the input of layer {@code i} (i >= 1), after {@link #backward} (tests). */
    ClBuffer inputGradient(int i) {
        return gradients[i];
    }

    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Layer l : layers) all.addAll(l.params());
        return Collections.unmodifiableList(all);
    }

    /** Parameters and state of top-level layers [from, to), in order. */
    public List<Param> paramsOf(int from, int to) {
        List<Param> some = new ArrayList<>();
        for (int i = from; i < to; i++) some.addAll(layers.get(i).params());
        return Collections.unmodifiableList(some);
    }

    /** Parameters the optimiser updates: the trainable ones of the layers after the frozen ones. */
    public List<Param> trainable() {
        return paramsOf(frozen, layers.size()).stream().filter(Param::trainable).toList();
    }

    /**
     * Freezes the first {@code k} top-level layers (transfer learning): they always run in
     * evaluation mode (running batch-norm statistics, no dropout), get no gradient, and backward
     * stops above them. Set it before building an optimiser from {@link #trainable()}.
     */
    public void freeze(int k) {
        if (k < 0 || k > layers.size()) throw new IllegalArgumentException("cannot freeze " + k + " of " + layers.size() + " layers");
        this.frozen = k;
    }

    public int frozenLayers() {
        return frozen;
    }

    /** Runs only the frozen layers (evaluation mode); their output is {@link #frozenOutput()}. */
    public void forwardFrozen() {
        for (int i = 0; i < frozen; i++) layers.get(i).forward(activations[i], activations[i + 1], false, 0);
    }

    /** Output of the frozen layers, [batch][spec.outputOf(frozen - 1)] (the input when none is frozen). */
    public ClBuffer frozenOutput() {
        return activations[frozen];
    }

    public void forward(boolean training, long step) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).forward(activations[i], activations[i + 1], training && i >= frozen, step);
    }

    /**
     * Backward from {@link #logitsGradient()} down to the first unfrozen layer; parameter gradients
     * are overwritten. Frozen layers get no gradient and no work.
     */
    public void backward(long step) {
        for (int i = layers.size() - 1; i >= frozen; i--) {
            layers.get(i).backward(activations[i], activations[i + 1], gradients[i + 1], i == frozen ? null : gradients[i], step);
        }
    }

    /** Kernel variants of the layers that choose one (logs, benchmarks). */
    public String describeKernels() {
        StringBuilder out = new StringBuilder();
        for (Layer l : layers) {
            if (l instanceof ConvLayer c) out.append(l.spec().name()).append('=').append(c.describeKernels()).append(' ');
        }
        return out.toString().trim();
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
        owned.forEach(ClBuffer::close);
    }
}
