package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.ProgramSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU-style GEMM: packs op(B) into zero-padded column panels and op(A) into row blocks, then one work-item per RM x PW block of
 * C with float16 register accumulators and the epilogue (gemm.cl, {@code gemm_pack} + {@code gemm_rb}).
 */
final class RegisterBlockedGemm implements AutoCloseable {
    /**
     * Packed A kept hot per group of row blocks. Measured on the 2 MB-L2 Xeon (2048^3, one thread): 16 blocks of
     * 14 x 2048 (1.8 MB) beat 4 blocks by ~25%; re-reading each B panel from L3 costs more than missing L2 on A.
     */
    static final long GROUP_BYTES = Long.getLong("clpipe.gemm.groupBytes", 2 * 1024 * 1024);
    /** Kernels one {@link #run} enqueues: pack both operands, multiply (with the epilogue). */
    static final int LAUNCHES = 2;
    /** Keys per packing work-item: gemm.cl's KC default. */
    private static final int PACK_KEYS = 64;
    private final ClContext context;
    private final GemmParams params;
    private final ScratchBuffer panels;
    private final ScratchBuffer rowBlocks;
    private final Map<String, ClKernel> kernels = new HashMap<>();

    RegisterBlockedGemm(ClContext context, GemmParams params) {
        this.context = context;
        this.params = params;
        this.panels = new ScratchBuffer(context);
        this.rowBlocks = new ScratchBuffer(context);
    }

    GemmParams params() {
        return params;
    }

    static ProgramSpec spec(GemmParams params, boolean transA, boolean transB) {
        return new ProgramSpec("gemm.cl", params.defines() + " -DTRANS_A=" + (transA ? 1 : 0) + " -DTRANS_B=" + (transB ? 1 : 0));
    }

    /**
     * {@code bias}, {@code gate} and {@code rowSums} are real buffers even when unused (OpenCL wants valid arguments);
     * {@code gate} is read only with {@link DirectGemm.Epilogue#GATE}. {@code withSums} (op(A) = A^T only) also writes
     * the row sums of op(A) in the packing launch.
     */
    void run(GemmShape s, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer bias, boolean hasBias, DirectGemm.Epilogue epilogue, ClBuffer gate,
             ClBuffer rowSums, boolean withSums) {
        int width = params.panelWidth();
        int panelCount = (s.n() + width - 1) / width;
        ClBuffer packed = panels.atLeast((long) panelCount * width * s.k());
        int blockCount = (s.m() + params.rows() - 1) / params.rows();
        ClBuffer packedA = rowBlocks.atLeast((long) blockCount * params.rows() * s.k());
        kernel(s, "gemm_pack").arg(0, a).arg(1, packedA).arg(2, s.m()).arg(3, b).arg(4, packed).arg(5, s.n()).arg(6, s.k())
                .arg(7, panelCount).arg(8, rowSums).arg(9, withSums ? 1 : 0)
                .launch(context.queue(), new long[] {panelCount + blockCount, (s.k() + PACK_KEYS - 1) / PACK_KEYS}, new long[] {1, 1});
        int group = groupBlocks(s.k(), blockCount);
        kernel(s, "gemm_rb").arg(0, s.m()).arg(1, s.n()).arg(2, s.k()).arg(3, s.alpha()).arg(4, s.beta())
                .arg(5, packedA).arg(6, packed).arg(7, c).arg(8, bias).arg(9, hasBias ? 1 : 0).arg(10, group)
                .arg(11, gate).arg(12, epilogue.code())
                .launch(context.queue(), new long[] {group, panelCount, (blockCount + group - 1) / group}, new long[] {1, 1, 1});
    }

    /** Row blocks whose packed A (RM x K floats each) fit GROUP_BYTES, so they stay in L2 across panels. */
    private int groupBlocks(int k, int blockCount) {
        long bytes = (long) params.rows() * k * Float.BYTES;
        return (int) Math.max(1, Math.min(blockCount, GROUP_BYTES / bytes));
    }

    private ClKernel kernel(GemmShape s, String name) {
        return kernel(spec(params, s.transA(), s.transB()), name);
    }

    /** Kernel {@code name} of gemm.cl built with {@code spec}, made once per instance ({@link DirectGemm} shares these). */
    ClKernel kernel(ProgramSpec spec, String name) {
        return kernels.computeIfAbsent(spec.options() + "/" + name, key -> {
            KernelCatalog.register(spec);
            return context.program(spec).kernel(name);
        });
    }

    @Override
    public void close() {
        kernels.values().forEach(ClKernel::close);
        kernels.clear();
        panels.close();
        rowBlocks.close();
    }
}
