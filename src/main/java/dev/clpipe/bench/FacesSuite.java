package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.face.bench.FaceClusteringBench;
import dev.clpipe.face.bench.SyntheticFaces;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code clpipe bench faces}: clustering time and quality on synthetic 128-D embeddings ("folder":
 * well separated people; "event": look-alikes closer than 0.6). Host work; the device is unused.
 * Size from {@code -Dclpipe.bench.faces=N} (default 10,000; 2,000 with --quick).
 */
public final class FacesSuite implements BenchSuite {
    @Override
    public String name() {
        return "faces";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        int n = Integer.getInteger("clpipe.bench.faces", quick ? 2000 : 10_000);
        if (log != null) log.println("# synthetic faces, n=" + n + " (host)");
        for (String scenario : new String[] {"folder", "event"}) {
            SyntheticFaces.Spec spec = scenario.equals("folder") ? SyntheticFaces.Spec.realistic() : SyntheticFaces.Spec.event();
            for (FaceClusteringBench.Row r : FaceClusteringBench.run(scenario, spec, n, 42, null)) {
                String quality = r.scores() == null ? "" : String.format(Locale.ROOT, "pairF=%.3f bcubedF=%.3f nmi=%.3f",
                        r.scores().pairwise().f1(), r.scores().bcubed().f1(), r.scores().nmi());
                sink.accept(new BenchResult(r.method(), scenario + " n=" + r.n(), quality, "host", r.seconds() * 1000, 0));
            }
        }
    }
}
