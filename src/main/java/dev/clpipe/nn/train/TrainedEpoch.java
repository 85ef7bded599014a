package dev.clpipe.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** What every finished training epoch reports, whatever its objective: time and images trained. */
public interface TrainedEpoch {
    double seconds();

    long images();

    default double imagesPerSecond() {
        return seconds() > 0 ? images() / seconds() : 0;
    }

    /**
     * An epoch as metrics.json lists it: 1-based {@code epoch}, loss, the objective's own {@code measure}
     * (accuracy, active_fraction), lr, seconds and images_per_s.
     */
    default Map<String, Object> json(int epoch, double loss, String measure, double value, double lr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch + 1);
        m.put("loss", loss);
        m.put(measure, value);
        m.put("lr", lr);
        m.put("seconds", seconds());
        m.put("images_per_s", imagesPerSecond());
        return m;
    }
}
