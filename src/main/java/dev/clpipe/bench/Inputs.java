package dev.clpipe.bench;

import java.util.SplittableRandom;

/** Seeded random benchmark inputs in [-1, 1). */
final class Inputs {
    private Inputs() {}

    static float[] random(long seed, long length) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }
}
