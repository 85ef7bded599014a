package dev.clpipe.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/** A {@link TrainLoop} with its data as an {@link EpochSession}: position and checkpoints from the loop, epochs from {@code epochs}. */
public final class LoopSession<E extends TrainedEpoch> implements EpochSession<E> {
    /** One epoch over the session's data, or null when stopped. */
    public interface Epochs<E> {
        E train(LongConsumer progress, BooleanSupplier stop);
    }

    private final TrainLoop<?> loop;
    private final LongSupplier stepsPerEpoch;
    private final Epochs<E> epochs;

    LoopSession(TrainLoop<?> loop, LongSupplier stepsPerEpoch, Epochs<E> epochs) {
        this.loop = loop;
        this.stepsPerEpoch = stepsPerEpoch;
        this.epochs = epochs;
    }

    @Override
    public int epoch() {
        return loop.epoch();
    }

    @Override
    public long step() {
        return loop.step();
    }

    @Override
    public long stepsPerEpoch() {
        return stepsPerEpoch.getAsLong();
    }

    @Override
    public E trainEpoch(LongConsumer progress, BooleanSupplier stop) {
        return epochs.train(progress, stop);
    }

    @Override
    public Path save(Path root, Map<String, Object> extra) throws IOException {
        return loop.save(root, extra, List.of());
    }

    @Override
    public Map<String, Object> load(Path folder) throws IOException {
        return loop.restore(folder);
    }
}
