package dev.clpipe.tensor;

/**
 * Memory order of a 4-D activation tensor. Every op in {@code nn.ops} assumes {@link #NCHW}
 * (batch, channels, height, width; width fastest) unless its documentation says otherwise;
 * {@link #NHWC} exists so a convolution that prefers channels-last can say so explicitly, and
 * ops reject a layout they do not support rather than silently misreading it.
 * Tensors that are not 4-D (logits [N, C], parameter vectors) are plain row-major and use NCHW.
 */
public enum Layout {
    NCHW,
    NHWC;

    /** Logical (N, C, H, W) of a 4-D tensor stored with this layout. */
    public int[] nchw(int[] shape) {
        if (shape.length != 4) throw new IllegalArgumentException("layout " + this + " needs a 4-D shape, got " + java.util.Arrays.toString(shape));
        return this == NCHW ? shape.clone() : new int[] {shape[0], shape[3], shape[1], shape[2]};
    }
}
