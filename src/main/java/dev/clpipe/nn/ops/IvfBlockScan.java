package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.Defines;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.cl.ProgramSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ivf_block_scan} of {@code opencl/ann.cl}: the k nearest rows of packed IVF panels per
 * query, one work-item per block of (query, rows). One program per dimension ({@code -DD}), with
 * at most {@code KMAX} results per query. The buffers and their layout belong to
 * {@code face.search.DeviceBlockScan}; twin: {@code face.search.HostBlockScan}, test: {@code BlockScanTest}.
 */
public final class IvfBlockScan implements AutoCloseable {
    private final ClContext context;
    private final int kmax;
    private final Map<Integer, KernelLauncher> programs = new HashMap<>();

    public IvfBlockScan(ClContext context, int kmax) {
        this.context = context;
        this.kmax = kmax;
    }

    /** The program for vectors of {@code dim} floats. */
    public static ProgramSpec spec(int dim, int kmax) {
        return Defines.of().set("D", dim).set("KMAX", kmax).spec("ann.cl");
    }

    /** The panel buffers of one packed set, as uploaded by the caller. */
    public record Panels(ClBuffer panels, ClBuffer norms, ClBuffer ids, ClBuffer listPanel) {}

    /** Enqueues the scan of {@code nblocks} blocks; results go to idx/dist/count (nq x k, nq). */
    public void run(int dim, ClBuffer queries, ClBuffer queryIds, ClBuffer blockRow0, ClBuffer blockRows, int nblocks, ClBuffer probes,
            int nprobe, Panels p, int k, float bound, ClBuffer idx, ClBuffer dist, ClBuffer count) {
        KernelLauncher kernels = programs.computeIfAbsent(dim, d -> new KernelLauncher(context, spec(d, kmax)));
        kernels.launchGroups(kernels.kernel("ivf_block_scan").arg(0, queries).arg(1, queryIds).arg(2, blockRow0).arg(3, blockRows)
                .arg(4, nblocks).arg(5, probes).arg(6, nprobe).arg(7, p.panels()).arg(8, p.norms()).arg(9, p.ids())
                .arg(10, p.listPanel()).arg(11, k).arg(12, bound).arg(13, idx).arg(14, dist).arg(15, count), nblocks, 1);
    }

    @Override
    public void close() {
        programs.values().forEach(KernelLauncher::close);
        programs.clear();
    }
}
