package dev.clpipe.spark;

import dev.clpipe.cl.ClRuntime;
import dev.clpipe.data.SkippedReport;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The per-image stages of one pipeline, opened once per executor JVM and shared by every task
 * (partition) it runs: one {@link StageContext}, so one OpenCL context per device (opened on first
 * use), one worker pool, and stages opened once. Tasks run concurrently; each stage handles one
 * batch at a time, as its single thread does on one machine, so batches of different tasks
 * pipeline through the stages. Kept in a static holder keyed by config hash and device.
 */
final class ExecutorPipeline implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ExecutorPipeline.class);
    private static final Map<String, ExecutorPipeline> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorPipeline::closeAll, "clpipe-executor-close"));
    }

    /** Receives each stage's busy time for one batch. */
    interface StageClock {
        void record(int stage, long nanos, int items);
    }

    /** Receives a line a stage wrote to a per-run JSON Lines file, with the input image it belongs to. */
    interface LineTaker {
        void line(String origin, String file, String line);
    }

    /** Receives what a batch added to a stage's metrics.json sections (numbers only: counts). */
    interface SectionTaker {
        void section(String stageId, String section, Map<String, Number> added);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final StageContext context;
    private final List<String> stageIds;
    private final List<Stage> stages;
    private final StagingFolder staging;
    private final StagedLines lines;
    private final Map<String, SkippedReport.Entry> skipIndex = new HashMap<>();
    private int skipsIndexed;

    private ExecutorPipeline(StageContext context, List<String> stageIds, List<Stage> stages, StagingFolder staging, StagedLines lines) {
        this.context = context;
        this.stageIds = stageIds;
        this.stages = stages;
        this.staging = staging;
        this.lines = lines;
    }

    /** This JVM's instance for the job and device, opened on first use. */
    static ExecutorPipeline get(SparkJobSpec spec, String device) {
        return OPEN.computeIfAbsent(spec.key() + "|" + device, k -> {
            try {
                return open(spec, device);
            } catch (Exception e) {
                throw new IllegalStateException("cannot open the pipeline's stages on this executor: " + e.getMessage(), e);
            }
        });
    }

    private static ExecutorPipeline open(SparkJobSpec spec, String device) throws Exception {
        Pipeline pipeline = PipelineLoader.plan(spec);
        PipelineSettings s = pipeline.settings();
        PipelineSettings settings = new PipelineSettings(s.name(), s.seed(), device, s.input(), s.out(), s.batch(), s.queue(), workers(s));
        StagingFolder staging = StagingFolder.create(Path.of(spec.runFolder()));
        Optional<String> kernels = spec.kernels();
        StageContext context = new StageContext(settings, staging.runFolder(),
                () -> kernels.map(k -> ClRuntime.offline(Path.of(k))).orElseGet(ClRuntime::standard));
        List<String> ids = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        StagedLines lines = new StagedLines(staging.runFolder().path());
        context.partOfRun(lines);
        try {
            for (StagePlan.OfStage plan : SparkPlan.of(pipeline).stages()) {
                ids.add(plan.id());
                var before = lines.current();
                stages.add(plan.open(context));
                lines.opened(before);
            }
        } catch (Exception e) {
            for (Stage stage : stages) closeQuietly(stage);
            context.close();
            throw e;
        }
        LOG.info("executor pipeline {} opened: stages {}, device {}, staging {}", spec.key(), ids, device, staging.runFolder().path());
        return new ExecutorPipeline(context, List.copyOf(ids), List.copyOf(stages), staging, lines);
    }

    /**
     * {@code workers: 0} means one per core; on an executor that is the cores Spark gave it
     * ({@code spark.executor.cores}), not every core of the host it shares with other executors.
     */
    private static int workers(PipelineSettings s) {
        int host = Runtime.getRuntime().availableProcessors();
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        if (s.workers() != host || env == null) return s.workers();
        return Math.max(1, Math.min(host, env.conf().getInt("spark.executor.cores", host)));
    }

    List<String> stageIds() {
        return stageIds;
    }

    int batchSize() {
        return context.settings().batch();
    }

    /** Runs one batch through every stage; the items that came out of the last one. */
    List<Item> process(List<Item> batch, StageClock clock, LineTaker taker, SectionTaker sections) throws Exception {
        List<Item> items = batch;
        for (int i = 0; i < stages.size() && !items.isEmpty(); i++) {
            Stage stage = stages.get(i);
            String id = stageIds.get(i);
            synchronized (stage) {
                long t0 = System.nanoTime();
                List<Item> in = items;
                Map<String, Object> before = context.metrics().sections(id);
                boolean done = false;
                try {
                    items = dev.clpipe.pipeline.Metrics.reportingAs(id, () -> stage.process(in));
                    done = true;
                } finally {
                    Map<String, List<String>> written = lines.take(i); // a failed batch's lines are dropped here
                    if (done) give(written, in, items, taker);
                }
                SectionDeltas.added(before, context.metrics().sections(id)).forEach((section, added) -> sections.section(id, section, added));
                clock.record(i, System.nanoTime() - t0, in.size());
            }
        }
        return items;
    }

    /** The CSV outputs' header lines, by file (the driver writes each once). */
    Map<String, String> csvHeaders() {
        return lines.headers();
    }

    /** Each line goes to the input its {@code "image"} (a CSV row: its first field) names (an item before or after the stage), else to the batch's first. */
    private void give(Map<String, List<String>> written, List<Item> in, List<Item> out, LineTaker taker) {
        if (written.isEmpty()) return;
        Map<String, String> origins = new HashMap<>();
        for (Item item : out) origins.put(item.id(), item.origin());
        for (Item item : in) origins.put(item.id(), item.origin());
        String fallback = in.get(0).origin();
        written.forEach((file, lines) -> {
            boolean csv = this.lines.isCsv(file);
            for (String line : lines) {
                String origin = null;
                try {
                    origin = origins.get(csv ? dev.clpipe.data.Csv.parse(line).get(0) : JSON.readTree(line).path("image").asText(null));
                } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException notParsed) {
                    // kept with the batch's first image
                }
                taker.line(origin == null ? fallback : origin, file, line);
            }
        });
    }

    /** Moves the files stages wrote so far into the run folder, except the merged JSON Lines files. */
    void publish() throws IOException {
        staging.publish(lines::isMerged);
    }

    /** Why a stage dropped the item with this id, if it reported it (as one machine's skipped.csv would). */
    synchronized Optional<SkippedReport.Entry> skipOf(String id) {
        SkippedReport.Entry entry = skipIndex.get(id);
        if (entry == null && context.skipped().size() > skipsIndexed) {
            List<SkippedReport.Entry> all = context.skipped().entries();
            for (int i = skipsIndexed; i < all.size(); i++) skipIndex.put(all.get(i).file(), all.get(i));
            skipsIndexed = all.size();
            entry = skipIndex.get(id);
        }
        return Optional.ofNullable(entry);
    }

    /** Closes this JVM's pipelines of one job (in local mode the driver's JVM is the executor). */
    static void close(String specKey) {
        for (String key : List.copyOf(OPEN.keySet())) {
            ExecutorPipeline p = key.startsWith(specKey + "|") ? OPEN.remove(key) : null;
            if (p != null) p.close();
        }
    }

    /** Closes every pipeline of this JVM (at executor shutdown). */
    static void closeAll() {
        for (String key : List.copyOf(OPEN.keySet())) {
            ExecutorPipeline p = OPEN.remove(key);
            if (p != null) p.close();
        }
    }

    @Override
    public void close() {
        for (Stage stage : stages) closeQuietly(stage);
        try {
            staging.publish(lines::isMerged);
        } catch (IOException e) {
            LOG.warn("could not publish the last staged files: {}", e.toString());
        }
        context.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing a stage failed: {}", e.toString());
        }
    }
}
