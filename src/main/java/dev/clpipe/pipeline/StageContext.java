package dev.clpipe.pipeline;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.data.SkippedReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What a running stage may use: the pipeline's settings, its run folder, the skipped-files
 * report, metrics, the OpenCL device(s) (opened on first use, closed with the run), a worker pool
 * for host work, and the stop flag set by Ctrl-C.
 */
public final class StageContext implements AutoCloseable {
    private final PipelineSettings settings;
    private final RunFolder runFolder;
    private final SkippedReport skipped = new SkippedReport();
    private final Metrics metrics;
    /** The stats of the stage whose thread this is, so its worker tasks are counted to it. */
    private final ThreadLocal<StageStats> runningStage = new ThreadLocal<>();
    private final Supplier<ClRuntime> runtime;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile String failedStage;
    private final ExecutorService workers;
    private List<ClContext> devices;
    /** Devices of stages placed with their own {@code device:} string, by that string. */
    private final Map<String, List<ClContext>> placed = new LinkedHashMap<>();
    private boolean profileKernels;
    private final Map<String, String> decoders = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, String> encoders = new java.util.concurrent.ConcurrentSkipListMap<>();

    public StageContext(PipelineSettings settings, RunFolder runFolder, Supplier<ClRuntime> runtime) {
        this.settings = settings;
        this.runFolder = runFolder;
        this.runtime = runtime;
        this.metrics = new Metrics(settings.workers());
        this.workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "clpipe-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public PipelineSettings settings() {
        return settings;
    }

    public RunFolder runFolder() {
        return runFolder;
    }

    private volatile java.util.function.Predicate<String> completed = id -> false;
    private volatile dev.clpipe.data.CsvSink.RowTap rowTap;

    /** The run's journal of finished source items (set by the runner before stages open). */
    void completedBy(java.util.function.Predicate<String> journal) {
        this.completed = journal;
    }

    /**
     * A JSON Lines output of this run: appended to; in a resumed run first cleared of the lines of
     * items that were not finished (they are redone), so every item has its line once.
     */
    public dev.clpipe.data.JsonlSink jsonl(java.nio.file.Path file) throws java.io.IOException {
        return runFolder.resumed() ? dev.clpipe.data.JsonlSink.resuming(file, completed) : new dev.clpipe.data.JsonlSink(file);
    }

    /**
     * Marks this context as holding one part of a run (a Spark executor's): CSV rows also go to
     * {@code tap}, which hands them to the driver, and run-end outputs are left to the driver.
     */
    public void partOfRun(dev.clpipe.data.CsvSink.RowTap tap) {
        this.rowTap = tap;
    }

    private volatile dev.clpipe.nn.train.GroupReplicaSession.Exchange replicaGroup;

    /**
     * Makes this context one member of a data-parallel group in other processes (a Spark barrier
     * task): a train stage then trains one replica joined to the others by {@code group}.
     */
    public void joinReplicaGroup(dev.clpipe.nn.train.GroupReplicaSession.Exchange group) {
        this.replicaGroup = group;
    }

    /** The group set by {@link #joinReplicaGroup}, if any. */
    public java.util.Optional<dev.clpipe.nn.train.GroupReplicaSession.Exchange> replicaGroup() {
        return java.util.Optional.ofNullable(replicaGroup);
    }

    /** A CSV output of this run (rows kept in a temp file, committed when closed). */
    public dev.clpipe.data.CsvSink csv(java.nio.file.Path file, List<String> header) throws java.io.IOException {
        return new dev.clpipe.data.CsvSink(file, header, true, rowTap);
    }

    /** Makes a stage's run-end outputs, unless this context holds only a part of the run ({@link #partOfRun}). */
    public void atRunEnd(RunOutputs outputs) throws java.io.IOException {
        if (rowTap == null) outputs.write(runFolder);
    }

