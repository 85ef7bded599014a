package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Init;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.ops.Add;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link Graph} set up for training on one device at a fixed batch size: every activation is
 * kept for backward, parameters are device {@link Param}s named as checkpoints name them
 * ({@code node.weight}, {@code node.bias}, {@code node.running_mean}, {@code node.running_var};
 * dense weights {@code [out, in]} as in PyTorch) and start at the graph's values. Backward runs
 * the nodes in reverse through the same {@code nn.ops} entry points the forward used and sums the
 * gradients of an activation read by several nodes in the readers' order. Each node family's
 * forward and backward is a small step class ({@link LinearSteps}, {@link PoolSteps},
 * {@link PointwiseSteps}, {@link ChannelSteps}); a ReLU next to dense layers runs inside their GEMMs
 * ({@link DenseReluFolds}). A {@link #frozen frozen} plan gives only the
 * input gradient (style transfer's feature networks). Calls only enqueue.
 *
 * <p>A ReLU whose only reader is a max pool (conv, ReLU, pool: LeNet-5 and most CNNs) is folded
 * into the pool, which then takes the ReLU's input: relu(max(x)) == max(relu(x)) exactly, and the
 * pool's backward routes dy only where its output is above 0, as the ReLU's backward would, so
 * the results are the same floats with two launches and two passes over the large pre-pool map
 * fewer. Its activation is computed on demand by {@link #value}; its gradient is not computed
 * ({@link #gradient} gives null). ReLUs that are the output or tapped are not folded.
 */
public final class TrainingPlan implements AutoCloseable {
    private final Graph graph;
    private final PlanParts parts;
    private final ClBuffer[] values;
    private final ClBuffer[] gradients;
    private final PlanStep[] steps;
    private final Runnable[] gradientSums;
    /** Per tapped node, the buffer its extra gradient goes into ({@link #tapGradient}). */
    private final ClBuffer[] taps;
    private final Add add;
    /** Per node, the gradient buffers of its inputs (null: none needed); frozen readers get null for frozen inputs. */
    private final ClBuffer[][] dx;
    private final ClBuffer[][] dxAll;
    /** Per folded ReLU node, its own step, run only when its activation is asked for ({@link #value}); else null. */
    private final PlanStep[] onDemand;
    private final DenseReluFolds denseRelu;
    private int frozen = 1;

    /**
     * @param seed seeds the dropout masks (and {@link #initialise})
     * @param inputGradient whether backward computes the gradient of the input batch ({@link #inputGradient()})
     */
    public TrainingPlan(ClContext context, Graph graph, int batch, long seed, boolean inputGradient) {
        this(context, graph, batch, seed, inputGradient, true, Set.of(), true);
    }

    /**
     * The same plan without folding ReLUs into max pools or dense layers' GEMMs and with convolution bias gradients in
     * their own launches (the comparison the fused plan must match bit for bit).
     */
    static TrainingPlan unfolded(ClContext context, Graph graph, int batch, long seed, boolean inputGradient) {
        return new TrainingPlan(context, graph, batch, seed, inputGradient, true, Set.of(), false);
    }

    /**
     * A plan with every weight frozen that gives the input gradient (style transfer, saliency):
     * no weight-gradient buffers, evaluation mode throughout, the general convolution kernels.
     * Backward starts from {@link #outputGradient()} plus {@link #tapGradient} of each node in
     * {@code taps} (gradients of a cost on inner activations), each added after its readers' sum.
     */
    public static TrainingPlan frozen(ClContext context, Graph graph, int batch, Collection<Integer> taps) {
        return new TrainingPlan(context, graph, batch, 0, true, false, taps, true);
    }

    private TrainingPlan(ClContext context, Graph graph, int batch, long seed, boolean inputGradient, boolean weightGradients,
                         Collection<Integer> tapped, boolean fuse) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (graph.outputs().size() != 1) throw new IllegalArgumentException("a training plan needs exactly one output, the graph has " + graph.outputs().size());
        this.graph = graph;
        this.parts = new PlanParts(context, batch, seed, weightGradients, fuse);
        List<Node> nodes = graph.nodes();
        int n = nodes.size();
        this.values = new ClBuffer[n];
        this.gradients = new ClBuffer[n];
        this.steps = new PlanStep[n];
        this.gradientSums = new Runnable[n];
        this.taps = new ClBuffer[n];
        this.dx = new ClBuffer[n][];
        this.dxAll = new ClBuffer[n][];
        this.onDemand = new PlanStep[n];
        try {
            this.add = parts.own(new Add(context));
            int output = graph.outputs().get(0);
            int[] foldedInto = fuse ? ReluFolds.find(graph, tapped) : new int[n];
            this.denseRelu = fuse ? DenseReluFolds.of(graph, output, tapped, foldedInto) : DenseReluFolds.none(n);
            for (int i = 0; i < n; i++) {
                Node node = nodes.get(i);
                if (node instanceof Node.Flatten f) values[i] = values[f.input()];
                else if (denseRelu.forwardInto(i) >= 0) values[i] = values[denseRelu.forwardInto(i)];
                else values[i] = parts.allocate(node.out());
            }
            for (int i = output + 1; i < n; i++) throw new IllegalArgumentException("node " + nodes.get(i).name() + " comes after the output");
            // reverse pass: each node's gradient is its readers' contributions summed in reader order, then its tap's
            List<TreeMap<Integer, ClBuffer>> contributions = new ArrayList<>();
            for (int i = 0; i < n; i++) contributions.add(new TreeMap<>());
            for (int tap : tapped) {
                if (tap < 1 || tap >= n) throw new IllegalArgumentException("cannot tap node " + tap + " of " + n);
                if (tap != output) contributions.get(tap).put(Integer.MAX_VALUE, taps[tap] = parts.allocate(nodes.get(tap).out()));
            }
            for (int i = n - 1; i >= 0; i--) {
                Node node = nodes.get(i);
                gradients[i] = i == output ? parts.allocate(node.out()) : combine(i, contributions.get(i));
                if (i == output) taps[i] = gradients[i];
                List<Integer> ins = node.inputs();
                dx[i] = new ClBuffer[ins.size()];
                if (gradients[i] == null) continue; // nothing downstream of it reaches the cost
                for (int k = 0; k < ins.size(); k++) {
                    int in = ins.get(k);
                    if (in == 0 && !inputGradient) continue;
                    boolean passesDy = node instanceof Node.Flatten || node instanceof Node.Sum || denseRelu.gatedBackward(i);
                    dx[i][k] = passesDy ? gradients[i] : parts.allocate(nodes.get(in).out());
                    contributions.get(in).put(i * 64 + k, dx[i][k]);
                }
            }
            for (int i = 0; i < n; i++) {
                dxAll[i] = dx[i].clone();
                parts.building(i);
                if (foldedInto[i] > 0) {
                    onDemand[i] = step(nodes.get(i), i);
                    steps[i] = PlanStep.NONE;
                } else if (nodes.get(i) instanceof Node.Pool p && foldedInto[p.input()] == i) {
                    steps[i] = PoolSteps.poolAfterRelu(parts, p, buffers(p, i), buffers(nodes.get(p.input()), p.input()));
                } else {
                    steps[i] = step(nodes.get(i), i);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The gradient buffer of node {@code i} from its readers' contributions (a sum when there are several). */
    private ClBuffer combine(int i, TreeMap<Integer, ClBuffer> contributions) {
        if (contributions.isEmpty()) return null;
        List<ClBuffer> list = new ArrayList<>(contributions.values());
        if (list.size() == 1) return list.get(0);
        ClBuffer sum = parts.allocate(graph.nodes().get(i).out());
        int count = parts.batch * graph.nodes().get(i).out().size();
        gradientSums[i] = () -> {
            add.forward(list.get(0), list.get(1), sum, count);
            for (int k = 2; k < list.size(); k++) add.accumulate(sum, list.get(k), count);
        };
        return sum;
    }

    private NodeBuffers buffers(Node node, int i) {
        ClBuffer[] xs = node.inputs().stream().map(k -> values[k]).toArray(ClBuffer[]::new);
        return new NodeBuffers(xs, values[i], gradients[i], dx[i]);
    }

    private PlanStep step(Node node, int i) {
        if (node instanceof Node.Input || node instanceof Node.Flatten) return PlanStep.NONE;
        NodeBuffers b = buffers(node, i);
        if (node instanceof Node.Conv c) return LinearSteps.conv(parts, c, b);
        if (node instanceof Node.Dense d) return LinearSteps.dense(parts, d, b, denseRelu.reluOut(i), denseRelu.gatesDx(i));
        PlanStep folded = node instanceof Node.Act a ? denseRelu.reluStep(parts, i, a, b) : null;
        if (folded != null) return folded;
        if (node instanceof Node.Pool p) return PoolSteps.pool(parts, p, b);
        if (node instanceof Node.GlobalAvgPool g) return PoolSteps.globalAverage(parts, g, b);
        if (node instanceof Node.Act a) return PointwiseSteps.activation(parts, a, b);
        if (node instanceof Node.Affine a) return PointwiseSteps.affine(parts, a, b);
        if (node instanceof Node.Dropout d) return PointwiseSteps.dropout(parts, d, b);
        if (node instanceof Node.Sum s) return PointwiseSteps.sum(parts, add, s, b);
        if (node instanceof Node.BatchNorm n) return ChannelSteps.batchNorm(parts, n, b);
        if (node instanceof Node.Concat c) return ChannelSteps.concat(parts, c, b);
        if (node instanceof Node.ZeroPad z) return ChannelSteps.zeroPad(parts, z, b);
        // a softmax output trains through the loss (SoftmaxCrossEntropy takes the logits)
        throw new IllegalArgumentException(node.name() + ": a training plan has no " + node.getClass().getSimpleName()
                + " node; train on the logits before it");
    }

    // ---- running ----

    /** The input batch, NHWC; fill it before {@link #forward}. */
    public ClBuffer input() {
        return values[0];
    }

    /** The output, [batch][output size]. */
    public ClBuffer output() {
        return values[graph.outputs().get(0)];
    }

    /** Gradient of the loss with respect to the output; fill it before {@link #backward}. */
    public ClBuffer outputGradient() {
        return gradients[graph.outputs().get(0)];
    }

    /** dL/d(input) after {@link #backward}; null unless the plan was built with the input gradient. */
    public ClBuffer inputGradient() {
        return gradients[0];
    }

    public Graph graph() {
        return graph;
    }

    public ClContext context() {
        return parts.context;
    }

    public int batch() {
        return parts.batch;
    }

    /** Every parameter and state tensor in node order (checkpoint names). */
    public List<Param> params() {
        return Collections.unmodifiableList(parts.params);
    }

    /** Parameters and state of nodes [from, to), in order. */
    public List<Param> paramsOf(int from, int to) {
        List<Param> some = new ArrayList<>();
        for (int k = 0; k < parts.params.size(); k++) {
            if (parts.paramNodes.get(k) >= from && parts.paramNodes.get(k) < to) some.add(parts.params.get(k));
        }
        return Collections.unmodifiableList(some);
    }

    /** The parameters the optimiser updates: the trainable ones of the nodes after the frozen ones. */
    public List<Param> trainable() {
        return paramsOf(frozen, steps.length).stream().filter(Param::trainable).toList();
    }

    /**
     * Freezes nodes [1, nodes) (transfer learning: a backbone): they always run in evaluation mode
     * (running batch-norm statistics, no dropout), get no gradient, and backward stops above them.
     * {@code nodes} = 1 freezes nothing. Set it before building an optimiser from {@link #trainable()}.
     */
    public void freeze(int nodes) {
        if (nodes < 1 || nodes > steps.length) throw new IllegalArgumentException("cannot freeze the first " + nodes + " of " + steps.length + " nodes");
        this.frozen = nodes;
        for (int i = 0; i < steps.length; i++) {
            List<Integer> ins = graph.nodes().get(i).inputs();
            for (int k = 0; k < ins.size(); k++) dx[i][k] = i >= nodes && ins.get(k) < nodes && ins.get(k) > 0 ? null : dxAll[i][k];
        }
    }

    /** The first node that is not frozen (1 when nothing is). */
    public int frozenNodes() {
        return frozen;
    }

    /** Runs only the frozen nodes (evaluation mode); their output is {@link #value(int) value(frozenNodes() - 1)}. */
    public void forwardFrozen() {
        for (int i = 0; i < frozen; i++) steps[i].forward(false, 0);
    }

    /**
     * The activation of node {@code i} after a forward (diagnostics, frozen features); a ReLU folded
     * into its pool is computed now (enqueued) from its input, which the forward left in place.
     */
    public ClBuffer value(int i) {
        if (onDemand[i] != null) onDemand[i].forward(false, 0);
        return values[i];
    }

    /** The gradient of node {@code i}'s activation after a backward (tests); null when none is computed (a folded ReLU's). */
    public ClBuffer gradient(int i) {
        return onDemand[i] != null ? null : gradients[i];
    }

    /** Names of the ReLU nodes folded into the max pool that reads them (logs, tests). */
    public List<String> foldedRelus() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < onDemand.length; i++) if (onDemand[i] != null) names.add(graph.nodes().get(i).name());
        return names;
    }

    /** Kernel variants of the convolutions and folded dense layers, e.g. {@code conv1=RegisterBlocked(...)+SmallConv fc1=Gemm(relu out)} (logs, benchmarks). */
    public String describeKernels() {
        return String.join(" ", parts.kernels);
    }

    /** Writes the seed's initial values into every parameter (blocking uploads), as a fresh model starts. */
    public void initialise(long initSeed) {
        for (Param p : parts.params) p.value().write(parts.context.queue(), Init.values(p, initSeed));
    }

    /** First row of this plan's batch within the step's whole batch (a replica of a split batch); 0 by default. */
    public void setRowOffset(int rows) {
        if (rows < 0) throw new IllegalArgumentException("row offset must be >= 0, got " + rows);
        parts.setRowOffset(rows);
    }

    /** Every node in order; {@code training}: batch statistics and dropout, else running statistics and the identity. */
    public void forward(boolean training, long step) {
        boolean train = training && parts.weightGradients;
        for (int i = 0; i < steps.length; i++) steps[i].forward(train && i >= frozen, step);
    }

    /** Backward from {@link #outputGradient()}: parameter gradients (and the input gradient when asked) are overwritten. */
    public void backward(long step) {
        for (int i = steps.length - 1; i >= frozen; i--) {
            if (gradientSums[i] != null) gradientSums[i].run();
            if (gradients[i] != null) steps[i].backward(step);
        }
        if (frozen == 1 && gradientSums[0] != null) gradientSums[0].run(); // the input gradient
    }

    /**
     * Where the gradient of a cost on node {@code node}'s activation goes before {@link #backward}:
     * {@link #outputGradient()} for the output, else the tap buffer of a {@link #frozen} plan's tapped node.
     */
    public ClBuffer tapGradient(int node) {
        if (taps[node] == null) throw new IllegalArgumentException("node " + graph.nodes().get(node).name() + " is not tapped");
        return taps[node];
    }

    @Override
    public void close() {
        parts.close();
    }
}
