package dev.clpipe.detect.scenes;

import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.Shape;
import java.util.Random;

/** Stand-ins for MNIST digits in tests that must not need the data: random strokes, labels i % 10. */
public final class TestDigits {
    private TestDigits() {}

    /** {@code n} 28x28 images of three filled rectangles of random grey on black; image i has label i % 10. */
    public static Dataset fake(int n) {
        Random r = new Random(3);
        byte[] im = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int s = 0; s < 3; s++) {
                int x = 4 + r.nextInt(16), y = 4 + r.nextInt(16), w = 1 + r.nextInt(8), h = 1 + r.nextInt(8);
                for (int yy = y; yy < Math.min(28, y + h); yy++) {
                    for (int xx = x; xx < Math.min(28, x + w); xx++) {
                        im[i * 784 + yy * 28 + xx] = (byte) (128 + r.nextInt(128));
                    }
                }
            }
        }
        return new Dataset("fake digits", im, labels, new Shape(28, 28, 1), 10);
    }
}