    public SkippedReport skipped() {
        return skipped;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The first device of the pipeline's device string (most stages use one device). */
    public ClContext device() {
        return devices().get(0);
    }

    /** Every device the pipeline's device string selects, opened once. */
    public synchronized List<ClContext> devices() {
        if (devices == null) {
            devices = runtime.get().open(settings.device());
            if (profileKernels) devices.forEach(d -> d.queue().timings().enable());
        }
        return devices;
    }

    /**
     * The devices a stage placed with {@code device: SPEC} uses, opened once per string; null (or
     * the pipeline's own string) means the pipeline's devices.
     */
    public synchronized List<ClContext> devices(String spec) {
        if (spec == null || spec.equals(settings.device())) return devices();
        List<ClContext> opened = placed.get(spec);
        if (opened == null) {
            opened = runtime.get().open(spec);
            if (profileKernels) opened.forEach(d -> d.queue().timings().enable());
            placed.put(spec, opened);
        }
        return opened;
    }

    private List<ClContext> allOpened() {
        List<ClContext> all = new ArrayList<>();
        if (devices != null) all.addAll(devices);
        placed.values().forEach(all::addAll);
        return all;
    }

    /** Records every kernel launch's device time (OpenCL profiling events); see {@link #kernelTimes()}. */
    public synchronized void profileKernels() {
        profileKernels = true;
        allOpened().forEach(d -> d.queue().timings().enable());
    }

    /** Per device and kernel: launches and milliseconds of device time, when profiling was on. */
    public synchronized Map<String, Map<String, Metrics.KernelTime>> kernelTimes() {
        Map<String, Map<String, Metrics.KernelTime>> out = new LinkedHashMap<>();
        if (!profileKernels) return out;
        for (ClContext d : allOpened()) {
            Map<String, Metrics.KernelTime> perKernel = new LinkedHashMap<>();
            d.queue().timings().totals().forEach((kernel, total) -> perKernel.put(kernel,
                    new Metrics.KernelTime(total.launches(), Math.round(total.nanos() / 1e4) / 100.0)));
            out.put(d.device().describe(), perKernel);
        }
        return out;
    }

    /** Opened devices' descriptions, for run.json (empty when no stage used a device). */
    public synchronized List<String> openedDevices() {
        List<String> names = new ArrayList<>();
        allOpened().forEach(d -> names.add(d.device().describe()));
        return names;
    }

    /** Records that images of {@code format} were decoded by {@code decoder}, for run.json. */
    public void noteDecoder(String format, String decoder) {
        decoders.putIfAbsent(format, decoder);
    }

    /** Records that stage {@code stageId} wrote its images with {@code encoder}, for run.json. */
    public void noteEncoder(String stageId, String encoder) {
        encoders.putIfAbsent(stageId, encoder);
    }

    /** Writing stage → encoder (e.g. write → png-libdeflate-1), for run.json. */
    public Map<String, String> encoders() {
        return Map.copyOf(encoders);
    }

    /** Image format → decoder that decoded it (e.g. JPEG → libjpeg-turbo), for run.json. */
    public Map<String, String> decoders() {
        return Map.copyOf(decoders);
    }

    public boolean stopRequested() {
        return stop.get();
    }

    public void requestStop() {
        stop.set(true);
    }

    /** The worker pool for host work (decoding), for parts that schedule their own tasks. */
    public ExecutorService workers() {
        return workers;
    }

    /** Records the stage whose failure ended the run (the first one), for run.json and the error line. */
    void failedIn(String stageId) {
        if (failedStage == null) failedStage = stageId;
    }

    /** The stage that failed first, or null. */
    String failedStage() {
        return failedStage;
    }

    /** Applies {@code work} to every element on the worker pool, results in input order. */
    public <T, R> List<R> parallelMap(List<T> inputs, ThrowingFunction<T, R> work) throws Exception {
        StageStats stage = runningStage.get();
        long t0 = System.nanoTime();
        try {
            List<Future<R>> futures = new ArrayList<>(inputs.size());
            String reporting = Metrics.reportingStage(); // a worker's reports belong to the stage that asked
            for (T input : inputs) futures.add(workers.submit(() -> timed(stage, () -> asReporting(reporting, () -> work.apply(input)))));
            List<R> results = new ArrayList<>(inputs.size());
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) throw cause;
                    if (e.getCause() instanceof Error cause) throw cause; // OutOfMemoryError in a worker: the stage's failure
                    throw e;
                }
            }
            return results;
        } finally {
            if (stage != null) stage.addPoolWait(System.nanoTime() - t0);
        }
    }

    /**
     * Waits for tasks a stage chained on {@link #stageWorkers} (and other executors), counting the
     * wait as time on the pool, not as the stage's own work; the first failure is thrown as the
     * task threw it ({@link java.io.UncheckedIOException} as its IOException).
     */
    public <R> List<R> joinAll(List<java.util.concurrent.CompletableFuture<R>> tasks) throws Exception {
        StageStats stage = runningStage.get();
        long t0 = System.nanoTime();
        try {
            List<R> results = new ArrayList<>(tasks.size());
            for (java.util.concurrent.CompletableFuture<R> task : tasks) {
                try {
                    results.add(task.join());
                } catch (java.util.concurrent.CompletionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof java.io.UncheckedIOException io) throw io.getCause();
                    if (cause instanceof Exception ex) throw ex;
                    if (cause instanceof Error error) throw error;
                    throw e;
                }
            }
            return results;
        } finally {
            if (stage != null) stage.addPoolWait(System.nanoTime() - t0);
        }
    }

    /**
     * The worker pool as an executor whose tasks count, in metrics.json's {@code worker_seconds},
     * to the stage whose thread submits them (as {@link #parallelMap}'s do).
     */
    public java.util.concurrent.Executor stageWorkers() {
        StageStats stage = runningStage.get();
        String reporting = Metrics.reportingStage();
        return task -> workers.execute(() -> {
            try {
                timed(stage, () -> asReporting(reporting, () -> {
                    task.run();
                    return null;
                }));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e); // a Runnable throws no checked exception
            }
        });
    }

    /** Marks the calling thread as {@code stage}'s, so the worker tasks it submits are counted to it. */
    void runningStage(StageStats stage) {
        runningStage.set(stage);
    }

    private static <R> R asReporting(String reporting, java.util.concurrent.Callable<R> task) throws Exception {
        return reporting == null ? task.call() : Metrics.reportingAs(reporting, task);
    }

    private static <R> R timed(StageStats stage, java.util.concurrent.Callable<R> task) throws Exception {
        long t0 = System.nanoTime();
        try {
            return task.call();
        } finally {
            if (stage != null) stage.addWorker(System.nanoTime() - t0);
        }
    }

    /** A function that may throw, for {@link #parallelMap}. */
    @FunctionalInterface
    public interface ThrowingFunction<T, R> {
        R apply(T input) throws Exception;
    }

    @Override
    public synchronized void close() {
        workers.shutdownNow();
        allOpened().forEach(ClContext::close);
        devices = null;
        placed.clear();
    }
}
