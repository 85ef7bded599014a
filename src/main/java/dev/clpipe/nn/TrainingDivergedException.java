package dev.clpipe.nn;

/** The training loss became NaN or infinite; names the step and, when found, the layer. */
public final class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    /**
     * Throws when a device read of the running loss shows a non-finite value: {@code firstBadStep}
     * as the device flagged it (-1 if none), else the last step taken. {@code what} starts the
     * message ("training loss", "triplet loss", ...), {@code hint} ends it.
     */
    public static void throwIfDiverged(String what, long firstBadStep, double loss, long stepsTaken, int epoch, Network network, String hint) {
        if (firstBadStep < 0 && Double.isFinite(loss)) return;
        long bad = firstBadStep >= 0 ? firstBadStep : stepsTaken - 1;
        throw new TrainingDivergedException(bad, what + " became NaN or infinite at step " + bad + " (epoch " + (epoch + 1) + ")"
                + Diagnostics.firstNonFinite(network) + "; " + hint);
    }

    public long step() {
        return step;
    }
}
