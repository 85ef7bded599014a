package dev.clpipe.pipeline;

import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs a planned pipeline inside its run folder: freezes the config, records run.json, runs jobs
 * and streams in order, and always leaves metrics.json, skipped.csv and a closing summary, also
 * after a failure or Ctrl-C (which stops the source and lets in-flight items finish).
 */
public final class PipelineRun {
    private static final Logger LOG = LogManager.getLogger(PipelineRun.class);

    /** How a run ended. */
    public enum Status { OK, FAILED, INTERRUPTED }

    public record Result(Status status, RunFolder folder, Metrics metrics, long skipped) {}

    private PipelineRun() {}

    /** Options of one execution that are not part of the pipeline's config. */
    /** {@code forceConfig}: resume even though the config differs from the recorded one (recorded in run.json). */
    /**
     * {@code into}: a fresh run in this empty folder made beforehand (a Spark driver's), instead of a
     * new one under {@code out}; {@code prepare}: called with the run's context before any stage opens.
     */
    public record Options(Optional<Path> resume, boolean profileKernels, List<String> command, boolean forceConfig, Optional<Path> into,
            java.util.function.Consumer<StageContext> prepare) {
        public Options(Optional<Path> resume, boolean profileKernels, List<String> command, boolean forceConfig) {
            this(resume, profileKernels, command, forceConfig, Optional.empty(), context -> { });
        }

        public Options(Optional<Path> resume, boolean profileKernels, List<String> command) {
            this(resume, profileKernels, command, false);
        }

        public static Options defaults() {
            return new Options(Optional.empty(), false, List.of());
        }
    }

    public static Result execute(Pipeline pipeline, Optional<Path> resume, Supplier<ClRuntime> runtime, List<String> command)
            throws Exception {
        return execute(pipeline, runtime, new Options(resume, false, command));
    }

