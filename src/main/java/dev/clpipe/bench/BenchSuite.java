package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import java.io.PrintStream;
import java.util.function.Consumer;

/** A named set of measurements run on one device at a time ({@code clpipe bench NAME}). */
public interface BenchSuite {
    String name();

    /** Measures on {@code context}, handing each result to {@code sink}; {@code log} (may be null) gets a header. */
    void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log);
}
