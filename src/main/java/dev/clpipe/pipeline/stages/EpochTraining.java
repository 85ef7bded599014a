package dev.clpipe.pipeline.stages;

import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.train.EpochSession;
import dev.clpipe.nn.train.TrainedEpoch;
import dev.clpipe.pipeline.Progress;
import dev.clpipe.pipeline.StageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The epoch skeleton every training job shares: on a resumed run it restores the latest
 * checkpoint and the histories saved in its index; then per epoch it trains with a progress
 * bar, lets the job evaluate, log and add its history rows, checkpoints the model with the
 * histories, prunes old checkpoints and lets the job write its metrics and curves. A stop
 * request ends it between (or inside) epochs; an interrupted epoch is not counted.
 */
final class EpochTraining<E extends TrainedEpoch> {
    private static final Logger LOG = LogManager.getLogger(EpochTraining.class);

    /** The job's part of each epoch. */
    interface Steps<E> {
        /** Before an epoch is trained (fresh data, counters). */
        default void beforeEpoch(int epoch) throws Exception {}

        /** After an epoch: evaluate, log, add history rows; {@code extra} goes into the checkpoint's index. */
        void afterEpoch(int epoch, E stats, Map<String, Object> extra) throws Exception;

        /** After the epoch's checkpoint: metrics.json, curves; {@code seconds} and {@code images}: training so far in this run. */
        void recorded(Path checkpoint, double seconds, long images) throws Exception;
    }

    private final String id;
    private final Path checkpoints;
    private final int keepCheckpoints;
    private final int epochs;
    private final int batch;
    private final Map<String, List<Map<String, Object>>> histories = new LinkedHashMap<>();
    private double seconds;
    private long images;

    /** {@code historyKeys}: the per-epoch histories, saved in every checkpoint's index under these keys. */
    EpochTraining(String id, Path checkpoints, int keepCheckpoints, int epochs, int batch, List<String> historyKeys) {
        this.id = id;
        this.checkpoints = checkpoints;
        this.keepCheckpoints = keepCheckpoints;
        this.epochs = epochs;
        this.batch = batch;
        for (String key : historyKeys) histories.put(key, new ArrayList<>());
    }

    /** The rows of one history (restored ones first), for the job to add to and plot. */
    List<Map<String, Object>> history(String key) {
        List<Map<String, Object>> h = histories.get(key);
        if (h == null) throw new IllegalArgumentException("no history " + key + "; known: " + histories.keySet());
        return h;
    }

    /** Training seconds in this run (not counting restored epochs). */
    double seconds() {
        return seconds;
    }

    long images() {
        return images;
    }

    Path checkpoints() {
        return checkpoints;
    }

    /** Resumes if the run is resumed, then trains until {@code epochs} are done or a stop is asked. */
    void run(StageContext context, EpochSession<E> session, Steps<E> steps) throws Exception {
        if (context.runFolder().resumed()) resume(session);
        while (session.epoch() < epochs && !context.stopRequested()) {
            int epoch = session.epoch();
            steps.beforeEpoch(epoch);
            Progress progress = Progress.forStream(String.format("epoch %d/%d", epoch + 1, epochs), OptionalLong.of(session.stepsPerEpoch() * batch));
            E stats = session.trainEpoch(progress::advance, context::stopRequested);
            progress.finish();
            if (stats == null) break;
            seconds += stats.seconds();
            images += stats.images();
            Map<String, Object> extra = new LinkedHashMap<>(histories);
            steps.afterEpoch(epoch, stats, extra);
            Path saved = session.save(checkpoints, extra);
            Checkpoints.prune(checkpoints, keepCheckpoints);
            steps.recorded(saved, seconds, images);
        }
    }

    @SuppressWarnings("unchecked")
    private void resume(EpochSession<E> session) throws IOException {
        Optional<Path> latest = Checkpoints.latest(checkpoints);
        if (latest.isEmpty()) {
            LOG.info("{}: resumed run has no checkpoint yet; starting at epoch 1", id);
            return;
        }
        Map<String, Object> index = session.load(latest.get());
        for (Map.Entry<String, List<Map<String, Object>>> h : histories.entrySet()) {
            h.getValue().addAll((List<Map<String, Object>>) index.getOrDefault(h.getKey(), List.of()));
        }
        LOG.info("{}: resumed from {} (epoch {}, step {})", id, latest.get(), session.epoch(), session.step());
    }
}