    public static Result execute(Pipeline pipeline, Supplier<ClRuntime> runtime, Options options) throws Exception {
        Optional<Path> resume = options.resume();
        List<String> command = options.command();
        PipelineSettings settings = pipeline.settings();
        RunFolder folder = resume.isPresent() ? RunFolder.resume(resume.get())
                : options.into().isPresent() ? RunFolder.into(options.into().get())
                : RunFolder.create(settings.out(), settings.name(), LocalDateTime.now());
        RunRecord record = new RunRecord(folder, pipeline, command);
        Optional<String> wholeStream = folder.resumed() ? stageNeedingEveryItem(pipeline) : Optional.empty();
        Config frozen = pipeline.frozenConfig();
        try (RunFolderHold hold = RunFolderHold.take(folder, frozen, pipeline.config(), options.forceConfig(), record);
                RunLog log = new RunLog(folder.file("log.txt"));
                StageContext context = new StageContext(settings, folder, runtime);
                Journal journal = new Journal(folder.file("completed.txt"), wholeStream.isPresent())) {
            if (options.profileKernels()) context.profileKernels();
            options.prepare().accept(context);
            context.completedBy(journal::isDone);
            if (!folder.resumed()) frozen.write(folder.file("config.yaml"));
            if (wholeStream.isPresent()) {
                LOG.warn("stage {} works on every item at once, so this resume processes the whole input again (outputs are replaced)", wholeStream.get());
            } else if (folder.resumed()) {
                context.metrics().continueFrom(folder.file("metrics.json"));
            }
            LOG.info("run folder {}{}", folder.path(), folder.resumed() ? " (resuming: " + journal.size() + " items already done)" : "");
            SpaceReserve reserve = SpaceReserve.claim(folder);
            reportEarlierDeaths(folder, settings, record);
            record.start();
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> interrupt(context, finished), "clpipe-ctrl-c");
            Runtime.getRuntime().addShutdownHook(hook);
            Status status = Status.FAILED;
            context.metrics().writeTo(folder.file("metrics.json"));
            AutoCloseable snapshots = context.metrics().writeEvery(folder.file("metrics.json"), 2000);
            try {
                runSteps(pipeline.stages(), context, journal);
                status = context.stopRequested() ? Status.INTERRUPTED : Status.OK;
                return new Result(status, folder, context.metrics(), context.skipped().size());
            } catch (Throwable failed) { // an Error too: run.json must not stay "running"
                String reason = FailureReason.of(failed, context.failedStage());
                record.failedBecause(reason);
                LOG.debug("the run failed: {}", reason, failed); // the trace goes to log.txt only
                throw failed;
            } finally {
                snapshots.close();
                reserve.release();
                finishRun(folder, context, record, status);
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and waits for the latch released above.
                }
            }
        }
    }

    /** A crashed earlier process is said, not hidden: before run.json is rewritten, which still holds its pid. */
    private static void reportEarlierDeaths(RunFolder folder, PipelineSettings settings, RunRecord record) {
        if (folder.resumed()) {
            ProcessRecord.died(folder.path()).ifPresent(message -> {
                LOG.warn("{}", message);
                record.previousProcess(message);
            });
        } else {
            ProcessRecord.diedBeside(settings.out(), settings.name(), folder.path()).forEach(message -> LOG.warn("{}", message));
        }
    }

    private static void interrupt(StageContext context, CountDownLatch finished) {
        LOG.warn("interrupted: stopping the source and finishing the items in flight");
        context.requestStop();
        try {
            finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first stream stage whose result covers every item (a resume then starts the stream over). */
    private static Optional<String> stageNeedingEveryItem(Pipeline pipeline) {
        return pipeline.stages().stream().filter(p -> p instanceof StagePlan.OfStage s && s.needsEveryItem()).map(StagePlan::id).findFirst();
    }

    /** Jobs run alone; a source and the stages after it form one stream. */
    private static void runSteps(List<StagePlan> plans, StageContext context, Journal journal) throws Exception {
        for (int i = 0; i < plans.size() && !context.stopRequested(); ) {
            StagePlan plan = plans.get(i);
            if (plan instanceof StagePlan.OfJob job) {
                LOG.info("stage {} ({})", job.id(), job.type());
                StageStats stats = context.metrics().stage(job.id());
                long t0 = System.nanoTime();
                try {
                    Metrics.reportingAs(job.id(), () -> {
                        job.open(context).run(context);
                        return null;
                    });
                } catch (Throwable failed) {
                    context.failedIn(job.id());
                    throw failed;
                }
                stats.addBusy(System.nanoTime() - t0, 0);
                i++;
            } else if (plan instanceof StagePlan.OfSource source) {
                List<StagePlan.OfStage> stages = new ArrayList<>();
                int j = i + 1;
                while (j < plans.size() && plans.get(j) instanceof StagePlan.OfStage stage) {
                    stages.add(stage);
                    j++;
                }
                new StreamRunner(context, journal).run(source, stages);
                i = j;
            } else {
                throw new IllegalStateException("stage " + plan.id() + " has no stream to work on");
            }
        }
    }

    /**
     * Writes run.json, skipped.csv and metrics.json, each on its own, so one that fails (a full
     * disk) does not cost the others; run.json first, since its status is what a reader trusts.
     */
    private static void finishRun(RunFolder folder, StageContext context, RunRecord record, Status status) {
        Map<String, Map<String, Metrics.KernelTime>> kernels = context.kernelTimes();
        if (!kernels.isEmpty()) {
            context.metrics().kernels(kernels);
            kernels.forEach((device, perKernel) -> perKernel.forEach((kernel, t) -> LOG.info("kernel {} on {}: {}", kernel, device, t)));
        }
        writeRecord(folder, "run.json", () -> record.finish(status, context.openedDevices(), context.decoders(), context.encoders()));
        writeRecord(folder, "skipped.csv", () -> context.skipped().writeCsv(folder.file("skipped.csv")));
        writeRecord(folder, "metrics.json", () -> context.metrics().write(folder.file("metrics.json")));
        RunSummary.log(context.metrics(), context.skipped(), folder, status, context.failedStage());
    }

    private static void writeRecord(RunFolder folder, String name, RecordWriter writer) {
        try {
            writer.write();
        } catch (IOException | RuntimeException e) {
            LOG.error("could not write {} in {}: {}", name, folder.path(), e.getMessage());
        }
    }

    @FunctionalInterface
    private interface RecordWriter {
        void write() throws IOException;
    }

    /** run.json (docs/schemas/run.schema.json): what ran, where, with which seed and software, and how it ended. */
    static final class RunRecord {
        private final RunFolder folder;
        private final Map<String, Object> json = new LinkedHashMap<>();

        RunRecord(RunFolder folder, Pipeline pipeline, List<String> command) {
            this.folder = folder;
            json.put("schema_version", 1); // docs/schemas/run.schema.json
            json.put("name", pipeline.settings().name());
            json.put("run_folder", folder.path().toAbsolutePath().normalize().toString());
            Path config = pipeline.config().file().toAbsolutePath().normalize();
            json.put("config", config.toString());
            Path earlierRun = config.getParent();
            if (config.getFileName().toString().equals("config.yaml") && java.nio.file.Files.isRegularFile(earlierRun.resolve("run.json"))
                    && !earlierRun.equals(folder.path().toAbsolutePath().normalize())) {
                json.put("rerun_of", earlierRun.toString()); // clpipe run RUN_DIR
            }
            json.put("command", command);
            json.put("seed", pipeline.settings().seed());
            json.put("device", pipeline.settings().device());
            Map<String, Object> versions = new LinkedHashMap<>();
            versions.put("clpipe", Optional.ofNullable(PipelineRun.class.getPackage().getImplementationVersion()).orElse("dev"));
            versions.put("java", System.getProperty("java.version"));
            versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
            json.put("versions", versions);
            json.putAll(ProcessRecord.current());
        }

        /** What became of the process that ran this folder before a resume, when it died. */
        void previousProcess(String message) {
            json.put("previous_process", message);
        }

        /** A resume accepted with --force-config: the keys in which its config differed. */
        void configForced(List<String> keys) {
            json.put("config_forced", keys);
        }

        void start() throws IOException {
            if (folder.resumed()) keepEarlierParts();
            json.put("status", "running");
            json.put("started", Instant.now().toString());
            JsonFiles.write(folder.file("run.json"), json);
        }

        /** A resume keeps when the run first started and counts its parts. */
        private void keepEarlierParts() throws IOException {
            com.fasterxml.jackson.databind.JsonNode earlier = JsonFiles.JSON.readTree(folder.file("run.json").toFile());
            json.put("first_started", earlier.path("first_started").asText(earlier.path("started").asText()));
            json.put("parts", earlier.path("parts").asInt(1) + 1);
        }

        /** The one-line reason a failed run gives in run.json ({@code "error"}). */
        void failedBecause(String reason) {
            json.put("error", reason);
        }

        void finish(Status status, List<String> devices, Map<String, String> decoders, Map<String, String> encoders) throws IOException {
            json.put("status", status.name().toLowerCase());
            json.put("devices", devices);
            if (!decoders.isEmpty()) json.put("decoders", new java.util.TreeMap<>(decoders));
            if (!encoders.isEmpty()) json.put("encoders", new java.util.TreeMap<>(encoders));
            json.put("ended", Instant.now().toString());
            JsonFiles.write(folder.file("run.json"), json);
        }
    }
}
