package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.data.AtomicFiles;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageRejectedException;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.pipeline.Job;
import dev.clpipe.pipeline.Progress;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.report.LineChart;
import dev.clpipe.style.AdamSettings;
import dev.clpipe.style.CostWeights;
import dev.clpipe.style.FeatureNetwork;
import dev.clpipe.style.StyleCost;
import dev.clpipe.style.StyleImages;
import dev.clpipe.style.StyleTransfer;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running part of {@code type: style-transfer}: loads C and S at the size of G, builds the
 * feature chain, optimises G and writes result.png, steps.png (snapshots), cost.png and the
 * {@code style_transfer} section of metrics.json (settings, per-iteration costs, speed).
 */
final class StyleTransferJob implements Job {
    private static final Logger LOG = LogManager.getLogger(StyleTransferJob.class);

    record Options(Path content, Path style, Path models, String network, int size, int iterations, int snapshots,
                   boolean initNoise, double noise, CostWeights weights, AdamSettings adam, int lbfgsHistory, long seed) {
        /** L-BFGS with this many pairs when > 0, else Adam. */
        boolean lbfgs() {
            return lbfgsHistory > 0;
        }
    }

    private final String id;
    private final Options o;

    StyleTransferJob(String id, Options options) {
        this.id = id;
        this.o = options;
    }

    @Override
    public void run(StageContext context) throws Exception {
        ImageData contentImage = read(o.content());
        ImageData styleImage = read(o.style());
        int[] wh = StyleImages.targetSize(contentImage, o.size());
        int w = wh[0], h = wh[1];
        float[] content = StyleImages.pixels(StyleImages.cover(contentImage, w, h));
        float[] style = StyleImages.pixels(StyleImages.cover(styleImage, w, h));
        ClContext device = context.device();
        List<Map<String, Object>> costs = new ArrayList<>();
        List<BufferedImage> frames = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (StyleOps ops = new StyleOps(device);
             FeatureNetwork net = FeatureNetwork.load(o.network(), o.models(), ops, h, w, o.weights().layers());
             Tensor c = Tensor.fromHost(device, Layout.NHWC, content, 1, h, w, 3);
             Tensor s = Tensor.fromHost(device, Layout.NHWC, style, 1, h, w, 3);
             StyleCost cost = new StyleCost(net, ops, o.weights(), c, s);
             Tensor g = Tensor.fromHost(device, Layout.NHWC, initial(content), 1, h, w, 3)) {
            LOG.info("{}: {}x{} G, {} features, content {} / style {} on {}", id, w, h, o.network(), o.weights().contentLayer(),
                    o.weights().styleLayers(), device.device().describe());
            Progress progress = Progress.forStream("style transfer", OptionalLong.of(o.iterations()));
            long t0 = System.nanoTime();
            StyleTransfer transfer = new StyleTransfer(cost, ops, o.adam());
            StyleTransfer.Listener listener = new StyleTransfer.Listener() {
                @Override
                public void cost(int iteration, StyleCost.Value value) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("iteration", iteration);
                    row.put("total", value.total());
                    row.put("content", value.content());
                    row.put("style", value.style());
                    row.put("style_layers", value.styleLayers());
                    costs.add(row);
                    if (iteration < o.iterations()) progress.advance(1);
                }

                @Override
                public void snapshot(int iteration, float[] pixels) {
                    frames.add(StyleImages.image(pixels, w, h));
                    labels.add("it " + iteration);
                }
            };
            StyleCost.Value last = o.lbfgs()
                    ? transfer.runLbfgs(g, o.iterations(), o.snapshots(), o.lbfgsHistory(), listener, context::stopRequested)
                    : transfer.run(g, o.iterations(), o.snapshots(), listener, context::stopRequested);
            double seconds = (System.nanoTime() - t0) / 1e9;
            progress.finish();
            int done = costs.size() - 1;
            Path run = context.runFolder().path();
            writePng(run.resolve("result.png"), frames.get(frames.size() - 1));
            writePng(run.resolve("steps.png"), StyleImages.strip(frames, labels));
            costChart(costs).write(run.resolve("cost.png"));
            context.metrics().put("style_transfer", metrics(w, h, done, seconds, costs, last));
            LOG.info(String.format("%s: cost %.4g -> %.4g in %d iterations, %.2f it/s; wrote result.png, steps.png, cost.png",
                    id, (double) costs.get(0).get("total"), last.total(), done, done / seconds));
        }
    }

    private static ImageData read(Path file) throws IOException {
        try {
            return new ImageDecoder().decodeImage(file);
        } catch (ImageRejectedException e) {
            throw new IOException("cannot use image " + file + ": " + e.getMessage(), e);
        }
    }

    /** C plus a fraction of uniform noise, or noise alone (seeded). */
    private float[] initial(float[] content) {
        Random random = new Random(o.seed());
        float[] g = new float[content.length];
        for (int i = 0; i < g.length; i++) {
            float n = 255 * random.nextFloat();
            g[i] = o.initNoise() ? n : (float) ((1 - o.noise()) * content[i] + o.noise() * n);
        }
        return g;
    }

    private static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        AtomicFiles.write(file, true, png.toByteArray());
    }

    /** log10 of the total, content and style costs per iteration (they span decades). */
    private LineChart costChart(List<Map<String, Object>> costs) {
        int n = costs.size();
        double[] x = new double[n], total = new double[n], content = new double[n], style = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = costs.get(i);
            x[i] = ((Number) row.get("iteration")).doubleValue();
            total[i] = log10((double) row.get("total"));
            content[i] = log10(o.weights().alpha() * (double) row.get("content"));
            style[i] = log10(o.weights().beta() * (double) row.get("style"));
        }
        return new LineChart("style transfer cost (" + o.network() + ")", "iteration", "log10 cost")
                .add("J = alpha Jc + beta Js", x, total).add("alpha Jc", x, content).add("beta Js", x, style);
    }

    private static double log10(double v) {
        return Math.log10(Math.max(v, 1e-30));
    }

    private Map<String, Object> metrics(int w, int h, int done, double seconds, List<Map<String, Object>> costs, StyleCost.Value last) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", o.network());
        m.put("width", w);
        m.put("height", h);
        m.put("content_layer", o.weights().contentLayer());
        m.put("style_layers", o.weights().styleLayers().stream().map(l -> Map.of("layer", l.layer(), "weight", l.weight())).toList());
        m.put("alpha", o.weights().alpha());
        m.put("beta", o.weights().beta());
        m.put("optimizer", o.lbfgs() ? "lbfgs" : "adam");
        if (o.lbfgs()) m.put("history", o.lbfgsHistory());
        else m.put("lr", o.adam().lr());
        m.put("init", o.initNoise() ? "noise" : "content");
        m.put("iterations", done);
        m.put("seconds", seconds);
        m.put("iterations_per_s", seconds > 0 ? done / seconds : 0);
        m.put("initial_cost", costs.get(0).get("total"));
        m.put("final_cost", last.total());
        m.put("final_content", last.content());
        m.put("final_style", last.style());
        m.put("costs", costs);
        return m;
    }
}
