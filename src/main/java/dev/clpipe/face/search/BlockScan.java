package dev.clpipe.face.search;

/**
 * The IVF scan of {@code opencl/ann.cl} ({@code ivf_block_scan}): blocks of up to {@link #ROWS}
 * query rows share the lists they probe; each row keeps its k nearest candidates (squared
 * distance <= bound, ties by smaller id, its own id skipped). {@link HostBlockScan} is the plain
 * twin, {@link DeviceBlockScan} the device one.
 */
public interface BlockScan extends AutoCloseable {
    /** Largest k (the kernel's private top-k buffer). */
    int KMAX = 64;
    /** Query rows per block (the kernel's RM). */
    int ROWS = 8;

    /**
     * @param queries row-major [nq][dim]
     * @param queryIds [nq] the candidate id each row must not return (-1: none)
     * @param blockRow0 first row of each block; {@code blockRows} its rows (1..ROWS)
     * @param blockProbes [nblocks][nprobe] lists each block scans (< 0 = unused slot)
     * @param outIdx [nq][k] ids ascending by (distance, id), -1 past the count
     * @param outDist [nq][k] squared distances, +inf past the count
     */
    void scan(PackedLists lists, float[] queries, int[] queryIds, int nq, int[] blockRow0, int[] blockRows, int nblocks,
              int[] blockProbes, int nprobe, int k, float bound, int[] outIdx, float[] outDist, int[] outCount);

    /** "host" or the device's description. */
    String where();

    @Override
    default void close() {}

    /** Blocks of {@link #ROWS} consecutive rows over [0, nq): {row0[], rows[]}. */
    static int[][] uniformBlocks(int nq) {
        int nb = (nq + ROWS - 1) / ROWS;
        int[] row0 = new int[nb];
        int[] rows = new int[nb];
        for (int b = 0; b < nb; b++) {
            row0[b] = b * ROWS;
            rows[b] = Math.min(ROWS, nq - b * ROWS);
        }
        return new int[][] {row0, rows};
    }

    static void check(PackedLists lists, float[] queries, int[] queryIds, int nq, int[] blockRow0, int[] blockRows, int nblocks,
                      int[] blockProbes, int nprobe, int k, int[] outIdx, float[] outDist, int[] outCount) {
        if (k < 1 || k > KMAX) throw new IllegalArgumentException("IVF scan k must be within [1, " + KMAX + "], got " + k);
        if (nprobe < 1) throw new IllegalArgumentException("IVF scan needs nprobe >= 1, got " + nprobe);
        long d = lists.dim();
        if (queries.length < nq * d || queryIds.length < nq || blockRow0.length < nblocks || blockRows.length < nblocks
                || blockProbes.length < (long) nblocks * nprobe || outIdx.length < (long) nq * k || outDist.length < (long) nq * k
                || outCount.length < nq) {
            throw new IllegalArgumentException("IVF scan arrays are too short for " + nq + " rows, " + nblocks + " blocks, k " + k);
        }
        for (int b = 0; b < nblocks; b++) {
            if (blockRows[b] < 1 || blockRows[b] > ROWS || blockRow0[b] < 0 || blockRow0[b] + blockRows[b] > nq) {
                throw new IllegalArgumentException("IVF block " + b + " covers rows " + blockRow0[b] + "+" + blockRows[b] + " of " + nq);
            }
        }
    }
}
