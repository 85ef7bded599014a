package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import java.io.PrintStream;
import java.util.function.Consumer;

/** {@code clpipe bench augment}: {@link AugmentBench}'s rows as bench results (images/s in the variant column). */
public final class AugmentSuite implements BenchSuite {
    @Override
    public String name() {
        return "augment";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        String device = context.device().describe();
        if (log != null) log.println("# " + device + (quick ? " (quick)" : ""));
        for (AugmentBench.Row r : AugmentBench.run(context, false, null, quick)) {
            sink.accept(new BenchResult(r.name(), r.shape(), "images/s=" + Math.round(r.imagesPerSecond()), device, r.msPerBatch(), 0));
        }
    }
}
