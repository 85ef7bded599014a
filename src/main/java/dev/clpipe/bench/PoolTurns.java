package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.cl.parallel.FaultPlan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * An item stage's way of using several devices, a {@link DevicePool} of one worker per device, timed
 * on each device alone and on all together in turn ({@link TakingTurns}). Every pool runs its work
 * once before the clock (PoCL builds a kernel per work-group size at its first launch).
 */
final class PoolTurns {
    private PoolTurns() {}

    /** The rounds' result and the all-device pool's per-device shares ({@link DevicePool#toJson}). */
    record Measured(TakingTurns.Result turns, Map<String, Object> shares) {
        /** The scaling report: what ran, the device count, the rounds' figures, then the shares. */
        Map<String, Object> report(String work, int devices) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("work", work);
            m.put("device_count", devices);
            m.putAll(turns.toJson());
            m.putAll(shares);
            return m;
        }

        /**
         * The two rows of a stage measured in items per second: "STAGE stage, one device" (the mean of the
         * devices alone) and "STAGE stage, device pool" (together, with the speed-ups and {@code report}).
         */
        void rateRows(String stage, String shape, String unit, List<ClContext> devices, Map<String, Object> report, Consumer<BenchResult> sink) {
            sink.accept(BenchResult.rate(stage + " stage, one device", shape, "mean of the devices alone, median round" + unit,
                    BenchDevice.group(devices, "each alone"), meanAlone(), Double.NaN));
            sink.accept(turns.withSpeedups(BenchResult.rate(stage + " stage, device pool", shape, "all devices together, median round" + unit,
                    BenchDevice.group(devices, "together"), turns.together(), Double.NaN)).withDetails(report));
        }

        /** The mean of the devices alone in the median round, per second. */
        double meanAlone() {
            return turns.single().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        }
    }

    /** {@code rate} runs the measured work on a pool and returns its items per second; the pools are closed at the end. */
    static <W extends AutoCloseable> Measured measure(List<ClContext> devices, Function<ClContext, W> worker,
            ToDoubleFunction<DevicePool<W>> rate, int rounds, String label, PrintStream log) {
        return measure(devices, (device, poolSize) -> worker.apply(device), rate, rounds, label, log);
    }

    /** As above, for workers sized by their pool: {@code worker} gets the device and the number of devices in its pool. */
    static <W extends AutoCloseable> Measured measure(List<ClContext> devices, BiFunction<ClContext, Integer, W> worker,
            ToDoubleFunction<DevicePool<W>> rate, int rounds, String label, PrintStream log) {
        List<DevicePool<W>> alone = new ArrayList<>();
        try (DevicePool<W> all = new DevicePool<>(devices, d -> worker.apply(d, devices.size()), FaultPlan.NONE)) {
            for (ClContext d : devices) alone.add(new DevicePool<>(List.of(d), x -> worker.apply(x, 1), FaultPlan.NONE));
            for (DevicePool<W> pool : alone) rate.applyAsDouble(pool);
            rate.applyAsDouble(all);
            List<DoubleSupplier> each = new ArrayList<>();
            for (DevicePool<W> pool : alone) each.add(() -> rate.applyAsDouble(pool));
            TakingTurns.Result turns = TakingTurns.measure(each, () -> rate.applyAsDouble(all), rounds, label, log);
            return new Measured(turns, all.toJson());
        } finally {
            alone.forEach(DevicePool::close);
        }
    }

    /**
     * {@code calls} stage calls of {@code items} each, timed: {@code counted} (what one call handles: its
     * images, or its faces) times the calls, per second.
     */
    static <W extends AutoCloseable> double perSecond(DevicePool<W> pool, int items, int calls, int counted, BiFunction<W, DevicePool.Piece, ?> work) {
        long t0 = System.nanoTime();
        for (int c = 0; c < calls; c++) call(pool, items, work);
        return (double) calls * counted / ((System.nanoTime() - t0) / 1e9);
    }

    /** One stage call: {@code items} cut into the pool's pieces, each given to {@code work} on whichever device is free. */
    static <W extends AutoCloseable> void call(DevicePool<W> pool, int items, BiFunction<W, DevicePool.Piece, ?> work) {
        try {
            pool.map(pool.pieces(items), DevicePool.Piece::size, work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
