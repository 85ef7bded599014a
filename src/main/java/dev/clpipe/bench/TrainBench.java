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
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.nn.ReplicatedTrainer;
import dev.clpipe.nn.SingleDeviceSession;
import dev.clpipe.nn.TrainingSession;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code clpipe bench train}: training steps (gather, forward, loss, backward, optimizer) and
 * inference batches on synthetic data kept on the device, for LeNet-5 (batch 256, Adam) and the
 * zoo's ResNets (resnet-mnist of pipelines/mnist-resnet.yaml and resnet20-32px at batch 64,
 * resnet18-112px at batch 32; SGD with momentum as their pipelines). Reports images per second;
 * the only syncs are one per timed run, as in a real epoch. {@code -Dclpipe.bench.only=TEXT} keeps
 * the models whose name contains TEXT. src/test/resources/nn/torch_*_bench.py are the PyTorch
 * anchors (same models, batches and optimizers).
 */
public final class TrainBench implements MultiDeviceSuite {
    private static final int BATCH = 256;
    /** Steps between re-splits of the batch by measured speed in the multi-device measurement. */
    private static final int REBALANCE_EVERY = 10;

    /** One measured model: its batch, optimizer and timed steps per measurement (full run). */
    record Workload(ModelSpec model, int batch, OptimizerSpec optimizer, int steps) {
        int stepsFor(boolean quick) {
            return quick ? Math.min(steps, 3) : steps;
        }
    }

    private static final OptimizerSpec RESNET_SGD = OptimizerSpec.sgd(0.05, 0.9, 5e-4);
    private final List<Workload> workloads;

    public TrainBench() {
        this(List.of(new Workload(Models.lenet5(), BATCH, OptimizerSpec.adam(1e-3, 0), 40),
                new Workload(Models.resnetMnist(), 64, RESNET_SGD, 40),
                new Workload(Models.resnet20(), 64, RESNET_SGD, 20),
                new Workload(Models.resnet18(), 32, RESNET_SGD, 10)));
    }

    TrainBench(List<Workload> workloads) {
        this.workloads = List.copyOf(workloads);
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        String only = System.getProperty("clpipe.bench.only", "");
        for (Workload w : workloads) {
            if (w.model().name().contains(only)) measure(w, context, quick, sink, log);
        }
    }

    private void measure(Workload w, ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        ModelSpec model = w.model();
        int batch = w.batch(), steps = w.stepsFor(quick);
        Dataset data = synthetic(model, batch * steps);
        TrainSettings settings = new TrainSettings(batch, 1000, w.optimizer(), LrSchedule.constant(), 1, 1 << 20);
        if (log != null) log.printf("%s (%,d parameters), batch %d, %d steps per measurement on %s%n",
                model.name(), model.parameterCount(), batch, steps, context.device().describe());
        try (Trainer trainer = new Trainer(context, model, settings); DeviceDataset train = new DeviceDataset(context, data, 0.13f, 0.31f)) {
            trainer.trainEpoch(train, n -> { }, () -> false); // warm-up: builds kernels, first-touch allocations
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < (quick ? 1 : 3); rep++) {
                long t0 = System.nanoTime();
                trainer.trainEpoch(train, n -> { }, () -> false);
                best = Math.min(best, System.nanoTime() - t0);
            }
            double forwardFlops = forwardFlops(model);
            report(model.name() + " train step", best, batch, steps, 3 * forwardFlops, context, sink);
            Network net = trainer.network();
            best = Long.MAX_VALUE;
            for (int rep = 0; rep < (quick ? 2 : 4); rep++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    train.gather(s * batch, batch, batch, net.input(), trainer.labelsBuffer());
                    net.forward(false, 0);
                }
                context.queue().finish();
                if (rep > 0) best = Math.min(best, System.nanoTime() - t0);
            }
            report(model.name() + " inference", best, batch, steps, forwardFlops, context, sink);
        }
    }

    /**
     * Training steps of LeNet-5 on each device alone (the plain {@link Trainer}), then on all of
     * them in data parallel ({@link ReplicatedTrainer}): images/s, the split, each device's busy
     * share, speed-up over the fastest single device and efficiency = together / sum of singles.
     */
    @Override
    public Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        ModelSpec model = Models.lenet5();
        int steps = quick ? 6 : 30;
        Dataset data = synthetic(model, BATCH * steps);
        TrainSettings settings = new TrainSettings(BATCH, 1000, OptimizerSpec.adam(1e-3, 0), LrSchedule.constant(), 1, 1 << 20);
        int reps = quick ? 1 : 2;
        List<Double> single = new ArrayList<>();
        for (ClContext d : devices) {
            try (SingleDeviceSession one = new SingleDeviceSession(d, model, settings, data, data.head(BATCH), 0.13f, 0.31f)) {
                double ips = bestImagesPerSecond(one, reps, steps);
                single.add(ips);
                sink.accept(new BenchResult("lenet5 train step, one device", "batch " + BATCH, String.format("%.0f images/s", ips),
                        d.device().describe(), 1000.0 * BATCH / ips, 0));
                if (log != null) log.printf("  alone on %s: %.0f images/s%n", d.device().describe(), ips);
            }
        }
        try (ReplicatedTrainer together = new ReplicatedTrainer(devices, model, settings, data, data.head(BATCH), 0.13f, 0.31f,
                FaultPlan.NONE, REBALANCE_EVERY)) {
            double ips = bestImagesPerSecond(together, reps, steps);
            double sum = single.stream().mapToDouble(Double::doubleValue).sum();
            double best = single.stream().mapToDouble(Double::doubleValue).max().orElse(ips);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", "lenet5");
            report.put("batch", BATCH);
            report.put("device_count", devices.size());
            report.put("single_images_per_s", single);
            report.put("together_images_per_s", ips);
            report.put("speedup_over_fastest", ips / best);
            report.put("efficiency", ips / sum);
            report.put("final_split", Arrays.stream(together.split()).boxed().toList());
            report.putAll(together.deviceMetrics());
            sink.accept(new BenchResult("lenet5 train step, data parallel", "batch " + BATCH, "split " + Arrays.toString(together.split())
                    + String.format(", efficiency %.2f", ips / sum), devices.size() + " devices", 1000.0 * BATCH / ips, 0));
            if (log != null) log.printf("  together on %d devices: %.0f images/s, split %s, speed-up %.2fx, efficiency %.2f%n",
                    devices.size(), ips, Arrays.toString(together.split()), ips / best, ips / sum);
            return report;
        }
    }

    /** Images per second of the best of {@code reps} timed epochs, after one warm-up epoch. */
    private double bestImagesPerSecond(TrainingSession session, int reps, int steps) {
        session.trainEpoch(n -> { }, () -> false);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            session.trainEpoch(n -> { }, () -> false);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return (double) BATCH * steps / (best / 1e9);
    }

    /** {@code flopsPerImage}: forward FLOPs (inference) or about 3x that (forward + both backward products). */
    private static void report(String op, long nanos, int batch, int steps, double flopsPerImage, ClContext context, Consumer<BenchResult> sink) {
        double msPerBatch = nanos / 1e6 / steps;
        double imagesPerS = (double) batch * steps / (nanos / 1e9);
        sink.accept(new BenchResult(op, "batch " + batch, String.format("%.0f images/s", imagesPerS), context.device().describe(), msPerBatch,
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
