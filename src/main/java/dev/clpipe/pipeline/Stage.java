package dev.clpipe.pipeline;

import java.util.List;

/**
 * A step of a stream that works on batches: transforms (decode, augment, detect) return the items
 * to pass on (fewer when some are skipped, more when variants are made); sinks write and return
 * what they were given, so the runner can record completion.
 */
public interface Stage extends AutoCloseable {
    List<Item> process(List<Item> batch) throws Exception;

    /** Called once after the last batch; returns any items still held back. */
    default List<Item> finish() throws Exception {
        return List.of();
    }

    @Override
    default void close() throws Exception {}
}
