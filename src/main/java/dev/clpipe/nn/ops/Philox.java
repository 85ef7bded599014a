package dev.clpipe.nn.ops;

/**
 * Philox-4x32-10 counter-based generator (Salmon et al., SC'11), the Java twin of the one in
 * {@code opencl/dropout.cl}: a pure function of a 128-bit counter and a 64-bit key, so any random
 * value of a run can be recomputed anywhere (host or device) without carrying state.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    private Philox() {}

    /** Ten rounds on counter {c0..c3} with key {k0, k1}; returns four 32-bit words. */
    public static int[] philox4x32(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int r = 0; r < 10; r++) {
            if (r > 0) { k0 += W0; k1 += W1; }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** A float in [0, 1) from the top 24 bits of a word: exact in float, same on host and device. */
    public static float uniform(int word) {
        return (word >>> 8) * (1.0f / 16777216.0f);
    }
}
