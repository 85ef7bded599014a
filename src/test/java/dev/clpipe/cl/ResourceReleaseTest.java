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

    /**
     * clpipe closes buffers and kernels right after enqueueing (try-with-resources around a launch,
     * no finish): OpenCL defers the deletion until queued commands that use them are done. This
     * holds the driver to it: inputs released while a long queue of launches still reads them.
     */
    @Test
    void buffersReleasedWhileQueuedLaunchesStillUseThemKeepTheirContent() {
        ClContext context = TestDevices.context();
        int n = 1 << 18;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        try (ClBuffer sum = context.buffer(new float[n])) {
            for (int i = 0; i < 64; i++) {
                try (ClBuffer x = context.buffer(ones); ClBuffer y = context.buffer(ones);
                        ClKernel add = context.program("elementwise.cl").kernel("add");
                        ClKernel axpy = context.program("elementwise.cl").kernel("axpy")) {
                    try (ClBuffer z = context.buffer(n * Float.BYTES)) {
                        add.arg(0, x).arg(1, y).arg(2, z).arg(3, n).launch(context.queue(), new long[] {n}, null); // z = 2
                        axpy.arg(0, 0.5f).arg(1, z).arg(2, sum).arg(3, n).launch(context.queue(), new long[] {n}, null); // sum += 1
                    } // z, x, y, kernels released here, their launches still queued
                }
            }
            context.queue().finish();
            float[] got = sum.readFloats(context.queue());
            assertEquals(64f, got[0]);
            assertEquals(64f, got[n - 1]);
            for (float v : got) if (v != 64f) throw new AssertionError("a released input changed under a queued launch: " + v);
        }
    }

    /**
     * The host side of an asynchronous write ({@link ClBuffer#writeAsync}): the direct buffer it
     * copies from must outlive the command even when its owner drops it first (an error path that
     * never waits for the event), or the garbage collector's cleaner frees that memory under the
     * device. JOCL keeps it reachable until the command completes; this holds the binding to it.
     * A user event holds the in-order queue back so the write is surely pending while the collector runs.
     */
    @Test
    void hostMemoryOfAPendingAsynchronousWriteStaysReachableUntilTheQueueIsFinished() throws InterruptedException {
        ClContext context = TestDevices.context();
        ClQueue queue = context.queue();
        int bytes = 1 << 16;
        org.jocl.cl_event gate = org.jocl.CL.clCreateUserEvent(context.handle(), null);
        boolean reachableWhilePending;
        boolean open = true;
        java.lang.ref.WeakReference<java.nio.ByteBuffer> hostMemory;
        try (ClBuffer target = context.buffer(bytes)) {
            org.jocl.CL.clEnqueueMarkerWithWaitList(queue.handle(), 1, new org.jocl.cl_event[] {gate}, null);
            hostMemory = pendingWriteOfSevens(target, queue, bytes);
            collectGarbage(hostMemory);
            reachableWhilePending = hostMemory.get() != null;
            org.jocl.CL.clSetUserEventStatus(gate, org.jocl.CL.CL_COMPLETE);
            open = false;
            queue.finish();
            byte[] back = new byte[bytes];
            target.read(queue, back);
            for (byte b : back) assertEquals(7, b);
        } finally {
            if (open) org.jocl.CL.clSetUserEventStatus(gate, org.jocl.CL.CL_COMPLETE); // never leave the shared queue blocked
            org.jocl.CL.clReleaseEvent(gate);
        }
        assertTrue(reachableWhilePending, "the host buffer of a pending write was collected before the queue finished");
        collectGarbage(hostMemory);
        assertEquals(null, hostMemory.get(), "once the queue has finished the host buffer is let go (so the check above can fail)");
    }

    /** Enqueues the write and drops every reference to its direct buffer but a weak one. */
    private static java.lang.ref.WeakReference<java.nio.ByteBuffer> pendingWriteOfSevens(ClBuffer target, ClQueue queue, int bytes) {
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++) data.put(i, (byte) 7);
        target.writeAsync(queue, data, bytes).close(); // the event is released at once, as an error path would
        return new java.lang.ref.WeakReference<>(data);
    }

    private static void collectGarbage(java.lang.ref.WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
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
