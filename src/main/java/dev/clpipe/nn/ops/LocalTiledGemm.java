package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.Defines;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.ProgramSpec;

/**
 * GPU-style GEMM ({@code gemm_tiled}): TS x TS work-groups staging tiles in local memory. Takes
 * offsets and leading dimensions so the im2col convolution can run it on one group's columns.
 */
final class LocalTiledGemm implements AutoCloseable {
    static final int TILE = 16;
    static final ProgramSpec SPEC = Defines.of().set("TS", TILE).spec("gemm.cl");
    private final ClContext context;
    private ClKernel kernel;

    LocalTiledGemm(ClContext context) {
        this.context = context;
    }

    /** One operand: buffer, float offset, leading dimension (row stride as stored). */
    record Operand(ClBuffer buffer, int offset, int ld) {}

    void run(GemmShape s, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer bias, boolean hasBias) {
        run(s, new Operand(a, 0, s.transA() ? s.m() : s.k()), new Operand(b, 0, s.transB() ? s.k() : s.n()),
                new Operand(c, 0, s.n()), new Operand(bias, 0, 0), hasBias);
    }

    /** {@code bias.offset()} is where column 0's bias sits; {@code bias.ld()} is unused. */
    void run(GemmShape s, Operand a, Operand b, Operand c, Operand bias, boolean hasBias) {
        if (kernel == null) {
            KernelCatalog.register(SPEC);
            kernel = context.program(SPEC).kernel("gemm_tiled");
        }
        kernel.arg(0, s.m()).arg(1, s.n()).arg(2, s.k()).arg(3, s.alpha()).arg(4, s.beta())
                .arg(5, a.buffer()).arg(6, a.offset()).arg(7, a.ld()).arg(8, s.transA() ? 1 : 0)
                .arg(9, b.buffer()).arg(10, b.offset()).arg(11, b.ld()).arg(12, s.transB() ? 1 : 0)
                .arg(13, c.buffer()).arg(14, c.offset()).arg(15, c.ld())
                .arg(16, bias.buffer()).arg(17, bias.offset()).arg(18, hasBias ? 1 : 0)
                .launch(context.queue(), new long[] {roundUp(s.n()), roundUp(s.m())}, new long[] {TILE, TILE});
    }

    private static long roundUp(int n) {
        return (long) (n + TILE - 1) / TILE * TILE;
    }

    @Override
    public void close() {
        if (kernel != null) kernel.close();
    }
}
