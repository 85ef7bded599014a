package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own Surefire execution with {@code POCL_DEVICES="pthread pthread"} and
 * {@code POCL_MAX_PTHREAD_COUNT=1}: two PoCL devices, opened at once, each with its own queue.
 */
@Tag("multidevice")
class MultiDeviceTest {
    @Test
    void twoDevicesWorkAtOnceOnHalvesOfOneJob() {
        ClRuntime runtime = ClRuntime.standard();
        List<ClContext> contexts = runtime.open("all");
        try {
            assertEquals(2, contexts.size(), "expected two PoCL devices, found " + runtime.devices());
            assertNotEquals(contexts.get(0).device().address(), contexts.get(1).device().address());
            int n = 1000;
            float[] x = new float[n];
            float[] want = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
                want[i] = 3 * i;
            }
            float[] got = new float[n];
            ClBuffer[] parts = new ClBuffer[2];
            ClKernel[] kernels = new ClKernel[2];
            for (int d = 0; d < 2; d++) { // enqueue on both before waiting on either
                ClContext c = contexts.get(d);
                float[] half = java.util.Arrays.copyOfRange(x, d * n / 2, (d + 1) * n / 2);
                parts[d] = c.buffer(half);
                kernels[d] = c.program("elementwise.cl").kernel("scale");
                kernels[d].arg(0, 3f).arg(1, parts[d]).arg(2, half.length).launch(c.queue(), new long[] {half.length}, null);
                c.queue().flush();
            }
            for (int d = 0; d < 2; d++) {
                float[] half = parts[d].readFloats(contexts.get(d).queue());
                System.arraycopy(half, 0, got, d * n / 2, half.length);
                parts[d].close();
                kernels[d].close();
            }
            assertArrayEquals(want, got);
        } finally {
            contexts.forEach(ClContext::close);
        }
    }
}
