package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.KernelTuner;
import dev.clpipe.nn.ops.TuningCache;
import dev.clpipe.nn.ops.TuningChoice;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * {@code clpipe bench tune}: runs the kernel tuner on each device, reports every candidate, and
 * stores the winner under {@code $CLPIPE_CACHE/tuning/} where {@code Gemm.create}/{@code Conv2d.create} find it.
 */
public final class TuneBench implements BenchSuite {
    @Override
    public String name() {
        return "tune";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        if (log != null) log.println("# tuning " + context.device().describe() + (quick ? " (quick)" : ""));
        double budget = quick ? 50 : 600;
        KernelTuner tuner = new KernelTuner(context, work -> Timer.millis(context.queue(), work, 3, budget),
                t -> sink.accept(BenchResult.call(t.op(), t.shape(), t.candidate(), BenchDevice.of(context),
                        t.ms(), t.gflops())));
        TuningChoice choice = quick ? tuner.tune(512, 2) : tuner.tune(1024, 8);
        TuningCache cache = TuningCache.standard();
        try {
            cache.store(context.device(), choice);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store tuning result in " + cache.fileFor(context.device()), e);
        }
        if (log != null) log.println("# chose " + choice + " -> " + cache.fileFor(context.device()));
    }
}
