package dev.clpipe.nn;

import dev.clpipe.nn.ops.Philox;

/**
 * The visiting order of an epoch: a Fisher-Yates shuffle whose draws are Philox values of
 * (seed, epoch, position), so the order is a pure function of (seed, epoch, count) and a resumed
 * run replays it exactly.
 */
public final class EpochOrder {
    private EpochOrder() {}

    public static int[] of(long seed, int epoch, int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--) {
            int[] w = Philox.philox4x32(i, epoch, 0x5EED, 0, (int) seed, (int) (seed >>> 32));
            long r = ((w[0] & 0xFFFFFFFFL) << 32 | (w[1] & 0xFFFFFFFFL)) >>> 1;
            int j = (int) (r % (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
