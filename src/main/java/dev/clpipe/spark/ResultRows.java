package dev.clpipe.spark;

import dev.clpipe.data.ImageBytes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageRef;
import dev.clpipe.data.SkippedReport;
import dev.clpipe.pipeline.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet row of one input image: its path relative to the input folder, status ({@code ok},
 * {@code skipped} with the reason code and message of skipped.csv, or {@code dropped} when a
 * stage removed it without a reason), the size of the final image, and a JSON object of what the
 * stages attached (detections, embeddings, ...) under the attachment's type name, as in the JSONL
 * outputs. Images and bytes are not copied into it.
 */
final class ResultRows {
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("index", DataTypes.LongType, false)
            .add("status", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true)
            .add("message", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("outputs", DataTypes.StringType, false);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Class<?>> NOT_OUTPUTS = Set.of(ImageData.class, ImageRef.class, ImageBytes.class,
            dev.clpipe.pipeline.stages.AugmentStage.AugmentInput.class);
    private static final Set<Class<?>> UNWRITABLE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(ResultRows.class);

    private ResultRows() {}

    static Row ok(Item input, List<Item> results) throws Exception {
        Optional<ImageData> image = results.get(0).find(ImageData.class);
        Object outputs = results.size() == 1 ? outputs(results.get(0)) : Map.of("items", variants(results));
        return RowFactory.create(input.id(), input.index(), "ok", null, null,
                image.map(ImageData::width).orElse(null), image.map(ImageData::height).orElse(null), JSON.writeValueAsString(outputs));
    }

    static Row notOk(Item input, Optional<SkippedReport.Entry> skip) {
        return RowFactory.create(input.id(), input.index(), skip.isPresent() ? "skipped" : "dropped",
                skip.map(SkippedReport.Entry::reason).orElse(null), skip.map(SkippedReport.Entry::message).orElse(null),
                null, null, "{}");
    }

    private static List<Map<String, Object>> variants(List<Item> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Item item : results) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", item.id());
            v.putAll(outputs(item));
            out.add(v);
        }
        return out;
    }

    /**
     * Attachments other than pixels, paths and bytes, keyed by type name ({@code Detections} →
     * {@code detections}); a one-component record is written as its component. One that JSON cannot represent (a device buffer, say) is left out, with
     * a warning once per type, rather than failing the task.
     */
    static Map<String, Object> outputs(Item item) {
        Map<String, Object> out = new java.util.TreeMap<>();
        item.attachments().forEach((type, value) -> {
            if (NOT_OUTPUTS.contains(type)) return;
            try {
                out.put(Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1), JSON.valueToTree(unwrap(value)));
            } catch (IllegalArgumentException | ReflectiveOperationException e) {
                if (UNWRITABLE.add(type)) LOG.warn("stage output {} is left out of the results: {}", type.getName(), e.getMessage());
            }
        });
        return out;
    }

    /** A record of one component stands for that component: {@code Detections(list)} writes as the list, as in JSONL. */
    private static Object unwrap(Object value) throws ReflectiveOperationException {
        if (value instanceof Record r && r.getClass().getRecordComponents().length == 1) {
            java.lang.reflect.Method accessor = r.getClass().getRecordComponents()[0].getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(r);
        }
        return value;
    }

}
