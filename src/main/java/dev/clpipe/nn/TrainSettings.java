package dev.clpipe.nn;

/**
 * How to train: batch size, epochs, optimiser, learning-rate schedule, the seed of every random
 * choice (init, shuffling, dropout) and how often the host reads the running loss (every
 * {@code checkEvery} steps; each read is a device sync, so not every step).
 */
public record TrainSettings(int batch, int epochs, OptimizerSpec optimizer, LrSchedule schedule, long seed, int checkEvery) {
    public TrainSettings {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (checkEvery < 1) throw new IllegalArgumentException("check_every must be >= 1, got " + checkEvery);
    }
}
