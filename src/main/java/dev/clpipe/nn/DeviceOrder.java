package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/** A visiting order kept on the device (a permutation of [0, count)), read by the gather kernels. */
final class DeviceOrder implements AutoCloseable {
    private final ClContext context;
    private final ClBuffer buffer;
    private final int count;

    DeviceOrder(ClContext context, int count) {
        this.context = context;
        this.count = count;
        this.buffer = context.buffer((long) count * Integer.BYTES);
        set(null);
    }

    /** Sets the order; null means 0, 1, 2, ... */
    void set(int[] permutation) {
        int[] o = permutation;
        if (o == null) {
            o = new int[count];
            for (int i = 0; i < o.length; i++) o[i] = i;
        }
        if (o.length != count) throw new IllegalArgumentException("order of " + o.length + " for " + count + " samples");
        buffer.write(context.queue(), o);
    }

    ClBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
