package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A suite that can also measure several devices working together ({@code --device all} with more
 * than one device): each device alone, then all at once, and the scaling between them.
 */
public interface MultiDeviceSuite extends BenchSuite {
    /** Returns the scaling report (per-device split, speed-up, efficiency) for the JSON output. */
    Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log);
}
