package dev.clpipe.nn.train;

import java.util.Map;

/**
 * One finished epoch of triplet training: mean batch loss, the mean fraction of anchor-positive
 * pairs whose mined triplet still violated the margin (it falls as the embedding learns), the
 * last learning rate and timing.
 */
public record EmbeddingEpoch(int epoch, double loss, double activeFraction, double lr, double seconds, long images) implements TrainedEpoch {
    public Map<String, Object> toJson() {
        return json(epoch, loss, "active_fraction", activeFraction, lr);
    }
}
