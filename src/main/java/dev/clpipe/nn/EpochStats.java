package dev.clpipe.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/** One finished training epoch: mean loss and accuracy over its batches, rate and timing. */
public record EpochStats(int epoch, double loss, double accuracy, double lr, double seconds, long images) {
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : 0;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch + 1);
        m.put("loss", loss);
        m.put("accuracy", accuracy);
        m.put("lr", lr);
        m.put("seconds", seconds);
        m.put("images_per_s", imagesPerSecond());
        return m;
    }

    @SuppressWarnings("unchecked")
    public static EpochStats fromJson(Map<String, Object> m) {
        return new EpochStats(((Number) m.get("epoch")).intValue() - 1, num(m, "loss"), num(m, "accuracy"), num(m, "lr"),
                num(m, "seconds"), Math.round(num(m, "images_per_s") * num(m, "seconds")));
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
