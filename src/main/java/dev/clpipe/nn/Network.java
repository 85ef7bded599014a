package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.SpecGraph;
import dev.clpipe.nn.graph.TrainingPlan;
import java.util.List;

/**
 * A model on one device for a fixed batch size, for training: a {@link ModelSpec}'s graph
 * ({@link SpecGraph}) or any other {@link Graph} (an import, see {@link #ofGraph}) in a
 * {@link TrainingPlan} (parameters, every activation and gradient allocated once), addressed by
 * the spec's top-level layers, or for a graph by its nodes after the input. Forward and backward
 * only enqueue kernels; nothing is read back.
 */
public final class Network implements AutoCloseable {
    /** Null for a network of a graph. */
    private final ModelSpec spec;
    private final String name;
    private final TrainingPlan plan;
    /** Graph node index of each top-level layer's output. */
    private final int[] layerNodes;
    private int frozen;

    public Network(ClContext context, ModelSpec spec, int batch, long seed) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        this.spec = spec;
        this.name = spec.name();
        Graph graph = SpecGraph.untrained(spec);
        this.layerNodes = new int[spec.layers().size()];
        for (int i = 0; i < layerNodes.length; i++) layerNodes[i] = graph.indexOf(spec.layers().get(i).name());
        this.plan = new TrainingPlan(context, graph, batch, seed, false);
        try {
            initialise(seed);
        } catch (RuntimeException e) {
            plan.close();
            throw e;
        }
    }

    private Network(ClContext context, String name, Graph graph, int batch, long seed) {
        this.spec = null;
        this.name = name;
        this.layerNodes = new int[graph.nodes().size() - 1];
        for (int i = 0; i < layerNodes.length; i++) layerNodes[i] = i + 1;
        this.plan = new TrainingPlan(context, graph, batch, seed, false);
    }

    /**
     * A network of {@code graph} starting from the graph's own weights (an imported model); its
     * layers are the graph's nodes after the input. Throws IllegalArgumentException naming a node
     * the training plan cannot hold.
     */
    public static Network ofGraph(ClContext context, String name, Graph graph, int batch, long seed) {
        return new Network(context, name, graph, batch, seed);
    }

    /** Layer index a residual body layer uses for its random streams: distinct from every top-level index. */
    static int bodyIndex(int blockIndex, int layer) {
        return SpecGraph.bodyStream(blockIndex, layer);
    }

    /** First row of this network's batch within the step's whole batch (a replica of a split batch); 0 by default. */
    public void setRowOffset(int rows) {
        plan.setRowOffset(rows);
    }

    /** Writes the seed's initial values into every parameter (blocking uploads). */
    public void initialise(long seed) {
        plan.initialise(seed);
    }

    public ClContext context() {
        return plan.context();
    }

    /** The zoo model this network was built from; IllegalStateException for a network of a graph ({@link #ofGraph}). */
    public ModelSpec spec() {
        if (spec == null) throw new IllegalStateException("network " + name + " was built from a graph, not a model YAML");
        return spec;
    }

    /** The model's name (checkpoints record it). */
    public String name() {
        return name;
    }

    /** One sample's input shape. */
    public Shape inputShape() {
        return plan.graph().inputDims();
    }

    /** One sample's output shape (classes: its size). */
    public Shape outputShape() {
        return plan.graph().outputDims(0);
    }

    /** Output shape of the first {@code k} layers (the input when k is 0): what a head on top of them sees. */
    public Shape outputShapeOf(int k) {
        return plan.graph().nodes().get(nodeAfter(k) - 1).out();
    }

    /** Number of top-level layers (graph nodes after the input for a network of a graph). */
    public int layers() {
        return layerNodes.length;
    }

    /** "name (description)" of top-level layer {@code i} (error messages). */
    public String describeLayer(int i) {
        if (spec != null) return spec.layers().get(i).name() + "' (" + spec.layers().get(i).describe() + ")";
        var node = plan.graph().nodes().get(layerNodes[i]);
        return node.name() + "' (" + node.getClass().getSimpleName() + ")";
    }

    public int batch() {
        return plan.batch();
    }

    /** The training plan this network runs on. */
    public TrainingPlan plan() {
        return plan;
    }

    /** The input batch, NHWC [batch][h][w][c]; fill it before {@link #forward}. */
    public ClBuffer input() {
        return plan.input();
    }

    /** Output of the last layer, [batch][classes]. */
    public ClBuffer logits() {
        return plan.output();
    }

    /** Gradient of the loss with respect to the logits; fill it before {@link #backward}. */
    public ClBuffer logitsGradient() {
        return plan.outputGradient();
    }

    /** Output buffer of layer {@code i} (diagnostics). */
    ClBuffer activation(int i) {
        return plan.value(layerNodes[i]);
    }

    /** Gradient with respect to the input of layer {@code i} (i >= 1), after {@link #backward} (tests). */
    ClBuffer inputGradient(int i) {
        return plan.gradient(layerNodes[i - 1]);
    }

    public List<Param> params() {
        return plan.params();
    }

    /** Parameters and state of top-level layers [from, to), in order. */
    public List<Param> paramsOf(int from, int to) {
        return plan.paramsOf(nodeAfter(from), nodeAfter(to));
    }

    /** The first graph node of top-level layer {@code k} (the node after layer k - 1's output). */
    private int nodeAfter(int k) {
        return k == 0 ? 1 : layerNodes[k - 1] + 1;
    }

    /** Parameters the optimiser updates: the trainable ones of the layers after the frozen ones. */
    public List<Param> trainable() {
        return plan.trainable();
    }

    /**
     * Freezes the first {@code k} top-level layers (transfer learning): they always run in
     * evaluation mode (running batch-norm statistics, no dropout), get no gradient, and backward
     * stops above them. Set it before building an optimiser from {@link #trainable()}.
     */
    public void freeze(int k) {
        if (k < 0 || k > layerNodes.length) throw new IllegalArgumentException("cannot freeze " + k + " of " + layerNodes.length + " layers");
        plan.freeze(nodeAfter(k));
        this.frozen = k;
    }

    public int frozenLayers() {
        return frozen;
    }

    /** Runs only the frozen layers (evaluation mode); their output is {@link #frozenOutput()}. */
    public void forwardFrozen() {
        plan.forwardFrozen();
    }

    /** Output of the frozen layers, [batch][spec.outputOf(frozen - 1)] (the input when none is frozen). */
    public ClBuffer frozenOutput() {
        return plan.value(nodeAfter(frozen) - 1);
    }

    public void forward(boolean training, long step) {
        plan.forward(training, step);
    }

    /**
     * Backward from {@link #logitsGradient()} down to the first unfrozen layer; parameter gradients
     * are overwritten. Frozen layers get no gradient and no work.
     */
    public void backward(long step) {
        plan.backward(step);
    }

    /** Kernel variants of the layers that choose one (logs, benchmarks). */
    public String describeKernels() {
        return plan.describeKernels();
    }

    @Override
    public void close() {
        plan.close();
    }
}
