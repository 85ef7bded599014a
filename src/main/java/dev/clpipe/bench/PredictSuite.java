package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.data.ImageData;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.infer.Classifier;
import dev.clpipe.nn.infer.ImageClassifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code clpipe bench predict}: the predict stage's classifier (LeNet-5, weights as initialised: the
 * speed does not depend on them) on 28x28 grey images, images/s per device at the stage's batch of 64.
 * With several devices: the stage's work at the pipeline's default batch of 64 images per stage call,
 * cut into pieces by a {@link DevicePool} (each device's net has a piece's rows, as the stage builds
 * it: {@link ImageClassifier#deviceRows}), on each device alone and on all together, in turn.
 */
public final class PredictSuite implements MultiDeviceSuite {
    /** The predict stage's and the pipeline's default batch. */
    private static final int BATCH = 64;
    private static final long SEED = 1;
    private static final float MEAN = 0.1307f, STD = 0.3081f;

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        ModelSpec model = Models.lenet5();
        List<ImageData> images = images(BATCH);
        try (Classifier classifier = new Classifier(context, model, BATCH, SEED, MEAN, STD)) {
            double ms = Timer.millis(context.queue(), () -> classifier.classify(images), quick ? 2 : 10, quick ? 300 : 2000);
            sink.accept(BenchResult.batch("predict stage classifier (LeNet-5)", "batch " + BATCH + " of 28x28 grey", "resize + normalise, forward, softmax",
                    BenchDevice.of(context), BATCH, ms, Double.NaN));
        }
    }

    @Override
    public Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        ModelSpec model = Models.lenet5();
        List<ImageData> images = images(BATCH);
        int calls = quick ? 5 : 100;
        PoolTurns.Measured m = PoolTurns.measure(devices,
                (ClContext d, Integer poolSize) -> new Classifier(d, model, ImageClassifier.deviceRows(BATCH, BATCH, poolSize), SEED, MEAN, STD),
                pool -> PoolTurns.perSecond(pool, images.size(), calls, images.size(), (cl, p) -> cl.classify(images.subList(p.from(), p.to()))),
                quick ? 1 : 5, "predict", log);
        Map<String, Object> report = m.report("predict stage: LeNet-5 on " + BATCH + " images of 28x28 grey per stage call", devices.size());
        String shape = BATCH + " images 28x28 / stage call";
        m.rateRows("predict", shape, "", devices, report, sink);
        return report;
    }

    private static List<ImageData> images(int n) {
        Random r = new Random(5);
        List<ImageData> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] p = new byte[28 * 28];
            r.nextBytes(p);
            out.add(new ImageData(28, 28, 1, p));
        }
        return out;
    }
}
