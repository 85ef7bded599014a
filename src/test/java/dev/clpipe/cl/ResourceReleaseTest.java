package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.testing.TestDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceReleaseTest {
    private static final int FLOATS = 16 * 1024; // 64 KiB per buffer
    /** Resident set size of this process in KiB, from /proc (Linux). */
    private static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IllegalStateException("no VmRSS");
    }

    private static void churn(ClContext context, int rounds) {
        ClProgram program = context.program("elementwise.cl");
        for (int i = 0; i < rounds; i++) {
            try (ClBuffer buffer = context.buffer(FLOATS * Float.BYTES); ClKernel kernel = program.kernel("scale")) {
                // Touch every page, so a leaked buffer would show in the resident set.
                kernel.arg(0, 2f).arg(1, buffer).arg(2, FLOATS).launch(context.queue(), new long[] {FLOATS}, null);
            }
            if (i % 500 == 0) context.queue().finish();
        }
        context.queue().finish();
    }

    @Test
    void thousandsOfBuffersAndKernelsDoNotGrowNativeMemory() throws IOException {
        ClContext context = TestDevices.context();
        churn(context, 2000); // warm-up: allocator pools and JIT settle
        long before = residentKiB();
        churn(context, 10000); // 10,000 x 64 KiB = 625 MiB if buffers leaked
        long grownKiB = residentKiB() - before;
        assertTrue(grownKiB < 64 * 1024, "resident memory grew by " + grownKiB + " KiB over 10,000 buffers and kernels");
    }

    @Test
    void profilingEventsGiveKernelTimes() {
        try (ClContext context = ClRuntime.standard().openOne("cpu")) {
            context.queue().timings().enable();
            float[] data = new float[1 << 16];
            java.util.Arrays.fill(data, 1f);
            try (ClBuffer buffer = context.buffer(data); ClKernel kernel = context.program("elementwise.cl").kernel("scale")) {
                for (int i = 0; i < 3; i++) kernel.arg(0, 2f).arg(1, buffer).arg(2, data.length).launch(context.queue(), new long[] {data.length}, null);
                context.queue().finish();
                float[] got = buffer.readFloats(context.queue());
                assertArrayEquals(new float[] {8f, 8f}, new float[] {got[0], got[data.length - 1]});
            }
            Map<String, KernelTimings.Total> totals = context.queue().timings().totals();
            assertEquals(3, totals.get("scale").launches());
            assertTrue(totals.get("scale").nanos() > 0);
        }
    }
}
