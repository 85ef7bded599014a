package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.detect.scenes.DigitSceneGenerator;
import dev.clpipe.detect.scenes.Scene;
import dev.clpipe.detect.scenes.SceneSpec;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DenseAsConv;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.train.EpochStats;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.pipeline.Job;
import dev.clpipe.pipeline.StageContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running part of {@code type: sliding-window}. Three ways to score every window of one
 * canvas with the same trained classifier: (1) crop each window and run the classifier on it
 * alone (batch 1, the course's sliding windows), (2) crop all windows and run them as one batch,
 * (3) one pass of the convolutional form over the canvas. All three must agree; FLOPs and the
 * median time of each are recorded.
 */
final class SlidingWindowJob implements Job {
    private static final Logger LOG = LogManager.getLogger(SlidingWindowJob.class);

    record Options(Path data, ModelSpec model, TrainSettings settings, int windows, int limitTrain, int repeats, float mean, float std) {}

    private final String id;
    private final Options o;

    SlidingWindowJob(String id, Options options) {
        this.id = id;
        this.o = options;
    }

    @Override
    public void run(StageContext context) throws Exception {
        ModelSpec win = o.model();
        int classes = win.output().size();
        Shape in = win.input();
        if (in.height() != in.width() || in.channels() != 1) {
            throw new IllegalArgumentException("model " + win.name() + " must take a square grey window, got " + in);
        }
        int window = in.height();
        int stride = DenseAsConv.windowStride(win);
        int side = window + stride * (o.windows() - 1);
        ModelSpec convSpec = DenseAsConv.convert(win, new Shape(side, side, 1));
        int n = o.windows() * o.windows();
        ClContext device = context.device();
        Dataset trainDigits = IdxDatasets.read(o.data(), "train", classes, o.limitTrain());
        Dataset testDigits = IdxDatasets.read(o.data(), "t10k", classes, 0);
        Scene scene = new DigitSceneGenerator(testDigits, new SceneSpec(side, side, 3, Math.max(3, n / 40), Math.min(20, side), Math.min(28, side), 0.1, 64),
                o.settings().seed()).scene(0);
        float[] canvas = new float[side * side];
        for (int i = 0; i < canvas.length; i++) canvas[i] = ((scene.pixels()[i] & 0xFF) / 255f - o.mean()) / o.std();

        try (Trainer trainer = new Trainer(device, win, o.settings());
             DeviceDataset train = new DeviceDataset(device, trainDigits, o.mean(), o.std());
             DeviceDataset test = new DeviceDataset(device, testDigits, o.mean(), o.std());
             Network single = new Network(device, win, 1, o.settings().seed());
             Network batched = new Network(device, win, n, o.settings().seed());
             Network conv = new Network(device, convSpec, 1, o.settings().seed())) {
            double trainSeconds = 0;
            while (trainer.epoch() < o.settings().epochs() && !context.stopRequested()) {
                EpochStats e = trainer.trainEpoch(train, k -> { }, context::stopRequested);
                if (e == null) return;
                trainSeconds += e.seconds();
            }
            Evaluation accuracy = trainer.evaluate(test);
            LOG.info(String.format("%s: window classifier %s trained in %.1f s: test accuracy %.2f%%", id, win.name(), trainSeconds, 100 * accuracy.accuracy()));
            DenseAsConv.copyWeights(trainer.network(), single);
            DenseAsConv.copyWeights(trainer.network(), batched);
            DenseAsConv.copyWeights(trainer.network(), conv);

            float[] perWindow = new float[n * classes];
            float[] batchScores = new float[n * classes];
            float[] onePass = new float[n * classes];
            double[] tSingle = new double[o.repeats()];
            double[] tBatched = new double[o.repeats()];
            double[] tConv = new double[o.repeats()];
            // one untimed round first: kernel compilation and tuning are not part of either cost
            for (int r = -1; r < o.repeats(); r++) {
                long t0 = System.nanoTime();
                float[] crop = new float[window * window];
                float[] out = new float[classes];
                for (int w = 0; w < n; w++) {
                    crop(canvas, side, w / o.windows() * stride, w % o.windows() * stride, window, crop, 0);
                    single.input().write(device.queue(), crop);
                    single.forward(false, 0);
                    single.logits().read(device.queue(), out);
                    System.arraycopy(out, 0, perWindow, w * classes, classes);
                }
                long t1 = System.nanoTime();
                float[] crops = new float[n * window * window];
                for (int w = 0; w < n; w++) crop(canvas, side, w / o.windows() * stride, w % o.windows() * stride, window, crops, w * window * window);
                batched.input().write(device.queue(), crops);
                batched.forward(false, 0);
                batched.logits().read(device.queue(), batchScores);
                long t2 = System.nanoTime();
                conv.input().write(device.queue(), canvas);
                conv.forward(false, 0);
                conv.logits().read(device.queue(), onePass);
                long t3 = System.nanoTime();
                if (r >= 0) {
                    tSingle[r] = (t1 - t0) / 1e9;
                    tBatched[r] = (t2 - t1) / 1e9;
                    tConv[r] = (t3 - t2) / 1e9;
                }
            }
            double diff = Math.max(maxAbsDiff(perWindow, onePass), maxAbsDiff(batchScores, onePass));
            double scale = Arrays.stream(toDouble(perWindow)).map(Math::abs).max().orElse(0);
            boolean same = diff <= 1e-3 * Math.max(1, scale);
            double flopsWindow = win.forwardFlops();
            double flopsSliding = flopsWindow * n;
            double flopsConv = convSpec.forwardFlops();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", win.name());
            m.put("classifier_test_accuracy", accuracy.accuracy());
            m.put("classifier_train_seconds", trainSeconds);
            m.put("window", window);
            m.put("stride", stride);
            m.put("canvas", side);
            m.put("windows", n);
            m.put("mflop_per_window", flopsWindow / 1e6);
            m.put("mflop_sliding", flopsSliding / 1e6);
            m.put("mflop_convolutional", flopsConv / 1e6);
            m.put("flop_ratio", flopsSliding / flopsConv);
            m.put("seconds_sliding_per_window", median(tSingle));
            m.put("seconds_sliding_batched", median(tBatched));
            m.put("seconds_convolutional", median(tConv));
            m.put("time_ratio_per_window", median(tSingle) / median(tConv));
            m.put("time_ratio_batched", median(tBatched) / median(tConv));
            m.put("max_abs_difference", diff);
            m.put("max_abs_score", scale);
            m.put("scores_identical", same);
            m.put("repeats", o.repeats());
            context.metrics().put("sliding_window", m);
            LOG.info(String.format("%s: %d windows of %dx%d (stride %d) on a %dx%d canvas: sliding %.1f MFLOP, %.3f s one window at a time, %.3f s as one batch of crops;"
                            + " convolutional %.1f MFLOP, %.4f s (%.1fx fewer FLOPs, %.0fx / %.1fx faster); max score difference %.2g",
                    id, n, window, window, stride, side, side, flopsSliding / 1e6, median(tSingle), median(tBatched), flopsConv / 1e6, median(tConv),
                    flopsSliding / flopsConv, median(tSingle) / median(tConv), median(tBatched) / median(tConv), diff));
            if (!same) {
                throw new IllegalStateException(id + ": the convolutional pass differs from the per-window classifier by " + diff + " (scores up to " + scale + ")");
            }
        }
    }

    private static void crop(float[] canvas, int side, int y0, int x0, int window, float[] into, int offset) {
        for (int y = 0; y < window; y++) System.arraycopy(canvas, (y0 + y) * side + x0, into, offset + y * window, window);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
