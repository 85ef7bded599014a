package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gather_batch kernels (dataset.cl: scalar for any width, 16 pixels per item when the width is
 * a multiple of 16) against a plain-Java gather: shuffled order, padding rows, odd widths, batch 1.
 */
class DeviceDatasetTest {
    /** Normalising a byte is one multiply-subtract-multiply; a device may fuse two of them (one rounding less). */
    private static final Tolerance NORMALISED = new Tolerance("normalised byte", 1e-6, 1e-6);

    @Test
    @Tag("kernel")
    void gatherMatchesPlainJava() {
        ClContext cl = TestDevices.context();
        Random r = new Random(12);
        int[][] cases = {{1, 1, 1}, {7, 5, 3}, {40, 13, 16}, {9, 16, 4}, {33, 784, 8}, {5, 48, 7}, {6, 3072, 5}, {11, 775, 4}}; // count, width, batch
        float mean = 0.13f, std = 0.31f;
        for (int[] c : cases) {
            int count = c[0], width = c[1], batch = c[2];
            byte[] images = new byte[count * width];
            r.nextBytes(images);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = r.nextInt(10);
            int[] order = EpochOrder.of(5, 1, count);
            try (DeviceDataset d = new DeviceDataset(cl, new Dataset("t", images, labels, Shape.flat(width), 10), mean, std);
                    ClBuffer x = cl.buffer((long) batch * width * Float.BYTES); ClBuffer y = cl.buffer((long) batch * Integer.BYTES)) {
                d.setOrder(order);
                for (int first = 0; first < count; first += batch) {
                    int valid = Math.min(batch, count - first);
                    d.gather(first, valid, batch, x, y);
                    float[] wantX = new float[batch * width];
                    int[] wantY = new int[batch];
                    for (int row = 0; row < batch; row++) {
                        wantY[row] = row < valid ? labels[order[first + row]] : -1;
                        for (int p = 0; row < valid && p < width; p++) {
                            int v = images[order[first + row] * width + p] & 0xff;
                            wantX[row * width + p] = (v * (1f / 255f) - mean) * (1f / std);
                        }
                    }
                    String what = count + "x" + width + " batch " + batch + " from " + first;
                    NORMALISED.assertClose(x.readFloats(cl.queue()), wantX, what);
                    int[] gotY = new int[batch];
                    y.read(cl.queue(), gotY);
                    assertArrayEquals(wantY, gotY, what);
                }
            }
        }
    }
}
