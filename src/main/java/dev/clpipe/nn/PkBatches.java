package dev.clpipe.nn;

import dev.clpipe.nn.ops.Philox;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The visiting order of one epoch for metric learning: batches of P classes x K images each, so
 * every anchor has positives and negatives in its batch. Each class's images are shuffled, then
 * batch after batch draws P distinct classes (weighted by the groups of K they have left, so all
 * classes run out together) and takes the next K images of each. When fewer than P classes have
 * K images left the epoch ends; the images left over close the order, which is therefore a
 * permutation (usable with {@link DeviceDataset#setOrder}), its first {@code batches * P * K}
 * entries being the batches. Every draw is a Philox value of (seed, epoch, counter): a pure
 * function, so a resumed run replays the epoch exactly.
 */
public final class PkBatches {
    private static final int TAG_SHUFFLE = 0x9b5;
    private static final int TAG_PICK = 0x9b6;

    /** The epoch's order and how many P x K batches open it. */
    public record Plan(int[] order, int batches) {}

    private final int classesPerBatch;
    private final int perClass;

    public PkBatches(int classesPerBatch, int perClass) {
        if (classesPerBatch < 2) throw new IllegalArgumentException("classes per batch must be >= 2 (negatives need another class), got " + classesPerBatch);
        if (perClass < 2) throw new IllegalArgumentException("samples per class must be >= 2 (anchors need a positive), got " + perClass);
        this.classesPerBatch = classesPerBatch;
        this.perClass = perClass;
    }

    public int batchSize() {
        return classesPerBatch * perClass;
    }

    /** Throws naming the shortfall when {@code labels} cannot fill even one batch. */
    public void requireFits(int[] labels, String what) {
        int usable = 0;
        for (List<Integer> members : byClass(labels).values()) if (members.size() >= perClass) usable++;
        if (usable < classesPerBatch) {
            throw new IllegalArgumentException(what + ": a batch needs " + classesPerBatch + " classes with at least " + perClass
                    + " images each, but only " + usable + " classes have that many");
        }
    }

    public Plan plan(int[] labels, long seed, int epoch) {
        TreeMap<Integer, List<Integer>> classes = byClass(labels);
        int c = classes.size();
        int[][] members = new int[c][];
        int k = 0;
        for (var e : classes.entrySet()) {
            members[k] = shuffled(e.getValue(), seed, epoch, e.getKey());
            k++;
        }
        int[] used = new int[c];
        int[] order = new int[labels.length];
        int filled = 0;
        int batches = 0;
        boolean[] picked = new boolean[c];
        while (true) {
            long groups = 0;
            int eligible = 0;
            for (int i = 0; i < c; i++) {
                int g = (members[i].length - used[i]) / perClass;
                groups += g;
                if (g > 0) eligible++;
            }
            if (eligible < classesPerBatch) break;
            java.util.Arrays.fill(picked, false);
            for (int t = 0; t < classesPerBatch; t++) {
                int chosen = pick(members, used, picked, groups, draw(seed, epoch, batches, t));
                picked[chosen] = true;
                groups -= (members[chosen].length - used[chosen]) / perClass;
                System.arraycopy(members[chosen], used[chosen], order, filled, perClass);
                used[chosen] += perClass;
                filled += perClass;
            }
            batches++;
        }
        for (int i = 0; i < c; i++) {
            int rest = members[i].length - used[i];
            System.arraycopy(members[i], used[i], order, filled, rest);
            filled += rest;
        }
        return new Plan(order, batches);
    }

    /** The class whose cumulative group weight covers {@code u * groups}, among those not yet picked. */
    private int pick(int[][] members, int[] used, boolean[] picked, long groups, double u) {
        long target = (long) Math.floor(u * groups);
        int last = -1;
        for (int i = 0; i < members.length; i++) {
            if (picked[i]) continue;
            int g = (members[i].length - used[i]) / perClass;
            if (g == 0) continue;
            last = i;
            if (target < g) return i;
            target -= g;
        }
        return last;
    }

    private static double draw(long seed, int epoch, int batch, int slot) {
        int[] w = Philox.philox4x32(batch, epoch, TAG_PICK, slot, (int) seed, (int) (seed >>> 32));
        return Philox.uniform(w[0]);
    }

    private static int[] shuffled(List<Integer> indices, long seed, int epoch, int label) {
        int[] a = indices.stream().mapToInt(Integer::intValue).toArray();
        for (int i = a.length - 1; i > 0; i--) {
            int[] w = Philox.philox4x32(i, epoch, TAG_SHUFFLE, label, (int) seed, (int) (seed >>> 32));
            long r = ((w[0] & 0xFFFFFFFFL) << 32 | (w[1] & 0xFFFFFFFFL)) >>> 1;
            int j = (int) (r % (i + 1));
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static TreeMap<Integer, List<Integer>> byClass(int[] labels) {
        TreeMap<Integer, List<Integer>> classes = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) classes.computeIfAbsent(labels[i], x -> new ArrayList<>()).add(i);
        return classes;
    }
}
