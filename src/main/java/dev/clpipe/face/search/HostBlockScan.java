package dev.clpipe.face.search;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Host twin of {@code ivf_block_scan} ({@code opencl/ann.cl}): the same blocks, the same GEMM-form
 * distance (|x|^2 + |y|^2) - 2 x.y with key-order sums, clamped at 0, and the same sorted insertion;
 * blocks spread over threads.
 */
public final class HostBlockScan implements BlockScan {
    private final int threads;

    public HostBlockScan(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
    }

    @Override
    public String where() {
        return "host";
    }

    @Override
    public void scan(PackedLists lists, float[] queries, int[] queryIds, int nq, int[] blockRow0, int[] blockRows, int nblocks,
                     int[] blockProbes, int nprobe, int k, float bound, int[] outIdx, float[] outDist, int[] outCount) {
        BlockScan.check(lists, queries, queryIds, nq, blockRow0, blockRows, nblocks, blockProbes, nprobe, k, outIdx, outDist, outCount);
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            float[] td = new float[k];
            int[] ti = new int[k];
            for (int b = next.getAndIncrement(); b < nblocks; b = next.getAndIncrement()) {
                for (int r = 0; r < blockRows[b]; r++) {
                    row(lists, queries, queryIds, blockRow0[b] + r, blockProbes, b * nprobe, nprobe, k, bound, td, ti, outIdx, outDist, outCount);
                }
            }
        };
        Thread[] pool = new Thread[Math.max(0, Math.min(threads, nblocks) - 1)];
        for (int t = 0; t < pool.length; t++) {
            pool[t] = new Thread(worker, "ivf-" + t);
            pool[t].start();
        }
        worker.run();
        for (Thread t : pool) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the IVF scan", e);
            }
        }
    }

    private static void row(PackedLists lists, float[] queries, int[] queryIds, int q, int[] probes, int p0, int nprobe, int k,
                            float bound, float[] td, int[] ti, int[] outIdx, float[] outDist, int[] outCount) {
        int d = lists.dim();
        int w = PackedLists.WIDTH;
        float[] panels = lists.panels();
        int[] ids = lists.panelIds();
        int self = queryIds[q];
        int x = q * d;
        float qn = 0f;
        for (int t = 0; t < d; t++) qn += queries[x + t] * queries[x + t];
        int m = 0;
        for (int p = 0; p < nprobe; p++) {
            int list = probes[p0 + p];
            if (list < 0) continue;
            for (int panel = lists.listPanel()[list]; panel < lists.listPanel()[list + 1]; panel++) {
                int y = panel * d * w;
                for (int c = 0; c < w; c++) {
                    int id = ids[panel * w + c];
                    if (id < 0 || id == self) continue;
                    float dot = 0f;
                    for (int t = 0; t < d; t++) dot += queries[x + t] * panels[y + t * w + c];
                    float s = Math.max((qn + lists.panelNorms()[panel * w + c]) - 2f * dot, 0f);
                    if (!(s <= bound)) continue;
                    if (m == k && !(s < td[k - 1] || (s == td[k - 1] && id < ti[k - 1]))) continue;
                    int slot = m < k ? m++ : k - 1;
                    while (slot > 0 && (s < td[slot - 1] || (s == td[slot - 1] && id < ti[slot - 1]))) {
                        td[slot] = td[slot - 1];
                        ti[slot] = ti[slot - 1];
                        slot--;
                    }
                    td[slot] = s;
                    ti[slot] = id;
                }
            }
        }
        int o = q * k;
        for (int r = 0; r < k; r++) {
            outIdx[o + r] = r < m ? ti[r] : -1;
            outDist[o + r] = r < m ? td[r] : Float.POSITIVE_INFINITY;
        }
        outCount[q] = m;
    }
}
