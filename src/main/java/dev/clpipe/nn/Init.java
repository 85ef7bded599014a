package dev.clpipe.nn;

import dev.clpipe.nn.ops.Philox;

/**
 * Counter-based parameter initialisation: element e of parameter "name" is a pure function of
 * (seed, hash(name), e) through Philox, so the same seed gives the same weights whatever the
 * layer order or thread count, and adding a layer does not shift the others' values.
 * Weights are He-uniform, U(-b, b) with b = sqrt(6 / fanIn) (suits ReLU networks).
 */
public final class Init {
    private Init() {}

    public static float[] values(Param.Fill fill, String name, int size, int fanIn, long seed) {
        float[] out = new float[size];
        switch (fill) {
            case ZEROS -> { }
            case ONES -> java.util.Arrays.fill(out, 1f);
            case HE_UNIFORM -> {
                double bound = Math.sqrt(6.0 / fanIn);
                int stream = name.hashCode();
                for (int block = 0; block * 4 < size; block++) {
                    int[] words = Philox.philox4x32(block, stream, 0x1A17, 0, (int) seed, (int) (seed >>> 32));
                    for (int q = 0; q < 4 && block * 4 + q < size; q++) {
                        out[block * 4 + q] = (float) ((2.0 * Philox.uniform(words[q]) - 1.0) * bound);
                    }
                }
            }
        }
        return out;
    }

    public static float[] values(Param p, long seed) {
        return values(p.fill(), p.name(), p.size(), p.fanIn(), seed);
    }
}
