package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.SkippedReport;
import dev.clpipe.pipeline.Item;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The Parquet row of one image: status, size, and stage outputs as JSON (no Spark needed). */
class ResultRowsTest {
    record Detection(String label, double score, List<Integer> box) {}

    record Detections(List<Detection> detections) {}

    /** Something JSON cannot write (as a device buffer would be). */
    static final class Handle {
        private final Object self = this;
    }

    @Test
    void anImageRowCarriesItsSizeAndTheStagesOutputsAsJson() throws Exception {
        Item in = new Item("a/b.jpg", 7);
        Item out = new Item("a/b.jpg", 7).put(ImageData.class, ImageData.blank(5, 3, 3))
                .put(Detections.class, new Detections(List.of(new Detection("face", 0.93, List.of(1, 2, 3, 4)))))
                .put(Handle.class, new Handle());
        Row row = ResultRows.ok(in, List.of(out));
        assertEquals(List.of("a/b.jpg", 7L, "ok", 5, 3), List.of(row.getString(0), row.getLong(1), row.getString(2), row.getInt(5), row.getInt(6)));
        assertEquals(new ObjectMapper().readTree("{\"detections\":[{\"label\":\"face\",\"score\":0.93,\"box\":[1,2,3,4]}]}"),
                new ObjectMapper().readTree(row.getString(7)));
    }

    @Test
    void aSkippedRowCarriesTheReasonOfSkippedCsv() {
        Row row = ResultRows.notOk(new Item("x.png", 0), Optional.of(new SkippedReport.Entry("x.png", "truncated", "cut")));
        assertEquals(List.of("skipped", "truncated", "cut", "{}"), List.of(row.getString(2), row.getString(3), row.getString(4), row.getString(7)));
        assertEquals("dropped", ResultRows.notOk(new Item("y.png", 1), Optional.empty()).getString(2));
    }
}
