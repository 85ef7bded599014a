package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/**
 * Bias gradient db[c] = sum of dY over every pixel (conv_bias_grad per chunk, then conv_reduce),
 * and the shared chunk reduction used by the backward-weights kernels.
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
        int vectors = (s.outChannels() + 15) / 16;
        Chunks chunks = Chunks.plan(pixels, vectors, MIN_ITEMS);
        ClBuffer part = partials.atLeast((long) chunks.count() * s.outChannels());
        kernels.get(ConvKernelCache.SUMS, "", "conv_bias_grad").arg(0, dy).arg(1, part).arg(2, s.outChannels()).arg(3, pixels).arg(4, chunks.perChunk())
                .launch(context.queue(), new long[] {vectors, chunks.count()}, new long[] {1, 1});
        reduce(part, db, s.outChannels(), chunks.count());
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
