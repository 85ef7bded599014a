package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.graph.BatchPlan;
import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.nn.onnx.OnnxNetwork;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code clpipe bench onnx --model A.onnx[,B.onnx]}: inference of imported ONNX models on the
 * device, batches of 8 and 32 (8 with --quick), random NCHW input: ms per batch (best of 3 timed
 * runs of 3 batches after a warm-up) and GFLOP/s of the convolutions and dense layers. The anchor
 * is src/test/resources/nn/onnx/torch_onnx_bench.py (PyTorch channels-last, 2 threads).
 */
public final class OnnxBench implements BenchSuite {
    private final List<Path> models;

    public OnnxBench() {
        this(List.of());
    }

    public OnnxBench(List<Path> models) {
        this.models = List.copyOf(models);
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        if (models.isEmpty()) throw new IllegalArgumentException("bench onnx needs --model FILE.onnx[,FILE.onnx]");
        for (Path file : models) {
            OnnxNetwork net;
            try {
                net = OnnxImporter.read(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (log != null) log.println("# " + file + ": " + net.graph().nodes().size() + " nodes, "
                    + String.format(Locale.ROOT, "%.2f GFLOP per sample", net.graph().flopsPerSample() / 1e9));
            try (DeviceGraph device = new DeviceGraph(context, net.graph())) {
                for (int batch : quick ? new int[] {8} : new int[] {8, 32}) {
                    BatchPlan plan = device.plan(batch);
                    float[] x = new float[batch * net.graph().inputDims().size()];
                    Random r = new Random(1);
                    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                    plan.upload(x);
                    plan.enqueue();
                    context.queue().finish();
                    double best = Double.MAX_VALUE;
                    int reps = 3;
                    for (int t = 0; t < 3; t++) {
                        long t0 = System.nanoTime();
                        for (int k = 0; k < reps; k++) plan.enqueue();
                        context.queue().finish();
                        best = Math.min(best, (System.nanoTime() - t0) / 1e6 / reps);
                    }
                    int[] chw = net.inputShape();
                    sink.accept(new BenchResult("onnx inference " + file.getFileName(), "batch " + batch + " x " + chw[0] + "x" + chw[1] + "x" + chw[2],
                            String.format(Locale.ROOT, "%.1f images/s", batch * 1000 / best), context.device().address(), best,
                            net.graph().flopsPerSample() * batch / best / 1e6));
                    device.keepPlans(List.of());
                }
            }
        }
    }
}
