package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Init;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Add;
import dev.clpipe.nn.ops.BatchNormNhwc;
import dev.clpipe.nn.ops.ColumnSums;
import dev.clpipe.nn.ops.Concat;
import dev.clpipe.nn.ops.Conv2d;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.Dropout;
import dev.clpipe.nn.ops.Gemm;
import dev.clpipe.nn.ops.GemmShape;
import dev.clpipe.nn.ops.OpVariant;
import dev.clpipe.nn.ops.Pool2dNhwc;
import dev.clpipe.nn.ops.SmallConv;
import dev.clpipe.nn.ops.SmallConvInputGrad;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * A {@link Graph} set up for training on one device at a fixed batch size: every activation is
 * kept for backward, parameters are device {@link Param}s named as checkpoints name them
 * ({@code node.weight}, {@code node.bias}, {@code node.running_mean}, {@code node.running_var};
 * dense weights {@code [out, in]} as in PyTorch) and start at the graph's values. Backward runs
 * the nodes in reverse through the same {@code nn.ops} entry points the forward used and sums the
 * gradients of an activation read by several nodes in the readers' order. Calls only enqueue.
 */
public final class TrainingPlan implements AutoCloseable {
    private final ClContext context;
    private final Graph graph;
    private final int batch;
    private final long seed;
    private final List<Param> params = new ArrayList<>();
    private final List<ClBuffer> owned = new ArrayList<>();
    private final List<AutoCloseable> ops = new ArrayList<>();
    private final ClBuffer[] values;
    private final ClBuffer[] gradients;
    private final Step[] steps;
    private final List<Runnable> sums = new ArrayList<>();
    private final Runnable[] gradientSums;
    private final Add add;
    /** Per node, the gradient buffers of its inputs (null: none needed); frozen readers get null for frozen inputs. */
    private final ClBuffer[][] dx;
    private final ClBuffer[][] dxAll;
    /** Node index of each parameter in {@link #params}. */
    private final List<Integer> paramNodes = new ArrayList<>();
    private final List<String> kernels = new ArrayList<>();
    private volatile int rowOffset; // set by a replica's thread, read by the queue-feeding one
    private int frozen = 1;
    private int building;

    /** One node's forward and backward; {@code dx[k]} is the gradient buffer for input k, or null when none is needed. */
    private interface Step {
        void forward(boolean training, long step);

        void backward(long step);
    }

