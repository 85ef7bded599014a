package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --device P:D/N}: a device split into N sub-devices of equal compute units, each usable as
 * a device of its own; a split that does not divide the compute units is refused naming the device.
 */
class SubDevicesTest {
    @Test
    void aDeviceSplitsIntoSubDevicesThatEachRunKernels() {
        ClRuntime runtime = ClRuntime.standard();
        ClDevice whole = runtime.select("0:0").get(0);
        int parts = whole.computeUnits();
        assumeTrue(parts >= 2, "device 0:0 has one compute unit (PoCL: POCL_MAX_PTHREAD_COUNT=1); nothing to split");
        List<ClContext> subs = runtime.open("0:0/" + parts);
        try {
            assertEquals(parts, subs.size());
            for (int i = 0; i < parts; i++) {
                ClContext c = subs.get(i);
                assertEquals(1, c.device().computeUnits());
                assertEquals("0:0#" + (i + 1) + "/" + parts, c.device().address());
                float[] data = {1, 2, 3, (float) i};
                try (ClBuffer a = c.buffer(data); ClBuffer b = c.buffer(16)) {
                    b.copyFrom(c.queue(), a);
                    float[] back = new float[4];
                    b.read(c.queue(), back);
                    assertArrayEquals(data, back);
                }
            }
        } finally {
            subs.forEach(ClContext::close);
        }
    }

    @Test
    void theSubDevicesShareOneContextThatOutlivesEachMember() {
        ClRuntime runtime = ClRuntime.standard();
        assumeTrue(runtime.select("0:0").get(0).computeUnits() >= 2, "device 0:0 has one compute unit; nothing to split");
        List<ClContext> subs = runtime.open("0:0/2");
        try {
            ClContext first = subs.get(0), second = subs.get(1);
            assertTrue(first.sharesContextWith(second), "opened together, one context");
            float[] data = {4, 5, 6, 7};
            try (ClBuffer onFirst = first.buffer(data)) {
                first.queue().finish();
                first.close(); // the second member still holds the context and the buffer
                try (ClBuffer onSecond = second.buffer(16)) {
                    onSecond.copyFrom(second.queue(), onFirst); // the second device's queue reads the first's buffer
                    float[] back = new float[4];
                    onSecond.read(second.queue(), back);
                    assertArrayEquals(data, back);
                }
            }
        } finally {
            subs.forEach(ClContext::close);
        }
        try (ClContext alone = runtime.openOne("0:0")) {
            assertTrue(alone.sharesContextWith(alone));
        }
    }

    @Test
    void aSplitThatDoesNotDivideTheComputeUnitsIsRefused() {
        ClRuntime runtime = ClRuntime.standard();
        int units = runtime.select("0:0").get(0).computeUnits();
        ClException e = assertThrows(ClException.class, () -> runtime.open("0:0/" + (units + 1)));
        assertTrue(e.getMessage().contains("do not split into " + (units + 1)), e.getMessage());
        assertThrows(DeviceSelector.SyntaxException.class, () -> runtime.open("0:0/1"));
    }
}
