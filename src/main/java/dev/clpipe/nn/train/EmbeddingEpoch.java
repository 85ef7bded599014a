package dev.clpipe.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished epoch of triplet training: mean batch loss, the mean fraction of anchor-positive
 * pairs whose mined triplet still violated the margin (it falls as the embedding learns), the
 * last learning rate and timing.
 */
public record EmbeddingEpoch(int epoch, double loss, double activeFraction, double lr, double seconds, long images) implements TrainedEpoch {
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch + 1);
        m.put("loss", loss);
        m.put("active_fraction", activeFraction);
        m.put("lr", lr);
        m.put("seconds", seconds);
        m.put("images_per_s", imagesPerSecond());
        return m;
    }
}
