package dev.clpipe.augment;

/**
 * Counter-based random numbers: the k-th value of the stream for (seed, epoch, sample, op) is
 * SplitMix64's finaliser applied to key + k * golden-ratio, with the key itself a SplitMix64 hash
 * chain of the four coordinates. No state is carried between samples, so a resumed run, a rerun,
 * or a different batch composition draws the same numbers for the same sample.
 */
public final class CounterRng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final long key;
    private long counter;

    private CounterRng(long key) {
        this.key = key;
    }

    public static CounterRng of(long seed, long epoch, long sample, long op) {
        long k = mix64(seed + GOLDEN);
        k = mix64(k ^ (epoch + 2 * GOLDEN));
        k = mix64(k ^ (sample + 3 * GOLDEN));
        return new CounterRng(mix64(k ^ (op + 4 * GOLDEN)));
    }

    /** SplitMix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        return mix64(key + (++counter) * GOLDEN);
    }

    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double uniform() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int below(int bound) {
        return (int) Math.min(bound - 1, (long) (uniform() * bound));
    }

    /** Standard normal by Box-Muller (two draws). */
    public double gaussian() {
        double u1 = 1.0 - uniform(); // (0, 1], so the log is finite
        double u2 = uniform();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** True with probability p (one draw, always taken so later draws do not shift). */
    public boolean chance(double p) {
        return uniform() < p;
    }
}
