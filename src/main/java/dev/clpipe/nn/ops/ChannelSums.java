package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/**
 * Bias gradient db[c] = sum of dY over every pixel (conv_bias_grad per chunk, then conv_reduce),
 * and the shared chunk reduction used by the backward-weights kernels (of two arrays at once when
 * conv_bwd_weights_rb wrote the bias partials beside the weights').
 */
final class ChannelSums implements AutoCloseable {
    private static final int MIN_ITEMS = 64;
    private final ClContext context;
    private final ConvKernelCache kernels;
    private final ScratchBuffer partials;

    ChannelSums(ClContext context, ConvKernelCache kernels) {
        this.context = context;
        this.kernels = kernels;
        this.partials = new ScratchBuffer(context);
    }

    void biasGradient(Conv2dShape s, ClBuffer dy, ClBuffer db) {
        int pixels = s.batch() * s.outHeight() * s.outWidth();
        Chunks chunks = biasChunks(s);
        ClBuffer part = biasPartials(s, chunks);
        kernels.get(ConvKernelCache.SUMS, "", "conv_bias_grad").arg(0, dy).arg(1, part).arg(2, s.outChannels()).arg(3, pixels).arg(4, chunks.perChunk())
                .launch(context.queue(), new long[] {(s.outChannels() + 15) / 16, chunks.count()}, new long[] {1, 1});
        reduce(part, db, s.outChannels(), chunks.count());
    }

    /** How the bias gradient's pixels are split into chunks (a weight-gradient launch that writes its partials splits them so too). */
    static Chunks biasChunks(Conv2dShape s) {
        return Chunks.plan(s.batch() * s.outHeight() * s.outWidth(), (s.outChannels() + 15) / 16, MIN_ITEMS);
    }

    /** The bias gradient's per-chunk partial sums, [chunks][outChannels]. */
    ClBuffer biasPartials(Conv2dShape s, Chunks chunks) {
        return partials.atLeast((long) chunks.count() * s.outChannels());
    }

    /** {@link #reduce} of two arrays in one launch (conv_reduce_pair): a weight gradient and the bias gradient beside it. */
    void reducePair(ClBuffer part, ClBuffer out, int count, int chunks, ClBuffer part2, ClBuffer out2, int count2, int chunks2) {
        kernels.get(ConvKernelCache.SUMS, "", "conv_reduce_pair").arg(0, part).arg(1, out).arg(2, count).arg(3, chunks)
                .arg(4, part2).arg(5, out2).arg(6, count2).arg(7, chunks2)
                .launch(context.queue(), new long[] {(count + 15) / 16 + (count2 + 15) / 16}, new long[] {1});
    }

    /** out[i] = sum over c < chunks of part[c * count + i]. */
    void reduce(ClBuffer part, ClBuffer out, int count, int chunks) {
        kernels.get(ConvKernelCache.SUMS, "", "conv_reduce").arg(0, part).arg(1, out).arg(2, count).arg(3, chunks)
                .launch(context.queue(), new long[] {(count + 15) / 16}, new long[] {1});
    }

    @Override
    public void close() {
        partials.close();
    }
}
