package dev.clpipe.nn;

/**
 * Learning rate as a pure function of the step: linear warm-up over {@code warmupSteps}, then
 * constant, step decay (x gamma every {@code stepEpochs} epochs) or cosine decay to
 * {@code minFactor * lr} over the whole run. Pure, so a resumed run gets the same rates.
 */
public record LrSchedule(Kind kind, int warmupSteps, int stepEpochs, double gamma, double minFactor) {
    public enum Kind { CONSTANT, STEP, COSINE }

    public LrSchedule {
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        if (kind == Kind.STEP && stepEpochs < 1) throw new IllegalArgumentException("step schedule needs step_epochs >= 1, got " + stepEpochs);
        if (!(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("gamma must be within (0, 1], got " + gamma);
        if (!(minFactor >= 0 && minFactor <= 1)) throw new IllegalArgumentException("min factor must be within [0, 1], got " + minFactor);
    }

    public static LrSchedule constant() {
        return new LrSchedule(Kind.CONSTANT, 0, 1, 1, 0);
    }

    /** Rate for 0-based {@code step} of a run of {@code totalSteps} with {@code stepsPerEpoch}. */
    public double rate(double baseLr, long step, long stepsPerEpoch, long totalSteps) {
        if (step < warmupSteps) return baseLr * (step + 1) / warmupSteps;
        return switch (kind) {
            case CONSTANT -> baseLr;
            case STEP -> baseLr * Math.pow(gamma, Math.floorDiv(step, stepsPerEpoch) / stepEpochs);
            case COSINE -> {
                double span = Math.max(1, totalSteps - warmupSteps);
                double progress = Math.min(1.0, (step - warmupSteps) / span);
                yield baseLr * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
            }
        };
    }
}
