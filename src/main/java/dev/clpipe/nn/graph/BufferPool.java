package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Device buffers for a plan's activations, recycled as values die: a request takes the smallest
 * free buffer that fits, else allocates. Safe because every kernel goes to one in-order queue, so
 * a later writer of a recycled buffer always runs after the earlier readers.
 */
final class BufferPool implements AutoCloseable {
    private final ClContext context;
    private final List<ClBuffer> all = new ArrayList<>();
    private final List<ClBuffer> free = new ArrayList<>();

    BufferPool(ClContext context) {
        this.context = context;
    }

    ClBuffer take(long floats) {
        long bytes = Math.max(1, floats) * Float.BYTES;
        ClBuffer best = null;
        for (ClBuffer b : free) if (b.bytes() >= bytes && (best == null || b.bytes() < best.bytes())) best = b;
        if (best != null) {
            free.remove(best);
            return best;
        }
        ClBuffer b = context.buffer(bytes);
        all.add(b);
        return b;
    }

    void give(ClBuffer b) {
        if (!free.contains(b)) free.add(b);
    }

    long allocatedBytes() {
        return all.stream().mapToLong(ClBuffer::bytes).sum();
    }

    @Override
    public void close() {
        all.forEach(ClBuffer::close);
        all.clear();
        free.clear();
    }
}
