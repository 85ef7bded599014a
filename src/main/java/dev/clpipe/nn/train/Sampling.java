package dev.clpipe.nn.train;

import dev.clpipe.nn.EpochOrder;
import dev.clpipe.nn.PkBatches;

/**
 * Which samples an epoch visits, and in what order: a function of (seed, epoch) only, so a
 * resumed run visits exactly what the uninterrupted run would.
 */
public interface Sampling {
    /** An epoch's visiting order (a permutation, or P x K blocks) and the whole batches it holds. */
    record Plan(int[] order, long steps) {}

    Plan plan(int epoch);

    /** Steps of a typical epoch, for the learning-rate schedule. */
    long stepsPerEpoch();

    /** Every sample once per epoch in the order {@link EpochOrder}(seed, epoch); the last partial batch is dropped. */
    static Sampling shuffled(long seed, int count, int batch) {
        if (count < batch) throw new IllegalArgumentException("batch " + batch + " is larger than the " + count + " training images");
        return new Sampling() {
            @Override
            public Plan plan(int epoch) {
                return new Plan(EpochOrder.of(seed, epoch, count), count / batch);
            }

            @Override
            public long stepsPerEpoch() {
                return count / batch;
            }
        };
    }

    /** P classes x K samples per batch ({@link PkBatches}); {@code what} names the data in errors. */
    static Sampling pk(PkBatches batches, int[] labels, long seed, String what) {
        batches.requireFits(labels, what);
        long typical = batches.plan(labels, seed, 0).batches();
        return new Sampling() {
            @Override
            public Plan plan(int epoch) {
                PkBatches.Plan p = batches.plan(labels, seed, epoch);
                return new Plan(p.order(), p.batches());
            }

            @Override
            public long stepsPerEpoch() {
                return typical;
            }
        };
    }
}
