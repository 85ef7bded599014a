package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.Trainer;
import java.io.PrintStream;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code clpipe bench train}: LeNet-5 training steps (gather, forward, loss, backward, Adam) and
 * inference batches on synthetic MNIST-shaped data kept on the device, batch 256. Reports images
 * per second; the only syncs are one per timed run, as in a real epoch.
 */
public final class TrainBench implements BenchSuite {
    private static final int BATCH = 256;

    @Override
    public String name() {
        return "train";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        ModelSpec model = Models.lenet5();
        int steps = quick ? 5 : 40;
        Dataset data = synthetic(model, BATCH * steps);
        TrainSettings settings = new TrainSettings(BATCH, 1000, OptimizerSpec.adam(1e-3, 0), LrSchedule.constant(), 1, 1 << 20);
        if (log != null) log.printf("LeNet-5 (%,d parameters), batch %d, %d steps per measurement on %s%n",
                model.parameterCount(), BATCH, steps, context.device().describe());
        try (Trainer trainer = new Trainer(context, model, settings); DeviceDataset train = new DeviceDataset(context, data, 0.13f, 0.31f)) {
            trainer.trainEpoch(train, n -> { }, () -> false); // warm-up: builds kernels, first-touch allocations
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < (quick ? 1 : 3); rep++) {
                long t0 = System.nanoTime();
                trainer.trainEpoch(train, n -> { }, () -> false);
                best = Math.min(best, System.nanoTime() - t0);
            }
            double forwardFlops = forwardFlops(model);
            report("lenet5 train step", best, steps, 3 * forwardFlops, context, sink);
            Network net = trainer.network();
            best = Long.MAX_VALUE;
            for (int rep = 0; rep < (quick ? 2 : 4); rep++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    train.gather(s * BATCH, BATCH, BATCH, net.input(), trainer.labelsBuffer());
                    net.forward(false, 0);
                }
                context.queue().finish();
                if (rep > 0) best = Math.min(best, System.nanoTime() - t0);
            }
            report("lenet5 inference", best, steps, forwardFlops, context, sink);
        }
    }

    /** {@code flopsPerImage}: forward FLOPs (inference) or about 3x that (forward + both backward products). */
    private static void report(String op, long nanos, int steps, double flopsPerImage, ClContext context, Consumer<BenchResult> sink) {
        double msPerBatch = nanos / 1e6 / steps;
        double imagesPerS = BATCH * steps / (nanos / 1e9);
        sink.accept(new BenchResult(op, "batch " + BATCH, String.format("%.0f images/s", imagesPerS), context.device().describe(), msPerBatch,
                imagesPerS * flopsPerImage / 1e9));
    }

    /** Multiply-adds of the conv and dense layers of one image's forward pass, times 2. */
    static double forwardFlops(ModelSpec model) {
        return model.forwardFlops();
    }

    private static Dataset synthetic(ModelSpec model, int count) {
        Random random = new Random(7);
        byte[] images = new byte[count * model.input().size()];
        random.nextBytes(images);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = random.nextInt(model.output().size());
        return new Dataset("synthetic", images, labels, model.input(), model.output().size());
    }
}
