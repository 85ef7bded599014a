package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.ProgramSpec;

/**
 * One-launch GEMM for small shapes ({@code gemm_direct}, {@code gemm_direct_dot} of gemm.cl): reads op(A) and op(B) in
 * place, where {@link RegisterBlockedGemm} spends two packing launches. At a dense layer's shapes (M = batch, N and K in
 * the tens to hundreds) the launches and the packing cost more than the multiply. Optionally writes the row sums of op(A)
 * in the same launch (a dense layer's bias gradient beside its weight gradient).
 */
final class DirectGemm {
    /**
     * Largest M*N*K routed to {@code gemm_direct} (op(B) = B). {@code clpipe bench kernels} rows "gemm dense ..." time both
     * paths at LeNet-5's dense shapes. On one PoCL thread of an AVX-512 Xeon (session 10) the packed path was 2-4x faster
     * from about a million multiply-adds: 0.12-0.17 against 0.42-0.50 ms at 128x400x120 (6.1M, the input and weight
     * gradients of the 400->120 layer at 128 rows), 0.04-0.08 against 0.09-0.13 ms at 128x120x84 (1.3M); the direct
     * kernel won only below (0.02-0.03 against 0.02-0.05 ms at 128x84x10). An earlier, AVX2 machine had it 20-30%
     * slower at 6.1M, where the two launches it saves (~10 us each) about evened it out, so the rule was 8M: on the
     * AVX-512 machine that cost a LeNet-5 step 0.65 ms of 10 at 128 rows.
     */
    static final long MAX_MACS = Long.getLong("clpipe.gemm.directMaxMacs", 1L << 20);
    /** Largest M*N*K routed to {@code gemm_direct_dot} (op(A) = A, op(B) = B^T): at par with packing up to 256x120x400. */
    static final long MAX_DOT_MACS = Long.getLong("clpipe.gemm.directDotMaxMacs", 16L << 20);
    /** Rows per {@code gemm_direct} work-item (gemm.cl's DR). */
    static final int ROWS = Integer.getInteger("clpipe.gemm.directRows", 4);
    /** float16 column vectors per {@code gemm_direct} work-item (gemm.cl's DNV). */
    static final int VECTORS = Integer.getInteger("clpipe.gemm.directVectors", 4);
    static final int COLUMNS = 16 * VECTORS;
    /** Rows and columns per {@code gemm_direct_dot} work-item (gemm.cl's DDR, DDC). */
    static final int DOT_BLOCK = 4;
    private final ClContext context;
    private final RegisterBlockedGemm packed;

    /** Builds its kernels through {@code packed}: both paths share one program per transposition case and one kernel cache. */
    DirectGemm(ClContext context, RegisterBlockedGemm packed) {
        this.context = context;
        this.packed = packed;
    }

    /** Whether {@code shape} is small enough that one unpacked launch beats packing. */
    static boolean suits(GemmShape shape) {
        return shape.macs() <= (usesDot(shape, false) ? MAX_DOT_MACS : MAX_MACS);
    }

    private static boolean usesDot(GemmShape s, boolean hasRowSums) {
        return s.transB() && !s.transA() && !hasRowSums;
    }

    /**
     * What the kernel does to C last (gemm.cl's EPILOGUE_*): nothing; {@code fmax(c, 0)} as relu_fwd (a dense layer's
     * forward with its ReLU); or {@code gate > 0 ? c : 0} as relu_bwd, gate being the ReLU's output, M x N like C (the
     * dX of the dense layer after a ReLU, which is the ReLU's input gradient).
     */
    enum Epilogue {
        NONE, RELU, GATE;

        int code() {
            return ordinal();
        }
    }

    /**
     * Launches one kernel. {@code bias}, {@code rowSums} and {@code gate} are real buffers even when unused (OpenCL wants
     * valid arguments); {@code gate} is read only with {@link Epilogue#GATE}.
     */
    void run(GemmShape s, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer bias, boolean hasBias, ClBuffer rowSums, boolean hasRowSums,
             Epilogue epilogue, ClBuffer gate) {
        if (usesDot(s, hasRowSums)) {
            kernel(s, "gemm_direct_dot").arg(0, s.m()).arg(1, s.n()).arg(2, s.k()).arg(3, s.alpha()).arg(4, s.beta())
                    .arg(5, a).arg(6, b).arg(7, c).arg(8, bias).arg(9, hasBias ? 1 : 0).arg(10, gate).arg(11, epilogue.code())
                    .launch(context.queue(), new long[] {ceil(s.n(), DOT_BLOCK), ceil(s.m(), DOT_BLOCK)}, new long[] {1, 1});
            return;
        }
        kernel(s, "gemm_direct").arg(0, s.m()).arg(1, s.n()).arg(2, s.k()).arg(3, s.alpha()).arg(4, s.beta())
                .arg(5, a).arg(6, b).arg(7, c).arg(8, bias).arg(9, hasBias ? 1 : 0).arg(10, rowSums).arg(11, hasRowSums ? 1 : 0)
                .arg(12, gate).arg(13, epilogue.code())
                .launch(context.queue(), new long[] {ceil(s.n(), COLUMNS), ceil(s.m(), ROWS)}, new long[] {1, 1});
    }

    private static long ceil(int n, int block) {
        return (n + block - 1) / block;
    }

    private ClKernel kernel(GemmShape s, String name) {
        ProgramSpec base = RegisterBlockedGemm.spec(packed.params(), s.transA(), s.transB());
        boolean defaults = ROWS == 4 && VECTORS == 4;
        return packed.kernel(defaults ? base : new ProgramSpec(base.file(), base.options() + " -DDR=" + ROWS + " -DDNV=" + VECTORS), name);
    }
}
