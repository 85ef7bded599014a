package dev.clpipe.nn.train;

import java.util.Map;

/** One finished training epoch: mean loss and accuracy over its batches, rate and timing. */
public record EpochStats(int epoch, double loss, double accuracy, double lr, double seconds, long images) implements TrainedEpoch {
    public Map<String, Object> toJson() {
        return json(epoch, loss, "accuracy", accuracy, lr);
    }
}
