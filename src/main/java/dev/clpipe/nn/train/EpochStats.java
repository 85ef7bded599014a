package dev.clpipe.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** One finished training epoch: mean loss and accuracy over its batches, rate and timing. */
public record EpochStats(int epoch, double loss, double accuracy, double lr, double seconds, long images) implements TrainedEpoch {
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
}
