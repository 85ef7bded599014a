package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/**
 * A grow-only device buffer for packed operands and partial sums. Reallocation waits for the
 * queue first, since kernels already enqueued may still read the old buffer.
 */
final class ScratchBuffer implements AutoCloseable {
    private final ClContext context;
    private ClBuffer buffer;

    ScratchBuffer(ClContext context) {
        this.context = context;
    }

    /** A buffer of at least {@code floats} floats (contents undefined). */
    ClBuffer atLeast(long floats) {
        long bytes = Math.max(1, floats) * Float.BYTES;
        if (buffer == null || buffer.bytes() < bytes) {
            if (buffer != null) {
                context.queue().finish();
                buffer.close();
            }
            buffer = context.buffer(bytes);
        }
        return buffer;
    }

    /** A buffer of at least {@code floats} zeros; re-zeroed only when it grows. */
    ClBuffer zeros(long floats) {
        boolean grows = buffer == null || buffer.bytes() < Math.max(1, floats) * Float.BYTES;
        ClBuffer b = atLeast(floats);
        if (grows) b.fill(context.queue(), 0f);
        return b;
    }

    @Override
    public void close() {
        if (buffer != null) buffer.close();
        buffer = null;
    }
}
