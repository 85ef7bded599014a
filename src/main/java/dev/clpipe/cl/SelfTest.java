package dev.clpipe.cl;

/**
 * A quick proof that a device works: build and run a tiny kernel, check its result, and measure
 * host-to-device copy bandwidth.
 */
public final class SelfTest {
    private static final int N = 4099;
    private static final int COPY_FLOATS = 16 << 20; // 64 MiB

    /** Outcome; {@code error} is null when the kernel ran and gave the right numbers. */
    public record Result(boolean passed, double copyGBps, String error) {}

    private SelfTest() {}

    public static Result run(ClContext context) {
        try {
            String error = kernelError(context, N);
            return error == null ? new Result(true, copyBandwidth(context), null) : new Result(false, 0, error);
        } catch (RuntimeException e) {
            return new Result(false, 0, e.getMessage());
        }
    }

    /** Runs saxpy over {@code n} floats; null when every result is right, else what was wrong. */
    public static String kernelError(ClContext context, int n) {
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 0.5f;
            y[i] = 1 - i;
        }
        float[] got = new float[n];
        try (ClKernel kernel = context.program("selftest.cl").kernel("saxpy");
                ClBuffer bx = context.buffer(x);
                ClBuffer by = context.buffer(y)) {
            kernel.arg(0, 3f).arg(1, bx).arg(2, by).arg(3, n).launch(context.queue(), new long[] {n}, null);
            by.read(context.queue(), got);
        }
        for (int i = 0; i < n; i++) {
            float want = 3f * x[i] + y[i];
            if (got[i] != want) return "saxpy gave " + got[i] + " at " + i + ", expected " + want;
        }
        return null;
    }

    private static double copyBandwidth(ClContext context) {
        float[] host = new float[COPY_FLOATS];
        try (ClBuffer buffer = context.buffer((long) COPY_FLOATS * Float.BYTES)) {
            buffer.write(context.queue(), host); // warm-up: first touch of device pages
            int repeats = 3;
            long start = System.nanoTime();
            for (int r = 0; r < repeats; r++) buffer.write(context.queue(), host);
            double seconds = (System.nanoTime() - start) / 1e9;
            return repeats * (double) COPY_FLOATS * Float.BYTES / seconds / 1e9;
        }
    }
}
