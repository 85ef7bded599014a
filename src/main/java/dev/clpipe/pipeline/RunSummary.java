package dev.clpipe.pipeline;

import dev.clpipe.data.SkippedReport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The closing lines of a run: per-stage timing, the bottleneck, skipped files, where to look. */
final class RunSummary {
    private static final Logger LOG = LogManager.getLogger(RunSummary.class);

    private RunSummary() {}

    static void log(Metrics metrics, SkippedReport skipped, RunFolder folder, PipelineRun.Status status, String failedStage) {
        if (status != PipelineRun.Status.FAILED || handledAny(metrics)) table(metrics); // no timing table over 0 items
        if (!skipped.isEmpty()) {
            LOG.warn("skipped {} file(s): {}; see {}", skipped.size(), skipped.counts(), folder.file("skipped.csv"));
        }
        switch (status) {
            case OK -> LOG.info("done: {}", folder.path());
            case INTERRUPTED -> LOG.warn("interrupted; outputs so far are in {}; continue with --resume {}", folder.path(), folder.path());
            case FAILED -> LOG.error("failed{}; partial outputs and log.txt are in {}", failedStage == null ? "" : " in stage " + failedStage,
                    folder.path());
        }
    }

    private static boolean handledAny(Metrics metrics) {
        for (StageStats s : metrics.stages()) if (s.items() > 0) return true;
        return false;
    }

    private static void table(Metrics metrics) {
        LOG.info(String.format("%-16s %10s %10s %12s %8s", "stage", "items", "busy s", "items/s", "waiting"));
        for (StageStats s : metrics.stages()) {
            double rate = s.busySeconds() > 0 ? s.items() / s.busySeconds() : 0;
            LOG.info(String.format("%-16s %,10d %10.2f %12.1f %7.0f%%", s.id(), s.items(), s.busySeconds(), rate, 100 * s.waitFraction()));
        }
        StageStats bottleneck = metrics.bottleneck();
        if (bottleneck != null && metrics.stages().size() > 1) {
            LOG.info(String.format("bottleneck: %s (most work: %.2f s with the %d workers shared; %d%% of its time busy)", bottleneck.id(),
                    bottleneck.demandSeconds(metrics.workers()), metrics.workers(), Math.round(100 * (1 - bottleneck.waitFraction()))));
        }
    }
}
