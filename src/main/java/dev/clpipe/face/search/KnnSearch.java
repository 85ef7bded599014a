package dev.clpipe.face.search;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Exact k-nearest-neighbour search by blocked brute force. Distances come from a
 * {@link DistanceKernel} one (query block x base block) tile at a time, are filtered against
 * each row's current k-th best, and the kept ones are recomputed exactly at the end.
 *
 * <p>Cost: n_q * n_b * d multiply-adds (a graph search over one set uses the symmetry and does
 * half), O(tile) extra memory per thread plus the n * k result. Work is split over tiles by
 * an atomic counter, so any thread count gives the same result.
 */
public final class KnnSearch {
    private final DistanceKernel kernel;
    private final int threads;
    private final int block;

    public KnnSearch(DistanceKernel kernel, int threads, int block) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (block < 4) throw new IllegalArgumentException("block must be >= 4, got " + block);
        this.kernel = kernel;
        this.threads = threads;
        this.block = block;
    }

    /** GEMM kernel on the host, one thread per available processor, 256-row tiles. */
    public static KnnSearch defaults() {
        return new KnnSearch(new GemmDistanceKernel(), Runtime.getRuntime().availableProcessors(), 256);
    }

    public DistanceKernel kernel() {
        return kernel;
    }

    /** For each query, its k nearest base rows with distance <= radius (use +inf for plain k-NN). */
    public Neighbors search(Embeddings queries, Embeddings base, int k, double radius) {
        checkArgs(queries, base, k, radius);
        int nq = queries.size();
        int nb = base.size();
        int kk = Math.max(1, Math.min(k, nb));
        TopKTable top = new TopKTable(nq, kk);
        int[] within = new int[nq];
        float r2 = slackSquared(radius);
        float exactR2 = (float) (radius * radius);
        int qBlocks = ceilDiv(nq, block);
        ThreadLocal<float[]> tiles = ThreadLocal.withInitial(() -> new float[block * block]);
        parallel(qBlocks, qb -> {
            int q0 = qb * block;
            int q1 = Math.min(nq, q0 + block);
            float[] tile = tiles.get();
            for (int b0 = 0; b0 < nb; b0 += block) {
                int b1 = Math.min(nb, b0 + block);
                int w = b1 - b0;
                kernel.squaredDistances(queries, q0, q1, base, b0, b1, tile);
                for (int i = q0; i < q1; i++) {
                    int o = (i - q0) * w;
                    float bound = Math.min(top.bound(i), r2);
                    for (int j = 0; j < w; j++) {
                        float v = tile[o + j];
                        if (v <= exactR2) within[i]++;
                        if (v <= bound) {
                            top.offer(i, v, b0 + j);
                            bound = Math.min(top.bound(i), r2);
                        }
                    }
                }
            }
        });
        return finish(top, within, queries, base, radius);
    }

    /** Each row's k nearest other rows of the same set within the radius (self excluded). */
    public Neighbors graph(Embeddings points, int k, double radius) {
        checkArgs(points, points, k, radius);
        int n = points.size();
        int kk = Math.max(1, Math.min(k, n - 1));
        TopKTable top = new TopKTable(n, kk);
        int[] within = new int[n];
        float r2 = slackSquared(radius);
        float exactR2 = (float) (radius * radius);
        int nb = ceilDiv(n, block);
        Object[] locks = new Object[nb];
        for (int i = 0; i < nb; i++) locks[i] = new Object();
        int pairs = nb * (nb + 1) / 2;
        ThreadLocal<float[]> tiles = ThreadLocal.withInitial(() -> new float[block * block]);
        ThreadLocal<float[]> bounds = ThreadLocal.withInitial(() -> new float[block]);
        parallel(pairs, t -> {
            int bi = 0;
            int rem = t;
            while (rem >= nb - bi) {
                rem -= nb - bi;
                bi++;
            }
            int bj = bi + rem;
            int i0 = bi * block;
            int i1 = Math.min(n, i0 + block);
            int j0 = bj * block;
            int j1 = Math.min(n, j0 + block);
            int w = j1 - j0;
            float[] tile = tiles.get();
            kernel.squaredDistances(points, i0, i1, points, j0, j1, tile);
            synchronized (locks[bi]) {
                for (int i = i0; i < i1; i++) {
                    int o = (i - i0) * w;
                    float bound = Math.min(top.bound(i), r2);
                    for (int j = j0; j < j1; j++) {
                        if (j == i || (bi == bj && j < i)) continue;
                        float v = tile[o + j - j0];
                        if (v <= exactR2) within[i]++;
                        if (v <= bound) {
                            top.offer(i, v, j);
                            bound = Math.min(top.bound(i), r2);
                        }
                    }
                }
            }
            synchronized (locks[bj]) {
                // columns: walk the tile row by row (contiguous) with one running bound per column
                float[] colBound = bounds.get();
                for (int j = j0; j < j1; j++) colBound[j - j0] = Math.min(top.bound(j), r2);
                for (int i = i0; i < i1; i++) {
                    int o = (i - i0) * w - j0;
                    int from = bi == bj ? i + 1 : j0;
                    for (int j = from; j < j1; j++) {
                        float v = tile[o + j];
                        if (v <= exactR2) within[j]++;
                        if (v <= colBound[j - j0]) {
                            top.offer(j, v, i);
                            colBound[j - j0] = Math.min(top.bound(j), r2);
                        }
                    }
                }
            }
        });
        return finish(top, within, points, points, radius);
    }

    /** Sorts each row's kept candidates after recomputing their distances exactly; drops those beyond the radius. */
    private Neighbors finish(TopKTable top, int[] within, Embeddings queries, Embeddings base, double radius) {
        int rows = top.size.length;
        int k = top.k;
        int[] index = new int[rows * k];
        float[] dist = new float[rows * k];
        int[] count = new int[rows];
        Arrays.fill(index, -1);
        int d = queries.dim();
        parallel(ceilDiv(rows, 1024), c -> {
            long[] keys = new long[k];
            for (int i = c * 1024; i < Math.min(rows, (c + 1) * 1024); i++) {
                int m = 0;
                for (int r = 0; r < top.size[i]; r++) {
                    int j = top.idx[i * k + r];
                    float e = (float) Math.sqrt(Embeddings.sqDiff(queries.data(), i * d, base.data(), j * d, d));
                    if (e > radius) continue;
                    // non-negative floats order like their bit patterns: pack (distance, index) in one long
                    keys[m++] = ((long) Float.floatToIntBits(e) << 32) | j;
                }
                Arrays.sort(keys, 0, m);
                for (int r = 0; r < m; r++) {
                    index[i * k + r] = (int) keys[r];
                    dist[i * k + r] = Float.intBitsToFloat((int) (keys[r] >>> 32));
                }
                count[i] = m;
                within[i] = Math.max(within[i], m);
            }
        });
        return new Neighbors(k, index, dist, count, within, radius);
    }

    private void parallel(int tasks, IntConsumer body) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) body.accept(t);
        };
        int nThreads = Math.min(threads, tasks);
        if (nThreads <= 1) {
            worker.run();
            return;
        }
        Thread[] pool = new Thread[nThreads - 1];
        RuntimeException[] failure = new RuntimeException[1];
        for (int t = 0; t < pool.length; t++) {
            pool[t] = new Thread(worker, "knn-" + t);
            pool[t].setUncaughtExceptionHandler((th, e) -> failure[0] = new IllegalStateException("k-NN worker failed", e));
            pool[t].start();
        }
        worker.run();
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during k-NN search", e);
            }
        }
        if (failure[0] != null) throw failure[0];
    }

    private static float slackSquared(double radius) {
        if (Double.isInfinite(radius)) return Float.POSITIVE_INFINITY;
        double r = radius * (1 + 1e-4) + 1e-4;
        return (float) (r * r);
    }

    private static void checkArgs(Embeddings q, Embeddings b, int k, double radius) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (!(radius >= 0)) throw new IllegalArgumentException("radius must be >= 0 (or +inf), got " + radius);
        if (q.dim() != b.dim()) throw new IllegalArgumentException("dimension mismatch: queries " + q.dim() + ", base " + b.dim());
        if (b.size() == 0) throw new IllegalArgumentException("the base set is empty");
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
