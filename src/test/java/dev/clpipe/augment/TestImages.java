package dev.clpipe.augment;

import static org.junit.jupiter.api.Assertions.fail;

import dev.clpipe.testing.Tolerance;
import java.util.Random;

/** Test inputs and byte comparisons for augment tests. */
final class TestImages {
    /** Interpolating ops: the kernel may land one rounding step away from the twin. */
    static final Tolerance UINT8_ROUNDING = new Tolerance("uint8-rounding", 0, 1);

    private TestImages() {}

    static ImageBatch random(long seed, int count, int height, int width, int channels) {
        ImageBatch batch = ImageBatch.allocate(count, height, width, channels);
        new Random(seed).nextBytes(batch.pixels());
        return batch;
    }

    static ImageBatch constant(int count, int height, int width, int channels, int value) {
        ImageBatch batch = ImageBatch.allocate(count, height, width, channels);
        java.util.Arrays.fill(batch.pixels(), (byte) value);
        return batch;
    }

    static long[] indices(long... values) {
        return values;
    }

    static long[] range(int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = i;
        return out;
    }

    static void assertBytes(ImageBatch got, ImageBatch want, Tolerance tolerance, String what) {
        if (got.count() != want.count() || got.height() != want.height() || got.width() != want.width() || got.channels() != want.channels()) {
            fail(what + ": shape " + shape(got) + " != " + shape(want));
        }
        for (int i = 0; i < got.pixels().length; i++) {
            int g = got.pixels()[i] & 0xFF, w = want.pixels()[i] & 0xFF;
            if (!tolerance.accepts(g, w)) {
                int c = i % got.channels(), pixel = i / got.channels();
                int x = pixel % got.width(), y = pixel / got.width() % got.height(), n = pixel / got.width() / got.height();
                fail(String.format("%s: image %d (x=%d, y=%d, c=%d) is %d, expected %d (tolerance %s)", what, n, x, y, c, g, w, tolerance.name()));
            }
        }
    }

    static String shape(ImageBatch b) {
        return b.count() + "x" + b.height() + "x" + b.width() + "x" + b.channels();
    }

    /** Image {@code n} of a batch as a batch of one. */
    static ImageBatch one(ImageBatch batch, int n) {
        byte[] pixels = java.util.Arrays.copyOfRange(batch.pixels(), n * batch.imageBytes(), (n + 1) * batch.imageBytes());
        return new ImageBatch(1, batch.height(), batch.width(), batch.channels(), pixels);
    }
}
