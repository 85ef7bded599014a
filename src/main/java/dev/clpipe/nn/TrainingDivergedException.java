package dev.clpipe.nn;

/** The training loss became NaN or infinite; names the step and, when found, the layer. */
public final class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
