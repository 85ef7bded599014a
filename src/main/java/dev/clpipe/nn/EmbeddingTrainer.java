package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.TripletLoss;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Trains a siamese embedding network with triplet loss on one device: per step it gathers a
 * P x K batch ({@link PkBatches}) from the device-resident dataset, runs the network, the triplet
 * loss with semi-hard mining on the L2-normalised outputs ({@link TripletLoss}), backward and the
 * optimiser, all enqueued without waiting. The host reads the running loss every
 * {@code checkEvery} steps (NaN check) and at the epoch's end. Position (epoch, step) plus the
 * seed determine what comes next, so a restored trainer continues exactly.
 */
public final class EmbeddingTrainer implements AutoCloseable {
    /** Validation batches use a fixed plan, so their loss is comparable from epoch to epoch. */
    private static final int VALIDATION_EPOCH = Integer.MAX_VALUE;

    private final ClContext context;
    private final TripletSettings settings;
    private final Network network;
    private final Optimizer optimizer;
    private final TripletLoss loss;
    private final PkBatches batches;
    private final ClBuffer labels;
    private final ClBuffer normalized;
    private final java.util.List<double[]> curve = new java.util.ArrayList<>();
    private double curveLossSum;
    private long curveBatches;
    private int epoch;
    private long step;
    private double syncSeconds;

    public EmbeddingTrainer(ClContext context, ModelSpec model, TripletSettings settings) {
        this.context = context;
        this.settings = settings;
        this.batches = new PkBatches(settings.classesPerBatch(), settings.samplesPerClass());
        int batch = settings.batch();
        this.network = new Network(context, model, batch, settings.seed());
        this.optimizer = new Optimizer(context, settings.optimizer(), network.trainable());
        this.loss = new TripletLoss(context, batch, dim(), settings.margin());
        this.labels = context.buffer((long) batch * Integer.BYTES);
        this.normalized = context.buffer((long) batch * dim() * Float.BYTES);
    }

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public TripletSettings settings() {
        return settings;
    }

    /** Embedding size: the model's output values per image. */
    public int dim() {
        return network.spec().output().size();
    }

    /** The next epoch to train (0-based). */
    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    /** Moves to a saved position (checkpoint restore); parameters and optimiser state are set apart. */
    public void setPosition(int epoch, long step) {
        this.epoch = epoch;
        this.step = step;
        optimizer.setSteps(step);
    }

    /** Seconds the host spent blocked on reads of the running loss. */
    public double syncSeconds() {
        return syncSeconds;
    }

    /** P x K batches an epoch over {@code data} holds (the first epoch's; later ones differ by at most a few). */
    public int stepsPerEpoch(DeviceDataset data) {
        return batches.plan(data.data().labels(), settings.seed(), 0).batches();
    }

    /**
     * Trains one epoch; {@code progress} receives images done after each enqueued step. Returns
     * null when {@code stop} became true (the partial epoch is not counted; resume replays it).
     */
    public EmbeddingEpoch trainEpoch(DeviceDataset train, LongConsumer progress, BooleanSupplier stop) {
        int batch = settings.batch();
        batches.requireFits(train.data().labels(), train.data().name());
        PkBatches.Plan plan = batches.plan(train.data().labels(), settings.seed(), epoch);
        long perEpoch = stepsPerEpoch(train);
        long total = perEpoch * settings.epochs();
        long t0 = System.nanoTime();
        train.setOrder(plan.order());
        loss.resetTotals();
        curveLossSum = 0;
        curveBatches = 0;
        double lr = 0;
        for (int s = 0; s < plan.batches(); s++) {
            if (stop.getAsBoolean()) return null;
            lr = settings.schedule().rate(settings.optimizer().lr(), step, perEpoch, total);
            train.gather(s * batch, batch, batch, network.input(), labels);
            network.forward(true, step);
            loss.forward(network.logits(), labels, step);
            loss.backward(network.logitsGradient());
            network.backward(step);
            optimizer.step(lr);
            step++;
            progress.accept(batch);
            if ((s + 1) % settings.checkEvery() == 0) check();
        }
        TripletLoss.Totals t = check();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EmbeddingEpoch(epoch++, t.loss(), t.activeFraction(), lr, seconds, (long) plan.batches() * batch);
    }

    private TripletLoss.Totals check() {
        long t0 = System.nanoTime();
        TripletLoss.Totals t = loss.readTotals();
        syncSeconds += (System.nanoTime() - t0) / 1e9;
        TrainingDivergedException.throwIfDiverged("triplet loss", t.firstBadStep(), t.loss(), step, epoch, network,
                "lower the learning rate or check the input normalisation");
        // the totals are sums since the epoch began: the difference is the mean since the last read
        double sum = t.loss() * t.batches();
        if (t.batches() > curveBatches) curve.add(new double[] {step, (sum - curveLossSum) / (t.batches() - curveBatches)});
        curveLossSum = sum;
        curveBatches = t.batches();
        return t;
    }

    /**
     * The training loss at every read of the running totals: {step, mean batch loss since the
     * previous read}, for plots (not saved in checkpoints: a resumed run's curve starts there).
     */
    public java.util.List<double[]> lossCurve() {
        return java.util.Collections.unmodifiableList(curve);
    }

    /** Mean triplet loss and active fraction over fixed P x K batches of {@code data}, evaluation mode. */
    public TripletLoss.Totals validationLoss(DeviceDataset data) {
        int batch = settings.batch();
        batches.requireFits(data.data().labels(), data.data().name());
        PkBatches.Plan plan = batches.plan(data.data().labels(), settings.seed(), VALIDATION_EPOCH);
        data.setOrder(plan.order());
        loss.resetTotals();
        for (int s = 0; s < plan.batches(); s++) {
            data.gather(s * batch, batch, batch, network.input(), labels);
            network.forward(false, step);
            loss.forward(network.logits(), labels, step);
        }
        TripletLoss.Totals t = loss.readTotals();
        loss.resetTotals();
        return t;
    }

    /** L2-normalised embeddings of every image of {@code data} in order, row-major [count][dim]. */
    public float[] embed(DeviceDataset data) {
        int batch = settings.batch();
        int d = dim();
        float[] out = new float[data.count() * d];
        float[] rows = new float[batch * d];
        data.setOrder(null);
        for (int first = 0; first < data.count(); first += batch) {
            int valid = Math.min(batch, data.count() - first);
            data.gather(first, valid, batch, network.input(), labels);
            network.forward(false, step);
            loss.normalize(network.logits(), normalized, valid);
            normalized.read(context.queue(), rows);
            System.arraycopy(rows, 0, out, first * d, valid * d);
        }
        return out;
    }

    @Override
    public void close() {
        network.close();
        optimizer.close();
        loss.close();
        labels.close();
        normalized.close();
    }
}
