package dev.clpipe.bench;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.style.CostWeights;
import dev.clpipe.style.FeatureNetwork;
import dev.clpipe.style.StyleCost;
import dev.clpipe.style.StyleLayer;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code clpipe bench style}: style-transfer iterations per second at 256x256 (cost, gradient
 * through the feature chain; the Adam step is negligible) for each feature network with the
 * layers compared in docs/style-transfer.md (the pipeline's default first), and the Gram matrix kernel against the general GEMM
 * (A^T A, what the transfer uses) at the Gram shapes of those layers.
 */
public final class StyleBench implements BenchSuite {
    private static final int SIZE = 256;

    /** Network, content layer, style layers: what the example pipelines use. */
    private record Setup(String network, String content, List<String> style) {}

    private static final List<Setup> SETUPS = List.of(
            new Setup("tiny_face_detector", "conv4", List.of("conv0", "conv1", "conv2", "conv3", "conv4")),
            new Setup("ssd_mobilenetv1", "conv7", List.of("conv1", "conv3", "conv5", "conv7", "conv11")));

    @Override
    public String name() {
        return "style";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        Path models = FaceApiModels.defaultFolder();
        if (log != null) log.printf("style transfer at %dx%d, face-api models from %s, on %s%n", SIZE, SIZE, models, context.device().describe());
        Random random = new Random(3);
        try (StyleOps ops = new StyleOps(context)) {
            for (int[] s : new int[][] {{128 * 128, 64}, {64 * 64, 128}, {32 * 32, 256}}) gram(context, ops, s[0], s[1], quick, random, sink);
            for (Setup setup : SETUPS) iterations(context, ops, models, setup, quick, random, sink);
        }
    }

    private static void iterations(ClContext context, StyleOps ops, Path models, Setup setup, boolean quick, Random random, Consumer<BenchResult> sink) {
        List<StyleLayer> layers = setup.style().stream().map(l -> new StyleLayer(l, 1)).toList();
        CostWeights weights = new CostWeights(setup.content(), layers, 1, 1e5);
        try (FeatureNetwork net = FeatureNetwork.load(setup.network(), models, ops, SIZE, SIZE, weights.layers());
             Tensor c = noise(context, random); Tensor s = noise(context, random); Tensor g = noise(context, random);
             StyleCost cost = new StyleCost(net, ops, weights, c, s);
             Tensor grad = g.emptyLike()) {
            cost.evaluate(g, grad); // warm-up: kernel builds and first-touch allocations
            int steps = quick ? 2 : 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) cost.evaluate(g, grad);
            grad.toHost();
            double ms = (System.nanoTime() - t0) / 1e6 / steps;
            sink.accept(BenchResult.batch("style iteration " + setup.network(), SIZE + "x" + SIZE,
                    "one optimisation step of one image", BenchDevice.of(context), 1, ms, Double.NaN));
        } catch (TfjsFormatException e) {
            throw new UncheckedIOException("bench style needs the face-api models (make models): " + e.getMessage(), e);
        }
    }

    /** style.cl's gram against nn.ops.Gemm computing F^T F, same input. */
    private static void gram(ClContext context, StyleOps ops, int p, int c, boolean quick, Random random, Consumer<BenchResult> sink) {
        float[] f = new float[p * c];
        for (int i = 0; i < f.length; i++) f[i] = random.nextFloat();
        int reps = quick ? 2 : 10;
        double flops = 2.0 * p * c * c;
        try (ClBuffer bf = context.buffer(f); ClBuffer g = context.buffer((long) c * c * Float.BYTES)) {
            for (int variant = 0; variant < 2; variant++) {
                Runnable run = variant == 0 ? () -> ops.gramDirect(bf, g, p, c) : () -> ops.gram(bf, g, p, c);
                run.run();
                context.queue().finish();
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) run.run();
                context.queue().finish();
                double ms = (System.nanoTime() - t0) / 1e6 / reps;
                sink.accept(BenchResult.call("gram", p + "x" + c, variant == 0 ? "style.cl gram (direct)" : "Gemm A^T A " + ops.describeGemm(),
                        BenchDevice.of(context), ms, flops / ms / 1e6));
            }
        }
    }

    private static Tensor noise(ClContext context, Random random) {
        float[] px = new float[SIZE * SIZE * 3];
        for (int i = 0; i < px.length; i++) px[i] = 255 * random.nextFloat();
        return Tensor.fromHost(context, Layout.NHWC, px, 1, SIZE, SIZE, 3);
    }
}
