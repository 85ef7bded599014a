package dev.clpipe.nn.ops;

/**
 * Tuning parameters of the register-blocked GEMM: {@code rows} of C per work-item and
 * {@code vectors} float16 accumulators per row (panel width 16 * vectors). rows * vectors
 * accumulators must fit the vector register file (28 of 32 AVX-512 registers).
 */
public record GemmParams(int rows, int vectors) {
    public static final GemmParams CPU_DEFAULT = new GemmParams(14, 2);

    public GemmParams {
        if (rows < 1 || rows > 16) throw new IllegalArgumentException("rows per work-item must be within [1, 16], got " + rows);
        if (vectors < 1 || vectors > 4) throw new IllegalArgumentException("vectors per row must be within [1, 4], got " + vectors);
    }

    public int panelWidth() {
        return 16 * vectors;
    }

    String defines() {
        return "-DRM=" + rows + " -DNV=" + vectors;
    }

    @Override
    public String toString() {
        return "RM=" + rows + ",NV=" + vectors;
    }
}
