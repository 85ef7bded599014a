package dev.clpipe.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A training run as a job's epoch skeleton drives it, whatever trains: a classifier session on
 * one or many devices, an embedding or a detector trainer with its data.
 */
public interface EpochSession<E extends TrainedEpoch> {
    /** The next epoch to train (0-based). */
    int epoch();

    /** Steps taken so far over the whole run. */
    long step();

    long stepsPerEpoch();

    /** One epoch, or null when {@code stop} became true (resume replays the epoch). */
    E trainEpoch(LongConsumer progress, BooleanSupplier stop);

    /** Writes a checkpoint of the current state under {@code root}; returns its folder. */
    Path save(Path root, Map<String, Object> extra) throws IOException;

    /** Restores a checkpoint folder; returns its index. */
    Map<String, Object> load(Path folder) throws IOException;
}
