package dev.clpipe.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code clpipe bench SUITE --json} (schema: docs/schemas/bench.schema.json). Every
 * figure is a number whose unit is in its key: {@code ms_per_batch} is one timed call (a kernel
 * launch, a training step over {@code batch} images, a clustering run); {@code ms_per_image} and
 * {@code images_per_s} exist only for rows that handle images; {@code gflops} is null when the
 * work has no FLOP count. Further figures go to {@code figures} under unit-named keys
 * ({@code gb_per_s}, {@code mp_per_s}, {@code speedup_x}); {@code variant} only names what ran.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"op", "shape", "variant", "device", "batch", "ms_per_batch", "ms_per_image", "images_per_s", "gflops", "figures", "details"})
public record BenchResult(String op, String shape, String variant, BenchDevice device, Integer batch, Double msPerBatch,
        Double msPerImage, Double imagesPerS, Double gflops, Map<String, Double> figures,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> details) {

    public BenchResult {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        for (String key : figures.keySet()) {
            if (!key.matches("[a-z0-9_]+")) throw new IllegalArgumentException("figure key must be snake_case with its unit: " + key);
        }
    }

    /** One timed call that handles no images (a kernel launch, a clustering run); {@code gflops} NaN when unknown. */
    public static BenchResult call(String op, String shape, String variant, BenchDevice device, double ms, double gflops) {
        return new BenchResult(op, shape, variant, device, null, round(ms), null, null, finite(gflops), Map.of(), null);
    }

    /** One timed call over {@code batch} images taking {@code msPerBatch}; {@code gflops} NaN when unknown. */
    public static BenchResult batch(String op, String shape, String variant, BenchDevice device, int batch, double msPerBatch, double gflops) {
        return new BenchResult(op, shape, variant, device, batch, round(msPerBatch), round(msPerBatch / batch), round(1000.0 * batch / msPerBatch),
                finite(gflops), Map.of(), null);
    }

    /** A rate measured over many images without a batch (decoding, encoding); {@code gflops} NaN when unknown. */
    public static BenchResult rate(String op, String shape, String variant, BenchDevice device, double imagesPerS, double gflops) {
        return new BenchResult(op, shape, variant, device, null, null, round(1000.0 / imagesPerS), round(imagesPerS), finite(gflops), Map.of(), null);
    }

    /** A ratio of two rows measured in the same run ({@code figures.ratio_x}). */
    public static BenchResult ratio(String op, String shape, BenchDevice device, double x) {
        return new BenchResult(op, shape, "ratio", device, null, null, null, null, null, Map.of(), null).with("ratio_x", x);
    }

    /** This row with one more unit-named figure. */
    public BenchResult with(String key, double value) {
        Map<String, Double> more = new LinkedHashMap<>(figures);
        more.put(key, round(value));
        return new BenchResult(op, shape, variant, device, batch, msPerBatch, msPerImage, imagesPerS, gflops, more, details);
    }

    /** This row with a suite's structured report (several devices: split, scaling, step timing). */
    public BenchResult withDetails(Map<String, Object> report) {
        return new BenchResult(op, shape, variant, device, batch, msPerBatch, msPerImage, imagesPerS, gflops, figures, report);
    }

    /** Three decimals: more would only show this machine's noise. */
    static double round(double v) {
        if (!Double.isFinite(v)) return v;
        return Math.round(v * 1000) / 1000.0;
    }

    private static Double finite(double gflops) {
        return Double.isFinite(gflops) && gflops > 0 ? round(gflops) : null;
    }
}
