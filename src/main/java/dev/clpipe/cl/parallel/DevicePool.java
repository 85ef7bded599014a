package dev.clpipe.cl.parallel;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One worker per device (an augmenter, a detector...) sharing a list of work pieces: each device
 * takes the next piece whenever it is free, so a faster device simply does more. A device that
 * fails (an OpenCL error or a {@link FaultPlan} fault) is dropped with a warning and its piece
 * goes back to the queue for another device; a piece's result is stored only when it succeeded,
 * so nothing is lost or done twice. Results come back in piece order.
 */
public final class DevicePool<W extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(DevicePool.class);

    private final List<Slot<W>> slots = new ArrayList<>();
    private final List<Map<String, Object>> failures = new ArrayList<>();
    private final FaultPlan faults;
    private final ExecutorService threads;
    private final AtomicLong handedOut = new AtomicLong();
    private final long started = System.nanoTime();

    private static final class Slot<W> {
        final W worker;
        final DeviceShare share;
        volatile boolean alive = true;

        Slot(W worker, DeviceShare share) {
            this.worker = worker;
            this.share = share;
        }
    }

    public DevicePool(List<ClContext> devices, Function<ClContext, W> factory, FaultPlan faults) {
        if (devices.isEmpty()) throw new IllegalArgumentException("no devices for the pool");
        this.faults = faults;
        this.threads = Executors.newFixedThreadPool(devices.size(), r -> {
            Thread t = new Thread(r, "clpipe-device");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < devices.size(); i++) {
                slots.add(new Slot<>(factory.apply(devices.get(i)), new DeviceShare(i, devices.get(i).device().describe())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Items [from, to) of a batch: one work piece. */
    public record Piece(int from, int to) {
        public int size() {
            return to - from;
        }
    }

    /**
     * Cuts {@code count} items into pieces: the whole batch for one device, else about two
     * pieces per live device, so a faster device can take more of them.
     */
    public List<Piece> pieces(int count) {
        int size = pieceSize(count, alive());
        List<Piece> out = new ArrayList<>();
        for (int from = 0; from < count; from += size) out.add(new Piece(from, Math.min(count, from + size)));
        return out;
    }

    /**
     * Items per piece of a batch of {@code count} on {@code devices} live devices (the last piece may be
     * shorter): a worker that runs fixed-size device batches sizes them by this, not by the whole batch.
     */
    public static int pieceSize(int count, int devices) {
        return devices <= 1 ? Math.max(1, count) : Math.max(1, (count + 2 * devices - 1) / (2 * devices));
    }

    /** Devices the pool started with. */
    public int size() {
        return slots.size();
    }

    /** Devices still working. */
    public int alive() {
        return (int) slots.stream().filter(s -> s.alive).count();
    }

    /**
     * Applies {@code work} to every piece on whichever device is free; {@code items} counts a
     * piece's items for the per-device shares. Throws only when every device has failed.
     */
    public synchronized <T, R> List<R> map(List<T> pieces, ToIntFunction<T> items, BiFunction<W, T, R> work) throws InterruptedException {
        List<R> results = new ArrayList<>(pieces.size());
        for (int i = 0; i < pieces.size(); i++) results.add(null);
        ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
        // every live device starts with a piece of its own (so each is re-measured every call), then takes from the queue
        List<Slot<W>> live = slots.stream().filter(s -> s.alive).toList();
        for (int i = live.size(); i < pieces.size(); i++) todo.add(i);
        boolean first = true;
        while (first || !todo.isEmpty()) { // again when a failed device put a piece back after the others had stopped
            List<Future<?>> running = new ArrayList<>();
            for (int k = 0; k < slots.size(); k++) {
                Slot<W> slot = slots.get(k);
                int own = first ? live.indexOf(slot) : -1;
                Integer reserved = own >= 0 && own < pieces.size() ? own : null;
                if (slot.alive) running.add(threads.submit(() -> drain(slot, reserved, todo, pieces, items, work, results)));
            }
            first = false;
            if (running.isEmpty()) throw new ClException("every device of the stage failed; the errors are in the log");
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        return results;
    }

    private <T, R> void drain(Slot<W> slot, Integer reserved, ConcurrentLinkedQueue<Integer> todo, List<T> pieces, ToIntFunction<T> items,
            BiFunction<W, T, R> work, List<R> results) {
        Integer index = reserved;
        while (slot.alive && (index != null || (index = todo.poll()) != null)) {
            long t0 = System.nanoTime();
            try {
                faults.check(slot.share.index(), handedOut.getAndIncrement());
                R r = work.apply(slot.worker, pieces.get(index));
                synchronized (results) {
                    results.set(index, r);
                }
                slot.share.record(items.applyAsInt(pieces.get(index)), (System.nanoTime() - t0) / 1e9);
            } catch (RuntimeException e) {
                if (!DeviceFailures.isDeviceFailure(e)) throw e;
                todo.add(index);
                slot.share.record(0, (System.nanoTime() - t0) / 1e9);
                fail(slot, e);
            }
            index = null;
        }
    }

    private void fail(Slot<W> slot, RuntimeException e) {
        slot.alive = false;
        slot.share.failed(e.getMessage());
        LOG.warn("device {} ({}) failed and is dropped; its work goes to the other devices: {}", slot.share.index(), slot.share.device(), e.getMessage());
        synchronized (failures) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("device", slot.share.index());
            f.put("name", slot.share.device());
            f.put("message", e.getMessage());
            failures.add(f);
        }
    }

    /** {@code devices[]} (items, shares, busy time, speed, failure) and {@code failures[]}, for metrics.json. */
    public Map<String, Object> toJson() {
        long total = slots.stream().mapToLong(s -> s.share.rows()).sum();
        double wall = (System.nanoTime() - started) / 1e9;
        List<Map<String, Object>> devices = new ArrayList<>();
        for (Slot<W> s : slots) {
            Map<String, Object> d = s.share.toJson(total, wall);
            d.put("items", d.remove("rows"));
            d.put("item_share", d.remove("row_share"));
            d.put("items_per_s", d.remove("rows_per_s"));
            devices.add(d);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices);
        synchronized (failures) {
            m.put("failures", List.copyOf(failures));
        }
        return m;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        for (Slot<W> s : slots) {
            try {
                s.worker.close();
            } catch (Exception ignored) {
                // a failed device may refuse to release; its context is closed with the run
            }
        }
    }
}
