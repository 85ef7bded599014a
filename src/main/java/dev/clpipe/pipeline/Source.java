package dev.clpipe.pipeline;

import java.util.Iterator;
import java.util.OptionalLong;

/** The first stage of a stream: produces items lazily (a folder of a million files starts at once). */
public interface Source extends AutoCloseable {
    Iterator<Item> items() throws Exception;

    /** How many items will come, when known cheaply; drives the progress bar's ETA. */
    default OptionalLong expectedCount() {
        return OptionalLong.empty();
    }

    @Override
    default void close() throws Exception {}
}
