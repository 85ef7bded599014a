package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.train.ReplicatedTrainer;
import dev.clpipe.nn.train.SingleDeviceSession;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.nn.train.TrainingSession;
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
    /**
     * {@code -Dclpipe.bench.allreduce=host}: the data-parallel measurement sums the gradients on the
     * host even where the devices share a context (the form before the device all-reduce, to compare).
     */
    private static final boolean HOST_ALLREDUCE = "host".equals(System.getProperty("clpipe.bench.allreduce", ""));
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
    /** The model of the data-parallel measurement; {@code clpipe bench train --model FILE} picks another than LeNet-5. */
    private final ModelSpec parallelModel;

    public TrainBench() {
        this(Models.lenet5());
    }

    public TrainBench(ModelSpec parallelModel) {
        this(List.of(new Workload(Models.lenet5(), BATCH, OptimizerSpec.adam(1e-3, 0), 40),
                new Workload(Models.resnetMnist(), 64, RESNET_SGD, 40),
                new Workload(Models.resnet20(), 64, RESNET_SGD, 20),
                new Workload(Models.resnet18(), 32, RESNET_SGD, 10)), parallelModel);
    }

    TrainBench(List<Workload> workloads) {
        this(workloads, Models.lenet5());
    }

    private TrainBench(List<Workload> workloads, ModelSpec parallelModel) {
        this.workloads = List.copyOf(workloads);
        this.parallelModel = parallelModel;
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
                    train.gather(s * batch, batch, batch, net.input(), trainer.loss().target());
                    net.forward(false, 0);
                }
                context.queue().finish();
                if (rep > 0) best = Math.min(best, System.nanoTime() - t0);
            }
            report(model.name() + " inference", best, batch, steps, forwardFlops, context, sink);
        }
    }

    /**
     * Training steps of LeNet-5 (or the {@code --model}) on each device alone (the plain {@link Trainer}) and on all of them
     * in data parallel ({@link ReplicatedTrainer}), at batch 256 and 128. The machine is shared, so
     * the three are timed in turn, epoch by epoch, for several rounds: each round gives a ratio of
     * together to the mean of the devices alone measured in the same seconds, and the report is the
     * median round. An epoch here is 15,360 images (60 steps at batch 256, 120 at 128; a quarter of
     * MNIST's; {@code -Dclpipe.bench.steps=N} sets the steps at 256), so each epoch's start and
     * final drain weigh about as in training (session 7 timed epochs of 15 steps). {@code -Dclpipe.bench.rounds=N}
     * sets the rounds. Also where a data-parallel step's time goes ({@code step_timing}).
     */
    @Override
    public Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", parallelModel.name());
        report.put("parameters", parallelModel.parameterCount());
        report.put("device_count", devices.size());
        report.put("load_average_start", TakingTurns.loadAverage());
        List<Map<String, Object>> batches = new ArrayList<>();
        for (int batch : new int[] {BATCH, BATCH / 2}) batches.add(alternating(parallelModel, batch, devices, quick, sink, log));
        report.put("batches", batches);
        report.put("load_average_end", TakingTurns.loadAverage());
        return report;
    }

    private Map<String, Object> alternating(ModelSpec model, int batch, List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        boolean small = model.forwardFlops() <= 2 * Models.lenet5().forwardFlops(); // a bigger net: fewer, longer steps
        int steps = quick ? 4 : small ? Integer.getInteger("clpipe.bench.steps", 60) * BATCH / batch : 6;
        int rounds = quick ? 1 : Integer.getInteger("clpipe.bench.rounds", small ? 7 : 3);
        Dataset data = synthetic(model, batch * steps);
        TrainSettings settings = new TrainSettings(batch, 1000, OptimizerSpec.adam(1e-3, 0), LrSchedule.constant(), 1, 1 << 20);
        return alternating(model.name() + " train step", model, settings, DeviceSources.uploaded(data, data.head(batch), 0.13f, 0.31f), rounds, devices,
                sink, log);
    }

    /**
     * {@code model} trained with {@code settings} from {@code data} on each device alone and on all
     * of them in data parallel, an epoch at a time in turn for {@code rounds} rounds
     * ({@link TakingTurns}): the rows "OP, one device" and "OP, data parallel" and the scaling report.
     */
    static Map<String, Object> alternating(String op, ModelSpec model, TrainSettings settings, DeviceSources data, int rounds, List<ClContext> devices,
            Consumer<BenchResult> sink, PrintStream log) {
        int batch = settings.batch();
        List<TrainingSession> alone = new ArrayList<>();
        try (ReplicatedTrainer together = new ReplicatedTrainer(devices, model, settings, data, FaultPlan.NONE, REBALANCE_EVERY)) {
            if (HOST_ALLREDUCE) together.reduceOnHost();
            for (ClContext d : devices) alone.add(SingleDeviceSession.of(d, new Trainer(d, model, settings), data));
            for (TrainingSession one : alone) one.trainEpoch(n -> { }, () -> false); // warm-up: kernels, first-touch allocations
            together.trainEpoch(n -> { }, () -> false);
            List<java.util.function.DoubleSupplier> each = new ArrayList<>();
            for (TrainingSession one : alone) each.add(() -> imagesPerSecond(one, batch));
            TakingTurns.Result turns = TakingTurns.measure(each, () -> imagesPerSecond(together, batch), rounds, "batch " + batch, log);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("batch", batch);
            m.put("steps_per_epoch", together.stepsPerEpoch());
            m.putAll(turns.toJson());
            m.put("final_split", Arrays.stream(together.split()).boxed().toList());
            m.putAll(together.deviceMetrics());
            sink.accept(BenchResult.batch(op + ", one device", "batch " + batch, "mean of the devices alone, median round",
                    BenchDevice.group(devices, "each alone"), batch,
                    1000.0 * batch / turns.single().stream().mapToDouble(Double::doubleValue).average().orElse(0), Double.NaN));
            sink.accept(turns.withSpeedups(BenchResult.batch(op + ", data parallel", "batch " + batch, "all devices together, median round",
                    BenchDevice.group(devices, "together"), batch, 1000.0 * batch / turns.together(), Double.NaN))
                    .withDetails(m));
            if (log != null) log.printf("  batch %d: together %.2fx one device (median of %d rounds), step timing %s%n", batch, turns.speedup(), rounds,
                    together.deviceMetrics().get("step_timing"));
            return m;
        } finally {
            alone.forEach(TrainingSession::close);
        }
    }

    /** Images per second of one timed epoch. */
    private static double imagesPerSecond(TrainingSession session, int batch) {
        long t0 = System.nanoTime();
        session.trainEpoch(n -> { }, () -> false);
        return (double) batch * session.stepsPerEpoch() / ((System.nanoTime() - t0) / 1e9);
    }

    /** {@code flopsPerImage}: forward FLOPs (inference) or about 3x that (forward + both backward products). */
    private static void report(String op, long nanos, int batch, int steps, double flopsPerImage, ClContext context, Consumer<BenchResult> sink) {
        double msPerBatch = nanos / 1e6 / steps;
        double imagesPerS = (double) batch * steps / (nanos / 1e9);
        sink.accept(BenchResult.batch(op, "batch " + batch, "one device", BenchDevice.of(context), batch, msPerBatch,
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
