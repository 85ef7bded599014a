package dev.clpipe.nn.ops;

/** What one device runs: the family and parameters for GEMM and for convolution. */
public record TuningChoice(OpVariant gemmVariant, GemmParams gemm, OpVariant convVariant, ConvParams conv) {
    public TuningChoice {
        if (gemmVariant == OpVariant.AUTO || convVariant == OpVariant.AUTO) throw new IllegalArgumentException("a tuning choice names a concrete variant");
    }

    public static TuningChoice defaultFor(OpVariant family) {
        return new TuningChoice(family, GemmParams.CPU_DEFAULT, family, ConvParams.CPU_DEFAULT);
    }
}
