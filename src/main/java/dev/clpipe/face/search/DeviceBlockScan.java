package dev.clpipe.face.search;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.ProgramSpec;
import dev.clpipe.nn.ops.IvfBlockScan;

/**
 * {@code ivf_block_scan} of {@code opencl/ann.cl} ({@link IvfBlockScan}) on an OpenCL device, one work-item per block.
 * The packed lists are uploaded once per {@link PackedLists} instance and kept while the same
 * instance is scanned again (the IVF search scans one set in chunks); queries, blocks and results
 * travel per call. One program per dimension (-DD=dim). Not thread-safe.
 */
public final class DeviceBlockScan implements BlockScan {
    private final ClContext context;
    private final IvfBlockScan op;
    private PackedLists loaded;
    private ClBuffer panels;
    private ClBuffer panelNorms;
    private ClBuffer panelIds;
    private ClBuffer listPanel;

    public DeviceBlockScan(ClContext context) {
        this.context = context;
        this.op = new IvfBlockScan(context, KMAX);
    }

    /** The program options for dimension {@code dim}; registered so offline builds include 128. */
    static ProgramSpec spec(int dim) {
        return IvfBlockScan.spec(dim, KMAX);
    }

    static {
        KernelCatalog.register(spec(128));
    }

    @Override
    public String where() {
        return context.device().describe();
    }

    @Override
    public void scan(PackedLists lists, float[] queries, int[] queryIds, int nq, int[] blockRow0, int[] blockRows, int nblocks,
                     int[] blockProbes, int nprobe, int k, float bound, int[] outIdx, float[] outDist, int[] outCount) {
        BlockScan.check(lists, queries, queryIds, nq, blockRow0, blockRows, nblocks, blockProbes, nprobe, k, outIdx, outDist, outCount);
        if (nblocks == 0) return;
        int d = lists.dim();
        load(lists);
        try (ClBuffer q = context.buffer((long) nq * d * Float.BYTES);
             ClBuffer qIds = ints(queryIds, nq);
             ClBuffer row0 = ints(blockRow0, nblocks);
             ClBuffer rows = ints(blockRows, nblocks);
             ClBuffer probes = ints(blockProbes, nblocks * nprobe);
             ClBuffer idx = context.buffer((long) nq * k * Integer.BYTES);
             ClBuffer dist = context.buffer((long) nq * k * Float.BYTES);
             ClBuffer count = context.buffer((long) nq * Integer.BYTES)) {
            q.write(context.queue(), queries, 0, nq * d);
            op.run(d, q, qIds, row0, rows, nblocks, probes, nprobe, new IvfBlockScan.Panels(panels, panelNorms, panelIds, listPanel),
                    k, bound, idx, dist, count);
            int[] i = outIdx.length == nq * k ? outIdx : new int[nq * k];
            float[] f = outDist.length == nq * k ? outDist : new float[nq * k];
            int[] c = outCount.length == nq ? outCount : new int[nq];
            idx.read(context.queue(), i);
            dist.read(context.queue(), f);
            count.read(context.queue(), c);
            if (i != outIdx) System.arraycopy(i, 0, outIdx, 0, i.length);
            if (f != outDist) System.arraycopy(f, 0, outDist, 0, f.length);
            if (c != outCount) System.arraycopy(c, 0, outCount, 0, c.length);
        }
    }

    private ClBuffer ints(int[] a, int n) {
        ClBuffer b = context.buffer((long) Math.max(1, n) * Integer.BYTES);
        if (n > 0) b.write(context.queue(), a.length == n ? a : java.util.Arrays.copyOf(a, n));
        return b;
    }

    private void load(PackedLists lists) {
        if (lists == loaded) return;
        release();
        panels = context.buffer((long) Math.max(1, lists.panels().length) * Float.BYTES);
        if (lists.panels().length > 0) panels.write(context.queue(), lists.panels());
        panelNorms = context.buffer((long) Math.max(1, lists.panelNorms().length) * Float.BYTES);
        if (lists.panelNorms().length > 0) panelNorms.write(context.queue(), lists.panelNorms());
        panelIds = ints(lists.panelIds(), lists.panelIds().length);
        listPanel = ints(lists.listPanel(), lists.listPanel().length);
        loaded = lists;
    }

    private void release() {
        for (ClBuffer b : new ClBuffer[] {panels, panelNorms, panelIds, listPanel}) if (b != null) b.close();
        panels = panelNorms = panelIds = listPanel = null;
        loaded = null;
    }

    @Override
    public void close() {
        release();
        op.close();
    }
}
