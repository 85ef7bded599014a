package dev.clpipe.spark;

import dev.clpipe.data.ImageBytes;

import dev.clpipe.data.ImageRef;
import dev.clpipe.pipeline.Item;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * The body of each Spark task: turns {@code binaryFile} rows ({@code path, content}) into
 * items, runs them batch by batch through this executor's {@link ExecutorPipeline}, publishes
 * the files written, hands the per-run JSON Lines to the driver ({@link MergedLines}), and yields one {@link ResultRows result row} per input image. Lazy: a
 * partition of any size holds one batch in memory.
 */
final class PartitionProcessor implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final SparkJobSpec spec;
    private final SparkMetrics metrics;
    private final MergedLines lines;
    private final Broadcast<Map<String, Long>> index;
    private final String rootPrefix;
    private final String device;

    /**
     * @param index      relative path → position in the one-machine walk ({@link WalkOrder})
     * @param rootPrefix the qualified input folder followed by '/', as it starts every {@code path}
     * @param device     the device string of the config (Spark's GPU assignment may refine it)
     */
    PartitionProcessor(SparkJobSpec spec, SparkMetrics metrics, MergedLines lines, Broadcast<Map<String, Long>> index, String rootPrefix,
                       String device) {
        this.spec = spec;
        this.metrics = metrics;
        this.lines = lines;
        this.index = index;
        this.rootPrefix = rootPrefix;
        this.device = device;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ExecutorPipeline pipeline = ExecutorPipeline.get(spec, GpuAssignment.deviceFor(device, TaskContext.get()));
        // every CSV output's header, so a file gets it even when no task wrote a row (the driver keeps one)
        pipeline.csvHeaders().forEach((file, header) -> lines.add(new LinePart(MergedLines.HEADER, file, List.of(header))));
        return new Iterator<>() {
            private Iterator<Row> ready = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!ready.hasNext() && rows.hasNext()) ready = nextBatch(rows, pipeline).iterator();
                return ready.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.next();
            }
        };
    }

    private List<Row> nextBatch(Iterator<Row> rows, ExecutorPipeline pipeline) {
        long t0 = System.nanoTime();
        List<Item> batch = new ArrayList<>();
        while (batch.size() < pipeline.batchSize() && rows.hasNext()) batch.add(item(rows.next()));
        metrics.stage(0, System.nanoTime() - t0, batch.size());
        List<Item> inputs = List.copyOf(batch);
        try {
            List<Item> results;
            Map<String, Map<String, List<String>>> written = new LinkedHashMap<>(); // input id -> file -> lines
            try {
                results = pipeline.process(batch, (stage, nanos, n) -> metrics.stage(stage + 1, nanos, n), (origin, file, line) ->
                        written.computeIfAbsent(origin, k -> new LinkedHashMap<>()).computeIfAbsent(file, k -> new ArrayList<>()).add(line),
                        metrics::section);
            } finally {
                pipeline.publish();
            }
            for (Item in : inputs) {
                Map<String, List<String>> files = written.remove(in.id());
                if (files != null) files.forEach((file, l) -> lines.add(new LinePart(in.index(), file, List.copyOf(l))));
            }
            if (!written.isEmpty()) throw new IllegalStateException("lines were written for items not in the batch: " + written.keySet());
            return rows(inputs, results, pipeline);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("batch starting at " + inputs.get(0).id() + " failed: " + e, e);
        }
    }

    private Item item(Row row) {
        String uri = row.getString(0);
        if (!uri.startsWith(rootPrefix)) {
            throw new IllegalStateException("binaryFile gave " + uri + ", which is not under the input folder " + rootPrefix);
        }
        String relative = uri.substring(rootPrefix.length());
        Path rel = Path.of(relative);
        Long position = index.value().get(relative);
        if (position == null) throw new IllegalStateException(relative + " was read but not listed; did the folder change during the job?");
        return new Item(relative, position)
                .put(ImageRef.class, new ImageRef(rel, rel, -1))
                .put(ImageBytes.class, new ImageBytes((byte[]) row.get(1)));
    }

    /** One row per input, in input order; outputs are matched to inputs by origin. */
    private List<Row> rows(List<Item> inputs, List<Item> results, ExecutorPipeline pipeline) throws Exception {
        Map<String, List<Item>> byOrigin = new LinkedHashMap<>();
        for (Item r : results) byOrigin.computeIfAbsent(r.origin(), k -> new ArrayList<>()).add(r);
        List<Row> out = new ArrayList<>(inputs.size());
        for (Item in : inputs) {
            List<Item> produced = byOrigin.get(in.id());
            metrics.image(produced == null);
            out.add(produced == null ? ResultRows.notOk(in, pipeline.skipOf(in.id())) : ResultRows.ok(in, produced));
        }
        return out;
    }
}