    /**
     * @param seed seeds the dropout masks (and {@link #initialise})
     * @param inputGradient whether backward computes the gradient of the input batch ({@link #inputGradient()})
     */
    public TrainingPlan(ClContext context, Graph graph, int batch, long seed, boolean inputGradient) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (graph.outputs().size() != 1) throw new IllegalArgumentException("a training plan needs exactly one output, the graph has " + graph.outputs().size());
        this.context = context;
        this.graph = graph;
        this.batch = batch;
        this.seed = seed;
        List<Node> nodes = graph.nodes();
        int n = nodes.size();
        this.values = new ClBuffer[n];
        this.gradients = new ClBuffer[n];
        this.steps = new Step[n];
        this.gradientSums = new Runnable[n];
        this.dx = new ClBuffer[n][];
        this.dxAll = new ClBuffer[n][];
        try {
            this.add = own(new Add(context));
            for (int i = 0; i < n; i++) {
                Node node = nodes.get(i);
                values[i] = node instanceof Node.Flatten f ? values[f.input()] : allocate(node.out());
            }
            int output = graph.outputs().get(0);
            for (int i = output + 1; i < n; i++) throw new IllegalArgumentException("node " + nodes.get(i).name() + " comes after the output");
            // reverse pass: each node's gradient is its readers' contributions summed in reader order
            List<TreeMap<Integer, ClBuffer>> contributions = new ArrayList<>();
            for (int i = 0; i < n; i++) contributions.add(new TreeMap<>());
            for (int i = n - 1; i >= 0; i--) {
                Node node = nodes.get(i);
                gradients[i] = i == output ? allocate(node.out()) : combine(i, contributions.get(i));
                List<Integer> ins = node.inputs();
                dx[i] = new ClBuffer[ins.size()];
                for (int k = 0; k < ins.size(); k++) {
                    int in = ins.get(k);
                    if (in == 0 && !inputGradient) continue;
                    boolean passesDy = node instanceof Node.Flatten || node instanceof Node.Sum;
                    dx[i][k] = passesDy ? gradients[i] : allocate(nodes.get(in).out());
                    contributions.get(in).put(i * 64 + k, dx[i][k]);
                }
            }
            for (int i = 0; i < n; i++) {
                dxAll[i] = dx[i].clone();
                building = i;
                steps[i] = step(nodes.get(i), i, dx[i]);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The gradient buffer of node {@code i} from its readers' contributions (a sum when there are several). */
    private ClBuffer combine(int i, TreeMap<Integer, ClBuffer> parts) {
        if (parts.isEmpty()) return null;
        List<ClBuffer> list = new ArrayList<>(parts.values());
        if (list.size() == 1) return list.get(0);
        ClBuffer sum = allocate(graph.nodes().get(i).out());
        int count = batch * graph.nodes().get(i).out().size();
        gradientSums[i] = () -> {
            add.forward(list.get(0), list.get(1), sum, count);
            for (int k = 2; k < list.size(); k++) add.accumulate(sum, list.get(k), count);
        };
        return sum;
    }

    private Step step(Node node, int i, ClBuffer[] dx) {
        ClBuffer y = values[i], dy = gradients[i];
        if (node instanceof Node.Input) return new Step() {
            public void forward(boolean training, long step) {}

            public void backward(long step) {}
        };
        ClBuffer x = values[node.inputs().get(0)];
        if (node instanceof Node.Conv c) return conv(c, x, y, dy, dx);
        if (node instanceof Node.Dense d) return dense(d, x, y, dy, dx);
        if (node instanceof Node.Pool p) {
            Pool2dNhwc op = own(new Pool2dNhwc(context, p.mode(), p.window(), p.countPad()));
            ClBuffer argmax = allocate((long) batch * p.out().size() * Integer.BYTES);
            Shape in = p.in();
            return new Step() {
                public void forward(boolean training, long step) {
                    op.forward(x, y, argmax, batch, in.height(), in.width(), in.channels());
                }

                public void backward(long step) {
                    if (dx[0] != null) op.backward(dy, argmax, dx[0], batch, in.height(), in.width(), in.channels());
                }
            };
        }
        if (node instanceof Node.Act a) {
            Activation op = own(new Activation(context, a.kind(), a.slope()));
            int count = batch * a.out().size();
            return new Step() {
                public void forward(boolean training, long step) {
                    op.forward(x, y, count);
                }

                public void backward(long step) {
                    if (dx[0] != null) op.backward(x, y, dy, dx[0], count);
                }
            };
        }
        if (node instanceof Node.Dropout d) {
            Dropout op = own(new Dropout(context, d.p()));
            int count = batch * d.out().size(), perRow = d.out().size();
            return new Step() {
                public void forward(boolean training, long step) {
                    if (training) op.apply(x, y, seed, step << 16 | d.stream(), rowOffset * perRow, count);
                    else y.copyFrom(context.queue(), x);
                }

                public void backward(long step) {
                    // a slice of a split batch draws the mask of its rows of the whole batch
                    if (dx[0] != null) op.apply(dy, dx[0], seed, step << 16 | d.stream(), rowOffset * perRow, count);
                }
            };
        }
        if (node instanceof Node.BatchNorm b) return batchNorm(b, x, y, dy, dx);
        if (node instanceof Node.Flatten) return passive();
        if (node instanceof Node.Sum s) {
            if (s.inputs().size() != 2) throw new IllegalArgumentException(s.name() + ": training sums exactly two inputs");
            ClBuffer x1 = values[s.inputs().get(1)];
            int count = batch * s.out().size();
            return new Step() {
                public void forward(boolean training, long step) {
                    add.forward(x, x1, y, count);
                }

                public void backward(long step) {} // both inputs read dy itself
            };
        }
        if (node instanceof Node.Concat c) {
            Concat op = own(new Concat(context));
            int total = c.out().channels(), pixels = batch * c.out().pixels();
            List<ClBuffer> xs = c.inputs().stream().map(k -> values[k]).toList();
            return new Step() {
                public void forward(boolean training, long step) {
                    int offset = 0;
                    for (int k = 0; k < xs.size(); k++) {
                        op.concatPart(xs.get(k), y, c.ins().get(k).channels(), total, offset, pixels);
                        offset += c.ins().get(k).channels();
                    }
                }

                public void backward(long step) {
                    int offset = 0;
                    for (int k = 0; k < xs.size(); k++) {
                        if (dx[k] != null) op.splitPart(dy, dx[k], c.ins().get(k).channels(), total, offset, pixels);
                        offset += c.ins().get(k).channels();
                    }
                }
            };
        }
        throw new IllegalArgumentException(node.name() + ": a training plan has no " + node.getClass().getSimpleName() + " node yet");
    }

    private static Step passive() {
        return new Step() {
            public void forward(boolean training, long step) {}

            public void backward(long step) {}
        };
    }

    private Step conv(Node.Conv c, ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer[] dx) {
        int[] p = c.pads();
        boolean square = c.kernelH() == c.kernelW() && c.strideH() == c.strideW() && p[0] == p[1] && p[1] == p[2] && p[2] == p[3];
        if (c.groups() != 1 || !square) {
            throw new IllegalArgumentException(c.name() + ": training takes square, symmetric, ungrouped convolutions");
        }
        Shape in = c.in();
        int k = c.kernelH(), filters = c.out().channels(), fanIn = k * k * in.channels();
        Conv2dShape shape = Conv2dShape.input(batch, in.height(), in.width(), in.channels()).output(filters)
                .kernel(k).stride(c.strideH()).padding(p[0]).build();
        OpVariant variant = OpVariant.TRAINING_CONV;
        Conv2d conv = own(Conv2d.create(context, shape, variant));
        SmallConv small = SmallConv.applies(shape) && variant == OpVariant.AUTO ? own(new SmallConv(context, shape)) : null;
        SmallConvInputGrad smallInputGrad = SmallConvInputGrad.applies(shape) && variant == OpVariant.AUTO ? own(new SmallConvInputGrad(context, shape)) : null;
        Param weight = param(c.name() + ".weight", new int[] {k, k, in.channels(), filters}, fanIn, Param.Fill.HE_UNIFORM, true, c.weights());
        Param bias = param(c.name() + ".bias", new int[] {filters}, fanIn, Param.Fill.ZEROS, true, c.bias() != null ? c.bias() : new float[filters]);
        kernels.add(c.name() + "=" + conv.describe() + (small != null ? "+SmallConv" : "") + (smallInputGrad != null ? "+SmallInputGrad" : ""));
        return new Step() {
            public void forward(boolean training, long step) {
                if (small != null) small.forward(x, weight.value(), bias.value(), y);
                else conv.forward(x, weight.value(), bias.value(), y);
            }

            public void backward(long step) {
                if (small != null) {
                    small.backwardWeights(x, dy, weight.grad(), bias.grad());
                } else {
                    conv.backwardWeights(x, dy, weight.grad());
                    conv.backwardBias(dy, bias.grad());
                }
                if (dx[0] == null) return;
                if (smallInputGrad != null) smallInputGrad.backwardData(dy, weight.value(), dx[0]);
                else conv.backwardData(dy, weight.value(), dx[0]);
            }
        };
    }

    /** y = x W^T + b with W [out, in] (PyTorch; the graph holds [in, out]): dW = dy^T x, dx = dy W, db = column sums of dy. */
    private Step dense(Node.Dense d, ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer[] dx) {
        int in = d.in().size(), units = d.out().channels();
        Gemm gemm = own(Gemm.create(context));
        ColumnSums columnSums = own(new ColumnSums(context));
        Param weight = param(d.name() + ".weight", new int[] {units, in}, in, Param.Fill.HE_UNIFORM, true, SpecGraph.transpose(d.weights(), in, units));
        Param bias = param(d.name() + ".bias", new int[] {units}, in, Param.Fill.ZEROS, true, d.bias() != null ? d.bias() : new float[units]); // a bias-free node trains one from zero
        return new Step() {
            public void forward(boolean training, long step) {
                gemm.run(GemmShape.of(batch, units, in, false, true), x, weight.value(), y, bias.value());
            }

            public void backward(long step) {
                gemm.run(GemmShape.of(units, in, batch, true, false), dy, x, weight.grad());
                columnSums.run(dy, bias.grad(), batch, units);
                if (dx[0] != null) gemm.run(GemmShape.of(batch, in, units, false, false), dy, weight.value(), dx[0]);
            }
        };
    }

    private Step batchNorm(Node.BatchNorm b, ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer[] dx) {
        int channels = b.out().channels();
        BatchNormNhwc op = own(new BatchNormNhwc(context, batch * b.out().pixels(), channels));
        int[] shape = {channels};
        Param gamma = param(b.name() + ".weight", shape, channels, Param.Fill.ONES, true, b.gamma());
        Param beta = param(b.name() + ".bias", shape, channels, Param.Fill.ZEROS, true, b.beta());
        Param mean = param(b.name() + ".running_mean", shape, channels, Param.Fill.ZEROS, false, b.mean());
        Param var = param(b.name() + ".running_var", shape, channels, Param.Fill.ONES, false, b.var());
        return new Step() {
            public void forward(boolean training, long step) {
                if (training) op.forwardTraining(x, y, gamma.value(), beta.value(), mean.value(), var.value(), b.eps(), b.momentum());
                else op.forwardRunning(x, y, gamma.value(), beta.value(), mean.value(), var.value(), b.eps());
            }

            public void backward(long step) {
                op.backward(x, dy, gamma.value(), gamma.grad(), beta.grad(), dx[0]);
            }
        };
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
        return context;
    }

    public int batch() {
        return batch;
    }

    /** Every parameter and state tensor in node order (checkpoint names). */
    public List<Param> params() {
        return Collections.unmodifiableList(params);
    }

    /** Parameters and state of nodes [from, to), in order. */
    public List<Param> paramsOf(int from, int to) {
        List<Param> some = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) if (paramNodes.get(k) >= from && paramNodes.get(k) < to) some.add(params.get(k));
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

    /** The activation of node {@code i} after a forward (diagnostics, frozen features). */
    public ClBuffer value(int i) {
        return values[i];
    }

    /** The gradient of node {@code i}'s activation after a backward (tests); null when none is computed. */
    public ClBuffer gradient(int i) {
        return gradients[i];
    }

    /** Kernel variants of the convolutions, e.g. {@code conv1=RegisterBlocked(...)+SmallConv} (logs, benchmarks). */
    public String describeKernels() {
        return String.join(" ", kernels);
    }

    /** Writes the seed's initial values into every parameter (blocking uploads), as a fresh model starts. */
    public void initialise(long initSeed) {
        for (Param p : params) p.value().write(context.queue(), Init.values(p, initSeed));
    }

    /** First row of this plan's batch within the step's whole batch (a replica of a split batch); 0 by default. */
    public void setRowOffset(int rows) {
        if (rows < 0) throw new IllegalArgumentException("row offset must be >= 0, got " + rows);
        this.rowOffset = rows;
    }

    /** Every node in order; {@code training}: batch statistics and dropout, else running statistics and the identity. */
    public void forward(boolean training, long step) {
        for (int i = 0; i < steps.length; i++) steps[i].forward(training && i >= frozen, step);
    }

    /** Backward from {@link #outputGradient()}: parameter gradients (and the input gradient when asked) are overwritten. */
    public void backward(long step) {
        for (int i = steps.length - 1; i >= frozen; i--) {
            if (gradientSums[i] != null) gradientSums[i].run();
            if (gradients[i] != null) steps[i].backward(step);
        }
        if (frozen == 1 && gradientSums[0] != null) gradientSums[0].run(); // the input gradient
    }

    // ---- helpers ----

    private Param param(String name, int[] shape, int fanIn, Param.Fill fill, boolean trainable, float[] values) {
        Param p = new Param(context, name, shape, fanIn, fill, trainable);
        params.add(p);
        paramNodes.add(building);
        p.value().write(context.queue(), values);
        return p;
    }

    private ClBuffer allocate(Shape shape) {
        return allocate((long) batch * shape.size() * Float.BYTES);
    }

    private ClBuffer allocate(long bytes) {
        ClBuffer b = context.buffer(bytes);
        owned.add(b);
        return b;
    }

    private <T extends AutoCloseable> T own(T op) {
        ops.add(op);
        return op;
    }

    @Override
    public void close() {
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
