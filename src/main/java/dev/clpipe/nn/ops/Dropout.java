package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Inverted dropout ({@code opencl/dropout.cl}): each element is zeroed with probability p and
 * survivors are scaled by 1/(1-p), so inference needs no rescaling. The mask is a pure function
 * of (seed, stream, element index) through {@link Philox}; backward recomputes it rather than
 * storing it. Use a fresh {@code stream} per (step, layer), e.g. {@code step << 16 | layerIndex}.
 */
public final class Dropout implements AutoCloseable {
    private final KernelLauncher kernels;
    private final float p;

    public Dropout(ClContext context, float p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("dropout probability must be within [0, 1], got " + p);
        this.kernels = new KernelLauncher(context, "dropout.cl");
        this.p = p;
    }

    public float probability() {
        return p;
    }

    /** Survivor scale 1/(1-p), rounded to float once so host and device agree; 0 when p = 1. */
    public static float scale(float p) {
        return p >= 1f ? 0f : 1f / (1f - p);
    }

    public Tensor forward(Tensor x, long seed, long stream) {
        return apply(x, seed, stream);
    }

    /** dx = dy masked and scaled exactly as the forward with the same seed and stream. */
    public Tensor backward(Tensor dy, long seed, long stream) {
        return apply(dy, seed, stream);
    }

    private Tensor apply(Tensor in, long seed, long stream) {
        Tensor out = in.emptyLike();
        apply(in.buffer(), out.buffer(), seed, stream, 0, in.size());
        return out;
    }

    /** Forward or backward on a slice that starts at element {@code offset} of a longer array (split batches). */
    public Tensor applyAt(Tensor in, long seed, long stream, int offset) {
        Tensor out = in.emptyLike();
        apply(in.buffer(), out.buffer(), seed, stream, offset, in.size());
        return out;
    }

    /**
     * out = mask * scale * in over the first {@code n} floats of caller-owned buffers (forward and
     * backward alike), the mask being that of elements {@code offset..offset+n} of the whole
     * array, so a slice of a split batch draws the whole batch's mask. Enqueues only.
     */
    public void apply(ClBuffer in, ClBuffer out, long seed, long stream, int offset, int n) {
        if (offset != 0) {
            kernels.launch(kernels.kernel("dropout_apply_at").arg(0, in).arg(1, out).arg(2, p).arg(3, scale(p))
                    .arg(4, (int) seed).arg(5, (int) (seed >>> 32)).arg(6, (int) stream).arg(7, (int) (stream >>> 32)).arg(8, offset)
                    .arg(9, n), n);
            return;
        }
        kernels.launch(kernels.kernel("dropout_apply").arg(0, in).arg(1, out).arg(2, p).arg(3, scale(p))
                .arg(4, (int) seed).arg(5, (int) (seed >>> 32)).arg(6, (int) stream).arg(7, (int) (stream >>> 32)).arg(8, n), (n + 3) / 4);
    }

    /** Raw Philox words computed on the device (known-answer and twin tests). */
    int[] deviceWords(int c0, int c1, int c2, int c3, int k0, int k1) {
        try (var out = kernels.context().buffer(16)) {
            kernels.kernel("philox_words").arg(0, out).arg(1, c0).arg(2, c1).arg(3, c2).arg(4, c3).arg(5, k0).arg(6, k1)
                    .launch(kernels.queue(), new long[] {1}, null);
            int[] words = new int[4];
            out.read(kernels.queue(), words);
            return words;
        }
    }

    @Override
    public void close() {
        kernels.close();
    }
}
