package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import java.util.function.Consumer;

/** Convolution cases of the kernels suite (filled in with the conv kernels). */
final class ConvBench {
    ConvBench(ClContext context, double budget, Consumer<BenchResult> sink) {}

    void runAll() {}
}
