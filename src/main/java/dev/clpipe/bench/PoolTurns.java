package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.cl.parallel.FaultPlan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * {@code rate} runs the measured work on a pool and returns its images per second; the pools are
     * closed at the end. {@code together} receives the all-device pool before it closes (its device shares).
     */
    static <W extends AutoCloseable> TakingTurns.Result measure(List<ClContext> devices, Function<ClContext, W> worker,
            ToDoubleFunction<DevicePool<W>> rate, int rounds, String label, PrintStream log, java.util.function.Consumer<DevicePool<W>> together) {
        List<DevicePool<W>> alone = new ArrayList<>();
        try (DevicePool<W> all = new DevicePool<>(devices, worker, FaultPlan.NONE)) {
            for (ClContext d : devices) alone.add(new DevicePool<>(List.of(d), worker, FaultPlan.NONE));
            for (DevicePool<W> pool : alone) rate.applyAsDouble(pool);
            rate.applyAsDouble(all);
            List<DoubleSupplier> each = new ArrayList<>();
            for (DevicePool<W> pool : alone) each.add(() -> rate.applyAsDouble(pool));
            TakingTurns.Result turns = TakingTurns.measure(each, () -> rate.applyAsDouble(all), rounds, label, log);
            together.accept(all);
            return turns;
        } finally {
            alone.forEach(DevicePool::close);
        }
    }
}
