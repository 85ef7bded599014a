package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.BatchNormNhwc;
import dev.clpipe.nn.ops.Conv2d;
import dev.clpipe.nn.ops.ConvTranspose2d;
import dev.clpipe.nn.ops.FusedInference;
import dev.clpipe.nn.ops.GemmShape;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.Pool2dNhwc;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.nn.ops.Upsample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DeviceGraph} bound to one batch size: one device buffer per live activation (recycled
 * once its last reader has been enqueued; element-wise nodes run in place on a dying input),
 * shape-specific kernels, and the list of steps that {@link #enqueue()} issues without waiting.
 */
public final class BatchPlan implements AutoCloseable {
    /** One node's work: enqueues kernels, never waits. */
    private record Step(String name, String kind, double flops, Runnable enqueue) {
        Step(Node node, Runnable enqueue) {
            this(node.name(), node.getClass().getSimpleName(), node.flops(), enqueue);
        }
    }

    /** Wall time of one node in a {@link #profile} run. */
    public record NodeTime(String name, String kind, double millis, double flops) {}

    private final DeviceGraph net;
    private final ClContext context;
    private final int batch;
    private final BufferPool pool;
    private final ClBuffer[] values;
    private final List<Step> steps = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private ClBuffer argmax;

    BatchPlan(DeviceGraph net, int batch) {
        this.net = net;
        this.context = net.context();
        this.batch = batch;
        this.pool = new BufferPool(context);
        this.values = new ClBuffer[net.graph().nodes().size()];
        try {
            plan();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public int batch() {
        return batch;
    }

    /** Device bytes this plan's activations occupy (after recycling). */
    public long activationBytes() {
        return pool.allocatedBytes();
    }

    /** The device buffer the input batch goes into (NHWC, batch x input size floats). */
    public ClBuffer input() {
        return values[0];
    }

    /** The device buffer of output {@code k}, valid after {@link #enqueue()} (in queue order). */
    public ClBuffer output(int k) {
        return values[net.graph().outputs().get(k)];
    }

    /** Writes {@code batch} NHWC samples into {@link #input()}. */
    public void upload(float[] input) {
        long want = (long) batch * net.graph().inputDims().size();
        if (input.length != want) throw new IllegalArgumentException(input.length + " input floats; " + batch + " samples of " + net.graph().inputDims() + " need " + want);
        values[0].write(context.queue(), input);
    }

    /** Enqueues every node in order; returns without waiting. */
    public void enqueue() {
        for (Step s : steps) s.enqueue().run();
    }

    /** Blocking read of output {@code k}: batch x output size floats. */
    public float[] readOutput(int k) {
        float[] out = new float[batch * net.graph().outputDims(k).size()];
        output(k).read(context.queue(), out);
        return out;
    }

    /** Runs the graph once (on the current input) waiting after every node; wall time per node. */
    public List<NodeTime> profile() {
        List<NodeTime> times = new ArrayList<>();
        context.queue().finish();
        for (Step s : steps) {
            long t0 = System.nanoTime();
            s.enqueue().run();
            context.queue().finish();
            double ms = (System.nanoTime() - t0) / 1e6;
            times.add(new NodeTime(s.name(), s.kind(), ms, s.flops() * batch));
        }
        return times;
    }

    // ---- planning ----

    private void plan() {
        Graph g = net.graph();
        List<Node> nodes = g.nodes();
        int[] last = g.lastUses();
        long maxPoolOut = 0;
        for (Node n : nodes) if (n instanceof Node.Pool p && p.mode() == Pool2d.Mode.MAX) maxPoolOut = Math.max(maxPoolOut, (long) batch * p.out().size());
        if (maxPoolOut > 0) argmax = context.buffer(maxPoolOut * Integer.BYTES);
        for (int i = 0; i < nodes.size(); ) {
            int end = fusedEnd(nodes, last, i);
            Node node = nodes.get(end);
            values[end] = end == i ? outputBuffer(node, i, last) : pool.take((long) batch * node.out().size());
            if (end == i) addStep(node, i);
            else addFusedStep(nodes, i, end);
            Set<ClBuffer> dying = new HashSet<>();
            for (int k = i; k <= end; k++) {
                for (int in : nodes.get(k).inputs()) if (in < i && last[in] <= end) dying.add(values[in]);
            }
            if (last[end] == end) dying.add(values[end]); // nobody reads it
            else dying.remove(values[end]);            // computed in place: the buffer lives on as this node's
            dying.forEach(pool::give);
            i = end + 1;
        }
    }

    // ---- fusion: max pool + activation (fused.cl), ReLU + max pool (pool.cl); GraphReference stays unfused ----

    /**
     * {@code i + 1} when node i is a square max pool whose only reader is an increasing activation, or a
     * ReLU whose only reader is a max pool (folded in as training plans fold it, {@link ReluFolds}), else {@code i}.
     */
    private static int fusedEnd(List<Node> nodes, int[] last, int i) {
        if (i + 1 < nodes.size() && reluIntoMaxPool(nodes.get(i), nodes.get(i + 1), i) && last[i] == i + 1) return i + 1;
        if (i + 1 >= nodes.size() || !(nodes.get(i) instanceof Node.Pool pool) || pool.mode() != Pool2d.Mode.MAX) return i;
        PoolWindow w = pool.window();
        if (w.kernelH() != w.kernelW() || w.strideH() != w.strideW()) return i;
        boolean act = nodes.get(i + 1) instanceof Node.Act a && a.input() == i && last[i] == i + 1 && slopeOf(a) >= 0;
        return act ? i + 1 : i;
    }

    private static boolean reluIntoMaxPool(Node node, Node next, int i) {
        return node instanceof Node.Act a && a.kind() == Activation.Kind.RELU && next instanceof Node.Pool p
                && p.mode() == Pool2d.Mode.MAX && p.input() == i;
    }

    /** The activation as v > 0 ? v : slope * v, or -1 when it is not of that form. */
    private static float slopeOf(Node.Act a) {
        return switch (a.kind()) {
            case RELU -> 0f;
            case LEAKY_RELU -> a.slope() >= 0 && a.slope() <= 1 ? a.slope() : -1f;
            default -> -1f;
        };
    }

    private void addFusedStep(List<Node> nodes, int from, int end) {
        if (nodes.get(from) instanceof Node.Act relu) {
            Node.Pool p = (Node.Pool) nodes.get(end);
            Pool2dNhwc op = own(new Pool2dNhwc(context, Pool2d.Mode.MAX, p.window(), false, true));
            ClBuffer x = values[relu.input()], y = values[end];
            Shape in = p.in();
            steps.add(new Step(relu.name() + "+" + p.name(), "Fused", 0, () -> op.forward(x, y, argmax, batch, in.height(), in.width(), in.channels())));
            return;
        }
        Node.Pool pool = (Node.Pool) nodes.get(from);
        Node.Act act = (Node.Act) nodes.get(end);
        float slope = slopeOf(act);
        ClBuffer x = values[pool.input()], y = values[end];
        Shape in = pool.in();
        FusedInference fused = net.fused;
        steps.add(new Step(pool.name() + "+" + act.name(), "Fused", 0,
                () -> fused.maxPoolAct(x, y, batch, in.height(), in.width(), in.channels(), pool.window(), slope)));
    }

    /** In place on the first input when that input dies here and the node is element-wise. */
    private ClBuffer outputBuffer(Node node, int i, int[] last) {
        boolean elementWise = node instanceof Node.Act || node instanceof Node.Affine || node instanceof Node.Sum
                || node instanceof Node.Dropout || node instanceof Node.Flatten;
        if (elementWise) {
            int first = node.inputs().get(0);
            boolean once = node.inputs().stream().filter(k -> k == first).count() == 1;
            if (last[first] == i && once) return values[first];
        }
        return pool.take((long) batch * node.out().size());
    }

    private void addStep(Node node, int i) {
        ClBuffer y = values[i];
        if (node instanceof Node.Input) {
            return;
        } else if (node instanceof Node.Conv c) {
            Conv2d conv = own(Conv2d.create(context, GraphReference.convShape(c, batch)));
            ClBuffer x = values[c.input()];
            ClBuffer[] w = net.weights(i);
            steps.add(new Step(node, () -> conv.forward(x, w[0], w[1], y)));
        } else if (node instanceof Node.ConvTranspose t) {
            ConvTranspose2d op = own(new ConvTranspose2d(context, t.window()));
            ClBuffer x = values[t.input()];
            ClBuffer[] w = net.weights(i);
            Shape in = t.in();
            steps.add(new Step(node, () -> op.forward(x, w[0], w[1], y, batch, in.height(), in.width(), in.channels(), t.out().channels())));
        } else if (node instanceof Node.Resize r) {
            Upsample op = own(new Upsample(context, r.mode(), r.out().height(), r.out().width()));
            ClBuffer x = values[r.input()];
            Shape in = r.in();
            steps.add(new Step(node, () -> op.forwardNhwc(x, y, batch, in.height(), in.width(), in.channels(), r.stepH(), r.stepW())));
        } else if (node instanceof Node.Affine a) {
            ClBuffer x = values[a.input()];
            ClBuffer[] w = net.weights(i);
            int pixels = batch * a.out().pixels();
            steps.add(new Step(node, () -> net.affine.forward(x, y, w[0], w[1], w[2], a.out().channels(), pixels)));
        } else if (node instanceof Node.Act a) {
            var op = net.activation(a.kind(), a.slope());
            ClBuffer x = values[a.input()];
            int n = batch * a.out().size();
            steps.add(new Step(node, () -> op.forward(x, y, n)));
        } else if (node instanceof Node.Pool p) {
            Pool2dNhwc op = own(new Pool2dNhwc(context, p.mode(), p.window(), p.countPad()));
            ClBuffer x = values[p.input()];
            steps.add(new Step(node, () -> op.forward(x, y, argmax, batch, p.in().height(), p.in().width(), p.in().channels())));
        } else if (node instanceof Node.BatchNorm b) {
            BatchNormNhwc op = own(new BatchNormNhwc(context, batch * b.out().pixels(), b.out().channels()));
            ClBuffer x = values[b.input()];
            ClBuffer[] w = net.weights(i);
            steps.add(new Step(node, () -> op.forwardRunning(x, y, w[0], w[1], w[2], w[3], b.eps())));
        } else if (node instanceof Node.Dropout || node instanceof Node.Flatten) {
            ClBuffer x = values[node.inputs().get(0)];
            long bytes = (long) batch * node.out().size() * Float.BYTES;
            if (x != y) steps.add(new Step(node, () -> y.copyFrom(context.queue(), x, bytes))); // in place: nothing to do
        } else if (node instanceof Node.Sum s) {
            List<ClBuffer> xs = new ArrayList<>();
            for (int in : s.inputs()) xs.add(values[in]);
            int n = batch * s.out().size();
            steps.add(new Step(node, () -> {
                net.add.forward(xs.get(0), xs.get(1), y, n);
                for (int k = 2; k < xs.size(); k++) net.add.forward(y, xs.get(k), y, n);
            }));
        } else if (node instanceof Node.Dense d) {
            ClBuffer x = values[d.input()];
            ClBuffer[] w = net.weights(i);
            GemmShape shape = GemmShape.of(batch, d.out().channels(), d.in().size(), false, false);
            steps.add(new Step(node, () -> net.gemm.run(shape, x, w[0], y, w[1])));
        } else if (node instanceof Node.GlobalAvgPool g) {
            Shape in = g.in();
            Pool2dNhwc op = own(new Pool2dNhwc(context, Pool2d.Mode.AVERAGE, new PoolWindow(in.height(), in.width(), 1, 1, 0, 0, 0, 0), false));
            ClBuffer x = values[g.input()];
            steps.add(new Step(node, () -> op.forward(x, y, null, batch, in.height(), in.width(), in.channels())));
        } else if (node instanceof Node.Concat c) {
            List<ClBuffer> xs = new ArrayList<>();
            for (int in : c.inputs()) xs.add(values[in]);
            int total = c.out().channels(), pixels = batch * c.out().pixels();
            steps.add(new Step(node, () -> {
                int offset = 0;
                for (int k = 0; k < xs.size(); k++) {
                    int part = c.ins().get(k).channels();
                    net.concat.concatPart(xs.get(k), y, part, total, offset, pixels);
                    offset += part;
                }
            }));
        } else if (node instanceof Node.Softmax s) {
            ClBuffer x = values[s.input()];
            int rows = batch * s.out().pixels(), classes = s.out().channels();
            steps.add(new Step(node, () -> net.softmax.softmax(x, y, rows, classes)));
        } else if (node instanceof Node.ZeroPad z) {
            ClBuffer x = values[z.input()];
            Shape in = z.in();
            steps.add(new Step(node, () -> net.zeroPad.forward(x, y, batch, in.height(), in.width(), in.channels(), z.pads())));
        } else {
            throw new IllegalArgumentException("unknown node " + node);
        }
    }

    private <T extends AutoCloseable> T own(T op) {
        owned.add(op);
        return op;
    }

    /** Per-node wall times summed by node kind, for reports. */
    public static Map<String, Double> millisByKind(List<NodeTime> times) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (NodeTime t : times) out.merge(t.kind(), t.millis(), Double::sum);
        return out;
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
        owned.clear();
        pool.close();
        if (argmax != null) argmax.close();
    }
}
