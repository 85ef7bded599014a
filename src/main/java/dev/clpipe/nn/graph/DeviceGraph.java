package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Add;
import dev.clpipe.nn.ops.ChannelAffine;
import dev.clpipe.nn.ops.Concat;
import dev.clpipe.nn.ops.FusedInference;
import dev.clpipe.nn.ops.Gemm;
import dev.clpipe.nn.ops.SoftmaxCrossEntropy;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Graph} on one OpenCL device. Weights are uploaded once; each batch size gets a
 * {@link BatchPlan} (activation buffers and shape-specific kernels) on first use, kept and reused.
 * {@link #run} uploads a batch, enqueues every node without waiting and reads the outputs.
 * Not thread-safe: one instance per thread (the context's queue is shared, in order).
 *
 * <pre>{@code
 * try (DeviceGraph net = new DeviceGraph(context, graph)) {
 *     float[][] out = net.run(nhwcBatch, 8);      // out[k]: output k of the 8 samples, NHWC
 * }
 * }</pre>
 */
public final class DeviceGraph implements AutoCloseable {
    private final ClContext context;
    private final Graph graph;
    private final Map<Integer, ClBuffer[]> weights = new HashMap<>();
    private final Map<Integer, BatchPlan> plans = new LinkedHashMap<>();
    private final Map<String, Activation> activations = new HashMap<>();
    final Add add;
    final ChannelAffine affine;
    final ZeroPadNhwc zeroPad;
    final Gemm gemm;
    final FusedInference fused;
    final Concat concat;
    final SoftmaxCrossEntropy softmax;

    public DeviceGraph(ClContext context, Graph graph) {
        this.context = context;
        this.graph = graph;
        this.add = new Add(context);
        this.affine = new ChannelAffine(context);
        this.zeroPad = new ZeroPadNhwc(context);
        this.gemm = Gemm.create(context);
        this.fused = new FusedInference(context);
        this.concat = new Concat(context);
        this.softmax = new SoftmaxCrossEntropy(context);
        try {
            upload();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void upload() {
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n instanceof Node.Conv c) weights.put(i, buffers(c.weights(), c.bias()));
            else if (n instanceof Node.ConvTranspose t) weights.put(i, buffers(t.weights(), t.bias()));
            else if (n instanceof Node.Dense d) weights.put(i, buffers(d.weights(), d.bias()));
            else if (n instanceof Node.Affine a) weights.put(i, buffers(a.sub(), a.mul(), a.add()));
            else if (n instanceof Node.BatchNorm b) weights.put(i, buffers(b.gamma(), b.beta(), b.mean(), b.var()));
        }
    }

    private ClBuffer[] buffers(float[]... arrays) {
        ClBuffer[] out = new ClBuffer[arrays.length];
        for (int k = 0; k < arrays.length; k++) out[k] = arrays[k] == null ? null : context.buffer(arrays[k]);
        return out;
    }

    public Graph graph() {
        return graph;
    }

    public ClContext context() {
        return context;
    }

    /** The plan for {@code batch} samples, created on first use and cached. */
    public BatchPlan plan(int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        BatchPlan plan = plans.get(batch);
        if (plan == null) {
            plan = new BatchPlan(this, batch);
            plans.put(batch, plan);
        }
        return plan;
    }

    /** Outputs for {@code batch} NHWC samples (length batch * input size), in {@link Graph#outputs()} order. */
    public float[][] run(float[] input, int batch) {
        BatchPlan plan = plan(batch);
        plan.upload(input);
        plan.enqueue();
        float[][] out = new float[graph.outputs().size()][];
        for (int k = 0; k < out.length; k++) out[k] = plan.readOutput(k);
        return out;
    }

    /** Frees the buffers of every batch size except the given ones (e.g. after a one-off size). */
    public void keepPlans(List<Integer> batches) {
        List<Integer> drop = new ArrayList<>();
        for (int b : plans.keySet()) if (!batches.contains(b)) drop.add(b);
        if (!drop.isEmpty()) context.queue().finish();
        for (int b : drop) plans.remove(b).close();
    }

    ClBuffer[] weights(int node) {
        return weights.get(node);
    }

    Activation activation(Activation.Kind kind, float slope) {
        return activations.computeIfAbsent(kind + "/" + slope, k -> new Activation(context, kind, slope));
    }

    @Override
    public void close() {
        plans.values().forEach(BatchPlan::close);
        plans.clear();
        for (ClBuffer[] bs : weights.values()) for (ClBuffer b : bs) if (b != null) b.close();
        weights.clear();
        activations.values().forEach(Activation::close);
        add.close();
        affine.close();
        zeroPad.close();
        gemm.close();
        fused.close();
        concat.close();
        softmax.close();
    }
}
