package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.Diagnostics;
import dev.clpipe.nn.EpochOrder;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainingDivergedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * One replica of a data-parallel group whose members are separate processes (Spark barrier
 * tasks, one per executor), joined by an {@link Exchange}. It trains exactly as a
 * {@link ReplicatedTrainer} with {@code size} devices and no re-split: the even split
 * ({@link ReplicaSplits#even}), member r computing rows {@code offset_r ..} of each step's batch
 * through a {@link Replica}; every member gathers every member's gradient and sums
 * {@code rows_r / B * g_r} in double in member order, as {@link GradientAllReduce} does, so each
 * member applies the same update and the weights equal the one-machine run's bit for bit.
 *
 * <p>Member 0 leads: it runs the job (epochs, evaluation, checkpoints into the shared run folder,
 * restore on resume) and its every call is mirrored by the followers ({@link #follow}), which only
 * train. At each epoch's start the leader sends its position and its whole state (parameters,
 * optimiser state), so a leader restored from a checkpoint brings every follower along; a stop
 * or the leader's close ends the followers' loop.
 */
public final class GroupReplicaSession implements TrainingSession {
    /** The other members, reached by a collective that every member calls the same number of times. */
    public interface Exchange {
        /** This member's place in the group (0 leads). */
        int rank();

        int size();

        /** Sends {@code mine}, returns every member's message in rank order (a barrier: all members call it). */
        List<byte[]> allGather(byte[] mine);
    }

    private static final int DONE = 0, EPOCH = 1, STEP = 2, STOP = 3, SYNC = 4;

    private final ClContext device;
    private final TrainSettings settings;
    private final Exchange group;
    private final Replica replica;
    private final DeviceSources data;
    private final int trainCount;
    private final int offset;
    private final double[] weights;
    private BatchSource test;
    private int epoch;
    private long step;
    private boolean closed;
    private double exchangeSeconds;
    private double reduceSeconds;
    private double computeSeconds;
    private long exchangedSteps;
    private long bytesPerStep;
    /** Milliseconds of each step's all-gather (the first step of a session also waits for every member's start). */
    private final List<Double> stepGatherMs = new ArrayList<>();

    /**
     * {@code data}: this member's training source (it reads only its slice of each batch, whatever
     * form the data takes: see {@link DeviceSources}) and, on the leader, the test source.
     */
    public GroupReplicaSession(ClContext device, ModelSpec model, TrainSettings settings, DeviceSources data, Exchange group) {
        int n = group.size();
        if (settings.batch() < n) throw new IllegalArgumentException("batch " + settings.batch() + " is smaller than the " + n + " replicas");
        this.device = device;
        this.settings = settings;
        this.group = group;
        this.data = data;
        int[] rows = ReplicaSplits.even(settings.batch(), n);
        int before = 0;
        for (int r = 0; r < group.rank(); r++) before += rows[r];
        this.offset = before;
        this.weights = new double[n];
        for (int r = 0; r < n; r++) weights[r] = (double) rows[r] / settings.batch();
        this.replica = new Replica(group.rank(), device, model, settings, data.train(), rows[group.rank()]);
        this.trainCount = replica.trainCount();
        if (trainCount < settings.batch()) {
            replica.close();
            throw new IllegalArgumentException("batch " + settings.batch() + " is larger than the " + trainCount + " training images");
        }
    }

    /** This member's network (every member holds the same parameters). */
    public Network network() {
        return replica.trainer().network();
    }

    private boolean leads() {
        return group.rank() == 0;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public long stepsPerEpoch() {
        return trainCount / settings.batch();
    }

    @Override
    public double syncSeconds() {
        return exchangeSeconds;
    }

    @Override
    public double dataWaitSeconds() {
        return replica.dataWaitSeconds();
    }

    /** The leader's epoch: sends its position and state, then trains it with the followers. */
    @Override
    public EpochStats trainEpoch(LongConsumer progress, BooleanSupplier stop) {
        if (!leads()) throw new IllegalStateException("member " + group.rank() + " follows the leader: call follow()");
        gather(startMessage());
        return epochSteps(progress, stop);
    }

    /** A follower's whole part: trains every epoch the leader starts, until the leader closes. */
    public void follow() {
        if (leads()) throw new IllegalStateException("member 0 leads: it trains through trainEpoch");
        while (true) {
            ByteBuffer lead = ByteBuffer.wrap(gather(new byte[0]).get(0)).order(ByteOrder.LITTLE_ENDIAN);
            if (lead.getInt() != EPOCH) return;
            adopt(lead);
            if (epochSteps(n -> { }, () -> false) == null && closed) return;
        }
    }

    private byte[] startMessage() {
        List<float[]> state = state();
        int floats = state.stream().mapToInt(a -> a.length).sum();
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(EPOCH).putInt(epoch).putLong(step);
        for (float[] a : state) for (float v : a) b.putFloat(v);
        return b.array();
    }

    /** Parameters (all, in network order) then optimiser state (by name), as read from the device. */
    private List<float[]> state() {
        var queue = device.queue();
        List<float[]> out = new ArrayList<>();
        for (Param p : replica.trainer().network().params()) out.add(p.value().readFloats(queue));
        for (ClBuffer s : new TreeMap<>(replica.trainer().optimizer().state()).values()) out.add(s.readFloats(queue));
        return out;
    }

    private void adopt(ByteBuffer lead) {
        epoch = lead.getInt();
        step = lead.getLong();
        var queue = device.queue();
        for (Param p : replica.trainer().network().params()) p.value().write(queue, floats(lead, (int) p.value().floats()));
        for (ClBuffer s : new TreeMap<>(replica.trainer().optimizer().state()).values()) s.write(queue, floats(lead, (int) s.floats()));
        replica.trainer().loop().setPosition(epoch, step);
    }

    private static float[] floats(ByteBuffer b, int n) {
        float[] a = new float[n];
        b.asFloatBuffer().get(a);
        b.position(b.position() + 4 * n);
        return a;
    }

    /**
     * The steps of one epoch on every member. Each step's exchange carries the leader's word
     * (STEP, or STOP/DONE to end early), every member's gradient and its slice's loss totals.
     */
    private EpochStats epochSteps(LongConsumer progress, BooleanSupplier stop) {
        int batch = settings.batch();
        long steps = stepsPerEpoch();
        long total = steps * settings.epochs();
        long t0 = System.nanoTime();
        replica.startEpoch(epoch, EpochOrder.of(settings.seed(), epoch, trainCount));
        double lossSum = 0, hits = 0;
        long rows = 0;
        for (int s = 0; s < steps; s++) {
            boolean stopping = leads() && stop.getAsBoolean();
            long c0 = System.nanoTime();
            SoftmaxCrossEntropy.Totals mine = null;
            if (!stopping) {
                replica.enqueueCompute(s * batch + offset, offset, step);
                mine = replica.awaitCompute();
            }
            computeSeconds += (System.nanoTime() - c0) / 1e9;
            long g0 = System.nanoTime();
            List<byte[]> all = gather(stepMessage(stopping ? STOP : STEP, mine));
            stepGatherMs.add((System.nanoTime() - g0) / 1e6);
            ByteBuffer[] parts = new ByteBuffer[all.size()];
            for (int r = 0; r < parts.length; r++) parts[r] = ByteBuffer.wrap(all.get(r)).order(ByteOrder.LITTLE_ENDIAN);
            int word = parts[0].getInt();
            for (int r = 1; r < parts.length; r++) parts[r].getInt();
            if (word != STEP) {
                if (word == DONE) closed = true;
                return null; // the partial epoch is not counted; a resume replays it
            }
            SoftmaxCrossEntropy.Totals sum = LockstepSteps.combine(reduce(parts));
            if (sum.firstBadStep() >= 0 || !Double.isFinite(sum.loss())) {
                throw new TrainingDivergedException(step, "training loss became NaN or infinite at step " + step + " (epoch " + (epoch + 1)
                        + ")" + Diagnostics.firstNonFinite(replica.trainer().network()) + "; lower the learning rate or check the input normalisation");
            }
            replica.applyReduced(settings.schedule().rate(settings.optimizer().lr(), step, steps, total));
            lossSum += sum.loss() * sum.rows();
            hits += sum.accuracy() * sum.rows();
            rows += sum.rows();
            step++;
            progress.accept(batch);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        synchronise();
        double lr = settings.schedule().rate(settings.optimizer().lr(), Math.max(0, step - 1), steps, total);
        return new EpochStats(epoch++, rows > 0 ? lossSum / rows : 0, rows > 0 ? hits / rows : 0, lr, seconds, steps * batch);
    }

    private byte[] stepMessage(int word, SoftmaxCrossEntropy.Totals mine) {
        if (mine == null) return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(word).array();
        FloatBuffer[] grads = replica.mappedGradients();
        int floats = 0;
        for (FloatBuffer g : grads) floats += g.capacity();
        ByteBuffer b = ByteBuffer.allocate(4 + 32 + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(word).putDouble(mine.loss()).putDouble(mine.accuracy()).putLong(mine.rows()).putLong(mine.firstBadStep());
        for (FloatBuffer g : grads) for (int k = 0; k < g.capacity(); k++) b.putFloat(g.get(k));
        bytesPerStep = b.capacity();
        return b.array();
    }

    /**
     * Every member's slice totals, and this member's mapped gradient overwritten with the sum
     * {@code sum over r of weights[r] * g_r} accumulated in double in member order: the float
     * {@link GradientAllReduce} computes for the same slices on one machine.
     */
    private SoftmaxCrossEntropy.Totals[] reduce(ByteBuffer[] parts) {
        long t0 = System.nanoTime();
        int n = parts.length;
        SoftmaxCrossEntropy.Totals[] totals = new SoftmaxCrossEntropy.Totals[n];
        for (int r = 0; r < n; r++) totals[r] = new SoftmaxCrossEntropy.Totals(parts[r].getDouble(), parts[r].getDouble(), parts[r].getLong(), parts[r].getLong());
        FloatBuffer[] grads = replica.mappedGradients();
        for (FloatBuffer g : grads) {
            for (int k = 0; k < g.capacity(); k++) {
                double acc = 0;
                for (int r = 0; r < n; r++) acc += weights[r] * parts[r].getFloat();
                g.put(k, (float) acc);
            }
        }
        reduceSeconds += (System.nanoTime() - t0) / 1e9;
        return totals;
    }

    /** Batch-norm running statistics averaged over the members, weighted by rows (as {@link ReplicatedTrainer} does). */
    private void synchronise() {
        List<Param> params = replica.trainer().network().params();
        int floats = 0;
        for (Param p : params) if (!p.trainable()) floats += (int) p.value().floats();
        if (floats == 0 || group.size() < 2) return;
        var queue = device.queue();
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * floats).order(ByteOrder.LITTLE_ENDIAN).putInt(SYNC);
        for (Param p : params) if (!p.trainable()) for (float v : p.value().readFloats(queue)) b.putFloat(v);
        List<byte[]> all = gather(b.array());
        List<ByteBuffer> parts = new ArrayList<>();
        for (byte[] a : all) parts.add((ByteBuffer) ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).position(4));
        for (Param p : params) {
            if (p.trainable()) continue;
            float[] value = new float[(int) p.value().floats()];
            for (int k = 0; k < value.length; k++) {
                double acc = 0;
                for (int r = 0; r < parts.size(); r++) acc += weights[r] * parts.get(r).getFloat();
                value[k] = (float) acc;
            }
            p.value().write(queue, value);
        }
    }

    private List<byte[]> gather(byte[] mine) {
        long t0 = System.nanoTime();
        List<byte[]> all = group.allGather(mine);
        exchangeSeconds += (System.nanoTime() - t0) / 1e9;
        if (all.size() != group.size()) throw new IllegalStateException("the group gathered " + all.size() + " messages, expected " + group.size());
        exchangedSteps++;
        return all;
    }

    @Override
    public Evaluation evaluate() {
        if (test == null) test = data.test().apply(device);
        return replica.trainer().evaluate(test);
    }

    @Override
    public Path save(Path root, Map<String, Object> extra) throws IOException {
        TrainLoop<?> loop = replica.trainer().loop();
        loop.setPosition(epoch, step);
        return loop.save(root, extra, List.of());
    }

    @Override
    public Map<String, Object> load(Path folder) throws IOException {
        Map<String, Object> index = replica.trainer().loop().restore(folder);
        epoch = replica.trainer().epoch();
        step = replica.trainer().step();
        return index;
    }

    @Override
    public String describe() {
        return "member " + group.rank() + " of a group of " + group.size() + " in data parallel on " + device.device().describe()
                + "; kernels " + replica.trainer().network().describeKernels();
    }

    /**
     * {@code group}: members, this member's rows, the bytes each member sends per step, all exchange
     * time, the all-gather of one step (median and mean over every step but the session's first,
     * which also waits for the slowest member's start), and per step the time to reduce and to compute.
     */
    @Override
    public Map<String, Object> deviceMetrics() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("members", group.size());
        g.put("rank", group.rank());
        g.put("rows", replica.rows());
        g.put("exchanges", exchangedSteps);
        g.put("bytes_per_step", bytesPerStep);
        double perStep = Math.max(1, step);
        g.put("exchange_seconds", exchangeSeconds);
        List<Double> later = stepGatherMs.size() > 1 ? stepGatherMs.subList(1, stepGatherMs.size()).stream().sorted().toList() : List.of();
        g.put("allgather_ms_median", later.isEmpty() ? 0 : later.get(later.size() / 2)); // the all-reduce of one step, members already running
        g.put("allgather_ms_mean", later.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        g.put("reduce_ms_per_step", 1e3 * reduceSeconds / perStep);
        g.put("compute_ms_per_step", 1e3 * computeSeconds / perStep);
        return Map.of("group", g);
    }

    /** The leader's close ends the followers' {@link #follow} loop. */
    @Override
    public void close() {
        try {
            if (leads() && !closed) {
                closed = true;
                gather(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(DONE).array());
            }
        } finally {
            if (test != null) test.close();
            replica.close();
        }
    }
}
