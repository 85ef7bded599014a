package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The gather_rows kernel (dataset.cl) against a plain-Java gather: order, padding rows, odd widths, batch 1. */
class DeviceFeaturesTest {
    @Test
    @Tag("kernel")
    void gatherMatchesPlainJava() {
        ClContext cl = TestDevices.context();
        Random r = new Random(11);
        int[][] cases = {{1, 1, 1}, {7, 5, 3}, {40, 13, 16}, {9, 400, 4}}; // count, width, batch
        for (int[] c : cases) {
            int count = c[0], width = c[1], batch = c[2];
            float[] values = new float[count * width];
            for (int i = 0; i < values.length; i++) values[i] = r.nextFloat() - 0.5f;
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = r.nextInt(10);
            int[] order = EpochOrder.of(5, 1, count);
            try (DeviceFeatures f = new DeviceFeatures(cl, new Features(values, labels, Shape.flat(width)));
                    ClBuffer x = cl.buffer((long) batch * width * Float.BYTES); ClBuffer y = cl.buffer((long) batch * Integer.BYTES)) {
                f.setOrder(order);
                for (int first = 0; first < count; first += batch) {
                    int valid = Math.min(batch, count - first);
                    f.gather(first, valid, batch, x, y);
                    float[] wantX = new float[batch * width];
                    int[] wantY = new int[batch];
                    for (int row = 0; row < batch; row++) {
                        wantY[row] = row < valid ? labels[order[first + row]] : -1;
                        if (row < valid) System.arraycopy(values, order[first + row] * width, wantX, row * width, width);
                    }
                    String what = count + "x" + width + " batch " + batch + " from " + first;
                    Tolerance.EXACT.assertClose(x.readFloats(cl.queue()), wantX, what);
                    int[] gotY = new int[batch];
                    y.read(cl.queue(), gotY);
                    assertArrayEquals(wantY, gotY, what);
                }
            }
        }
    }
}
