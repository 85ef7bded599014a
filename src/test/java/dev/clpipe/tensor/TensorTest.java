package dev.clpipe.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorTest {
    @TempDir
    Path dir;

    @Test
    void hostRoundTripCopyFillAndReshape() {
        ClContext ctx = TestDevices.context();
        float[] data = {1, 2, 3, 4, 5, 6};
        try (Tensor t = Tensor.fromHost(ctx, data, 1, 2, 3, 1); Tensor c = t.copy()) {
            assertArrayEquals(new int[] {1, 2, 3, 1}, t.shape());
            assertEquals(Layout.NCHW, t.layout());
            assertEquals(6, t.size());
            assertArrayEquals(data, c.toHost());
            t.fill(2f);
            assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, t.toHost());
            assertArrayEquals(data, c.toHost(), "copy is independent");
            Tensor flat = c.reshape(6);
            assertArrayEquals(data, flat.toHost());
            flat.close(); // a reshape shares storage and must not release it
            assertArrayEquals(data, c.toHost());
            c.write(new float[] {6, 5, 4, 3, 2, 1});
            assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, c.toHost());
        }
    }

    @Test
    void zerosAndShapeChecks() {
        ClContext ctx = TestDevices.context();
        try (Tensor z = Tensor.zeros(ctx, 3, 5)) {
            assertArrayEquals(new float[15], z.toHost());
            assertThrows(IllegalArgumentException.class, () -> z.reshape(4, 4));
            assertThrows(IllegalArgumentException.class, () -> z.requireNchw("test"));
            assertThrows(IllegalArgumentException.class, () -> z.write(new float[14]));
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromHost(ctx, new float[5], 2, 3));
        Tensor closed = Tensor.zeros(ctx, 2);
        closed.close();
        assertThrows(IllegalStateException.class, closed::toHost);
    }

    @Test
    void layoutNamesLogicalDimensions() {
        ClContext ctx = TestDevices.context();
        assertArrayEquals(new int[] {2, 3, 4, 5}, Layout.NHWC.nchw(new int[] {2, 4, 5, 3}));
        try (Tensor t = Tensor.empty(ctx, Layout.NHWC, 2, 4, 5, 3)) {
            assertEquals(Layout.NHWC, t.layout());
            assertThrows(IllegalArgumentException.class, () -> t.requireNchw("pool"), "ops refuse a layout they do not read");
        }
    }

    @Test
    void npyThroughTheDevice() throws Exception {
        ClContext ctx = TestDevices.context();
        Path file = dir.resolve("t.npy");
        try (Tensor t = Tensor.fromHost(ctx, new float[] {1, -2, 3.5f, 4}, 2, 2)) {
            Npy.write(file, t);
        }
        try (Tensor back = Npy.read(file).toTensor(ctx)) {
            assertArrayEquals(new int[] {2, 2}, back.shape());
            assertArrayEquals(new float[] {1, -2, 3.5f, 4}, back.toHost());
        }
    }
}
