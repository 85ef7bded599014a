package dev.clpipe.nn.ops;

import java.util.SplittableRandom;

/** Seeded uniform random test inputs in [-1, 1). */
final class RandomArrays {
    private RandomArrays() {}

    static float[] uniform(long seed, long length) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }
}
