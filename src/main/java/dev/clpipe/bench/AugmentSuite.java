package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
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
        // Decoding is host work; it is measured here because it bounds every folder job's rate.
        List<byte[]> photos = DecodeBench.jpegs(Path.of(System.getProperty("clpipe.bench.photos", "data/photos")));
        if (photos.isEmpty()) {
            if (log != null) log.println("# decode rows skipped: no JPEGs under data/photos (make data, or -Dclpipe.bench.photos=DIR)");
            return;
        }
        for (boolean parallel : new boolean[] {false, true}) {
            DecodeBench.Rate rate = DecodeBench.measure(photos, parallel, quick ? 0.5 : 3);
            sink.accept(new BenchResult("decode JPEG (" + rate.threads() + " thread" + (rate.threads() > 1 ? "s" : "") + ")",
                    rate.photos() + " real photos", String.format("images/s=%.0f MP/s=%.1f", rate.imagesPerSecond(), rate.megapixelsPerSecond()),
                    "host", 1000 / rate.imagesPerSecond(), 0));
        }
    }
}
