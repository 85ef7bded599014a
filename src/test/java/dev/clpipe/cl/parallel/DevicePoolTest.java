package dev.clpipe.cl.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClException;
import dev.clpipe.testing.TestDevices;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The work-sharing pool with plain workers (one context listed three times stands for three
 * devices): results in piece order whoever did them, a failing device's piece redone once
 * elsewhere, every item counted once, and a clear error when no device is left.
 */
class DevicePoolTest {
    /** A worker that knows its device number and counts what it did. */
    record Worker(int device, AtomicInteger done) implements AutoCloseable {
        @Override
        public void close() {}
    }

    private static DevicePool<Worker> pool(int devices, FaultPlan faults) {
        ClContext c = TestDevices.context();
        AtomicInteger next = new AtomicInteger();
        return new DevicePool<>(java.util.Collections.nCopies(devices, c), d -> new Worker(next.getAndIncrement(), new AtomicInteger()), faults);
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultsKeepTheirOrderAndAFailedPieceIsRedoneOnce() throws Exception {
        try (DevicePool<Worker> pool = pool(3, FaultPlan.parse("2@5"))) {
            AtomicInteger calls = new AtomicInteger();
            for (int batch = 0; batch < 3; batch++) {
                List<DevicePool.Piece> pieces = pool.pieces(25);
                assertEquals(25, pieces.stream().mapToInt(DevicePool.Piece::size).sum());
                List<List<Integer>> out = pool.map(pieces, DevicePool.Piece::size, (w, p) -> {
                    calls.incrementAndGet();
                    return IntStream.range(p.from(), p.to()).map(i -> i * i).boxed().toList();
                });
                assertEquals(IntStream.range(0, 25).map(i -> i * i).boxed().toList(), out.stream().flatMap(List::stream).toList());
            }
            assertEquals(2, pool.alive());
            Map<String, Object> json = pool.toJson();
            List<Map<String, Object>> devices = (List<Map<String, Object>>) json.get("devices");
            assertEquals(75L, devices.stream().mapToLong(d -> ((Number) d.get("items")).longValue()).sum(), "every item once: " + devices);
            assertEquals(1, ((List<?>) json.get("failures")).size());
            assertTrue(devices.get(2).containsKey("failed"));
            assertTrue(((Number) devices.get(2).get("items")).longValue() > 0, "device 2 did its own piece of the first batch (pieces 0-4) before its fault: " + devices);
        }
    }

    @Test
    void aDeviceErrorDropsTheDeviceButABugIsThrown() throws Exception {
        try (DevicePool<Worker> pool = pool(2, FaultPlan.NONE)) {
            List<Integer> out = pool.map(List.of(1, 2, 3, 4), x -> 1, (w, x) -> {
                if (w.device() == 0) throw new ClException("CL_OUT_OF_RESOURCES on device 0");
                return x * 10;
            });
            assertEquals(List.of(10, 20, 30, 40), out);
            assertEquals(1, pool.alive());
            assertThrows(IllegalStateException.class, () -> pool.map(List.of(1), x -> 1, (w, x) -> {
                throw new IllegalStateException("a bug, not a device failure");
            }));
        }
        try (DevicePool<Worker> pool = pool(2, FaultPlan.NONE)) {
            ClException e = assertThrows(ClException.class, () -> pool.map(List.of(1, 2), x -> 1, (w, x) -> {
                throw new ClException("device lost");
            }));
            assertTrue(e.getMessage().contains("every device"), e.getMessage());
        }
    }
}
