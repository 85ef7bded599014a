package dev.clpipe.nn.train;

import dev.clpipe.cl.parallel.DeviceFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One host thread per replica: runs a phase of a step on every replica at once and waits for all
 * of them. A device failure becomes that replica's {@link Outcome}; any other error is rethrown.
 */
final class ReplicaThreads implements AutoCloseable {
    /** The result of one replica's part of a phase: a value, or the device failure that stopped it. */
    record Outcome<T>(T value, Throwable failure) {
        boolean failed() {
            return failure != null;
        }
    }

    interface Work<T> {
        T run(int index, Replica replica);
    }

    private final ExecutorService pool;
    private double waitSeconds;

    ReplicaThreads(int count) {
        this.pool = Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "clpipe-replica");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on every replica, each in its own thread, and returns the outcomes in replica order. */
    <T> List<Outcome<T>> onEvery(List<Replica> replicas, Work<T> work) {
        List<Future<T>> running = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            int index = i;
            Replica r = replicas.get(i);
            running.add(pool.submit(() -> work.run(index, r)));
        }
        long waitStart = System.nanoTime();
        List<Outcome<T>> out = new ArrayList<>();
        RuntimeException other = null;
        for (Future<T> f : running) {
            try {
                out.add(new Outcome<>(f.get(), null));
            } catch (ExecutionException e) {
                if (!DeviceFailures.isDeviceFailure(e.getCause()) && other == null) other = rethrow(e.getCause());
                out.add(new Outcome<>(null, e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while training", e);
            }
        }
        waitSeconds += (System.nanoTime() - waitStart) / 1e9;
        if (other != null) throw other;
        return out;
    }

    /** Seconds the calling thread spent waiting for the replicas. */
    double waitSeconds() {
        return waitSeconds;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
