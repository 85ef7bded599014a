package dev.clpipe.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one stream: a source and its stages, each on its own thread, joined by bounded queues of
 * batches so a slow stage holds the others back (back-pressure) instead of filling memory.
 * Each thread's time is split into busy (its own code) and waiting (on its neighbours).
 */
final class StreamRunner {
    private static final List<Item> END = new ArrayList<>(0); // identity marks the end of the stream
    private static final long POLL_MS = 100;

    private final StageContext context;
    private final Journal journal;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    StreamRunner(StageContext context, Journal journal) {
        this.context = context;
        this.journal = journal;
    }

    void run(StagePlan.OfSource sourcePlan, List<StagePlan.OfStage> stagePlans) throws Exception {
        PipelineSettings settings = context.settings();
        context.metrics().stage(sourcePlan.id()); // register in pipeline order, for metrics.json
        stagePlans.forEach(p -> context.metrics().stage(p.id()));
        List<Stage> stages = new ArrayList<>();
        try (Source source = Metrics.reportingAs(sourcePlan.id(), () -> sourcePlan.open(context))) {
            for (StagePlan.OfStage plan : stagePlans) stages.add(Metrics.reportingAs(plan.id(), () -> plan.open(context)));
            Progress progress = Progress.forStream(settings.name(), source.expectedCount());
            List<BlockingQueue<List<Item>>> queues = new ArrayList<>();
            for (int i = 0; i < stages.size(); i++) queues.add(new ArrayBlockingQueue<>(settings.queue()));
            List<Thread> threads = new ArrayList<>();
            threads.add(thread(sourcePlan.id(), () -> produce(source, sourcePlan.id(), queues.get(0), progress)));
            // the bar advances with the last stage: an item counts when it is finished, not when it is read
            for (int i = 0; i < stages.size(); i++) {
                Stage stage = stages.get(i);
                String id = stagePlans.get(i).id();
                BlockingQueue<List<Item>> in = queues.get(i);
                BlockingQueue<List<Item>> out = i + 1 < queues.size() ? queues.get(i + 1) : null;
                threads.add(thread(id, () -> consume(stage, id, in, out, out == null ? progress : null)));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
            progress.finish();
        } finally {
            for (int i = 0; i < stages.size(); i++) {
                Stage stage = stages.get(i);
                Metrics.reportingAs(stagePlans.get(i).id(), () -> {
                    closeQuietly(stage);
                    return null;
                });
            }
        }
        rethrow(failure.get());
    }

    /** A stage's failure, whatever it was (an OutOfMemoryError too), ends the stream on the calling thread. */
    private static void rethrow(Throwable failed) throws Exception {
        if (failed instanceof Exception e) throw e;
        if (failed instanceof Error e) throw e;
        if (failed != null) throw new IllegalStateException(failed);
    }

    private Thread thread(String id, Body body) {
        Thread t = new Thread(() -> {
            try {
                Metrics.reportingAs(id, () -> {
                    body.run();
                    return null;
                });
            } catch (Throwable e) { // an Error left uncaught here would leave the other stages waiting forever
                if (failure.compareAndSet(null, e)) {
                    context.failedIn(id);
                    context.requestStop();
                }
            }
        }, "stage-" + id);
        t.setDaemon(true);
        return t;
    }

    private void produce(Source source, String id, BlockingQueue<List<Item>> out, Progress progress) throws Exception {
        StageStats stats = context.metrics().stage(id);
        int batchSize = context.settings().batch();
        long t0 = System.nanoTime();
        Iterator<Item> items = source.items();
        List<Item> batch = new ArrayList<>(batchSize);
        long produced = 0;
        while (!context.stopRequested()) {
            if (!items.hasNext()) break;
            Item item = items.next();
            if (journal.isDone(item.origin())) continue; // --resume: finished in an earlier run
            batch.add(item);
            produced++;
            if (batch.size() == batchSize) {
                stats.addBusy(System.nanoTime() - t0, batch.size());
                put(out, batch, stats);
                batch = new ArrayList<>(batchSize);
                t0 = System.nanoTime();
            }
        }
        if (!batch.isEmpty()) {
            stats.addBusy(System.nanoTime() - t0, batch.size());
            put(out, batch, stats);
        }
        if (!context.stopRequested()) progress.setTotal(produced); // the walk is over: from now on the bar has a total and an ETA
        put(out, END, stats);
    }

    /** {@code progress}: given to the last stage only, which counts finished source items. */
    private void consume(Stage stage, String id, BlockingQueue<List<Item>> in, BlockingQueue<List<Item>> out, Progress progress) throws Exception {
        StageStats stats = context.metrics().stage(id);
        context.runningStage(stats);
        while (true) {
            List<Item> batch = take(in, stats);
            if (batch == null) return; // aborted
            if (batch != END && context.stopRequested()) continue; // Ctrl-C: read-ahead is dropped, left for --resume
            long t0 = System.nanoTime();
            List<Item> produced = batch == END ? stage.finish() : stage.process(batch);
            stats.addBusy(System.nanoTime() - t0, batch.size());
            if (out == null) {
                Set<String> done = origins(batch == END ? produced : batch);
                journal.markDone(done);
                if (batch != END) progress.advance(done.size());
            } else if (!produced.isEmpty()) {
                put(out, produced, stats);
            }
            if (batch == END) {
                if (out != null) put(out, END, stats);
                return;
            }
        }
    }

    private static Set<String> origins(List<Item> items) {
        Set<String> ids = new LinkedHashSet<>();
        for (Item item : items) ids.add(item.origin());
        return ids;
    }

    /** Blocks for room downstream, giving up when another stage has failed. */
    private void put(BlockingQueue<List<Item>> queue, List<Item> batch, StageStats stats) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            while (!queue.offer(batch, POLL_MS, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) return;
            }
        } finally {
            stats.addWait(System.nanoTime() - t0);
        }
    }

    /** Blocks for input; null when another stage has failed. */
    private List<Item> take(BlockingQueue<List<Item>> queue, StageStats stats) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            while (true) {
                List<Item> batch = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (batch != null) return batch;
                if (failure.get() != null) return null;
            }
        } finally {
            stats.addWait(System.nanoTime() - t0);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            org.apache.logging.log4j.LogManager.getLogger(StreamRunner.class).warn("closing a stage failed: {}", e.toString());
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }
}
