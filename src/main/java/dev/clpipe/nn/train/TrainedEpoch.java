package dev.clpipe.nn.train;

/** What every finished training epoch reports, whatever its objective: time and images trained. */
public interface TrainedEpoch {
    double seconds();

    long images();

    default double imagesPerSecond() {
        return seconds() > 0 ? images() / seconds() : 0;
    }
}
