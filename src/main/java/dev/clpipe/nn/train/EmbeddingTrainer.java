package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.PkBatches;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TripletSettings;
import dev.clpipe.nn.ops.TripletLoss;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A siamese embedding network in training on one device: the {@link TrainLoop} with the
 * {@link TripletObjective} over P x K batches ({@link PkBatches}), plus the validation loss and
 * the embeddings of a data set.
 */
public final class EmbeddingTrainer implements AutoCloseable {
    /** Validation batches use a fixed plan, so their loss is comparable from epoch to epoch. */
    private static final int VALIDATION_EPOCH = Integer.MAX_VALUE;

    private final ClContext context;
    private final TripletSettings settings;
    private final PkBatches batches;
    private final TripletObjective objective;
    private final TrainLoop<TripletObjective.Totals> loop;
    private final ClBuffer normalized;

    public EmbeddingTrainer(ClContext context, ModelSpec model, TripletSettings settings) {
        this.context = context;
        this.settings = settings;
        this.batches = new PkBatches(settings.classesPerBatch(), settings.samplesPerClass());
        int batch = settings.batch();
        Network network = new Network(context, model, batch, settings.seed());
        int dim = model.output().size();
        this.objective = new TripletObjective(context, batch, dim, settings.margin());
        this.loop = new TrainLoop<>(context, network, new TrainSettings(batch, settings.epochs(), settings.optimizer(), settings.schedule(),
                settings.seed(), settings.checkEvery()), objective);
        this.normalized = context.buffer((long) batch * dim * Float.BYTES);
    }

    public TrainLoop<TripletObjective.Totals> loop() {
        return loop;
    }

    public Network network() {
        return loop.network();
    }


    public TripletSettings settings() {
        return settings;
    }

    /** Embedding size: the model's output values per image. */
    public int dim() {
        return network().spec().output().size();
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
        TrainLoop.Epoch<TripletObjective.Totals> e = loop.trainEpoch(train,
                Sampling.pk(batches, train.data().labels(), settings.seed(), train.data().name()), progress, stop);
        return e == null ? null : new EmbeddingEpoch(e.epoch(), e.totals().loss(), e.totals().activeFraction(), e.lr(), e.seconds(), e.images());
    }

    /** Epochs over {@code train} as a job's epoch skeleton drives them. */
    public EpochSession<EmbeddingEpoch> session(DeviceDataset train) {
        return loop.session(() -> stepsPerEpoch(train), (progress, stop) -> trainEpoch(train, progress, stop));
    }

    /** The training loss at every check: {step, mean batch loss since the previous check}, for plots. */
    public List<double[]> lossCurve() {
        return objective.curve();
    }

    /** Mean triplet loss and active fraction over fixed P x K batches of {@code data}, evaluation mode. */
    public TripletLoss.Totals validationLoss(DeviceDataset data) {
        int batch = settings.batch();
        batches.requireFits(data.data().labels(), data.data().name());
        PkBatches.Plan plan = batches.plan(data.data().labels(), settings.seed(), VALIDATION_EPOCH);
        data.setOrder(plan.order());
        TripletLoss loss = objective.loss();
        loss.resetTotals();
        for (int s = 0; s < plan.batches(); s++) {
            data.gather(s * batch, batch, batch, network().input(), objective.target());
            network().forward(false, loop.step());
            loss.forward(network().logits(), objective.target(), loop.step());
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
            data.gather(first, valid, batch, network().input(), objective.target());
            network().forward(false, loop.step());
            objective.loss().normalize(network().logits(), normalized, valid);
            normalized.read(context.queue(), rows);
            System.arraycopy(rows, 0, out, first * d, valid * d);
        }
        return out;
    }

    @Override
    public void close() {
        loop.close();
        normalized.close();
    }
}
