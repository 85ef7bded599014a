package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * Triplet loss with semi-hard negative mining over a batch of N raw embeddings of D values
 * ({@code opencl/triplet.cl}): the embeddings are L2-normalised, all pairwise squared distances
 * computed, one negative mined per anchor-positive pair, and the mean hinge
 * max(d_ap - d_an + margin, 0) plus its gradient w.r.t. the raw embeddings produced, all on the
 * device and enqueued without waiting. Running sums (loss, active fraction, batches, first
 * non-finite step) stay on the device until {@link #readTotals()}. Buffers are sized once.
 */
public final class TripletLoss implements AutoCloseable {
    private static final int REDUCE_LOCAL = 64;

    /** Sums since {@link #resetTotals()}: mean of the batch losses and active fractions. */
    public record Totals(double loss, double activeFraction, long batches, long firstBadStep) {}

    private final ClContext context;
    private final KernelLauncher kernels;
    private final int n;
    private final int d;
    private final float margin;
    private final ClBuffer normalized;
    private final ClBuffer norms;
    private final ClBuffer distances;
    private final ClBuffer negatives;
    private final ClBuffer pairLosses;
    private final ClBuffer batchStats;
    private final ClBuffer weights;
    private final ClBuffer dNormalized;
    private final ClBuffer totals;

    public TripletLoss(ClContext context, int batch, int dim, double margin) {
        if (batch < 1 || dim < 1) throw new IllegalArgumentException("triplet loss needs batch >= 1 and dim >= 1, got " + batch + " x " + dim);
        if (!(margin > 0)) throw new IllegalArgumentException("triplet margin must be > 0, got " + margin);
        this.context = context;
        this.kernels = new KernelLauncher(context, "triplet.cl");
        this.n = batch;
        this.d = dim;
        this.margin = (float) margin;
        long rows = (long) batch * dim * Float.BYTES, square = (long) batch * batch * Float.BYTES;
        this.normalized = context.buffer(rows);
        this.norms = context.buffer((long) batch * Float.BYTES);
        this.distances = context.buffer(square);
        this.negatives = context.buffer(square);
        this.pairLosses = context.buffer(square);
        this.batchStats = context.buffer(3 * Float.BYTES);
        this.weights = context.buffer(square);
        this.dNormalized = context.buffer(rows);
        this.totals = context.buffer(4 * Float.BYTES);
        resetTotals();
    }

    public int batch() {
        return n;
    }

    public int dim() {
        return d;
    }

    public double margin() {
        return margin;
    }

    /**
     * Normalises {@code raw} [N][D], computes distances, mines and scores the batch (labels
     * int32[N], below 0 = padding) and adds it to the running totals; {@code step} is recorded if
     * the loss is not finite.
     */
    public void forward(ClBuffer raw, ClBuffer labels, long step) {
        normalize(raw, normalized, n);
        kernels.launchGrid(kernels.kernel("pairwise_sqdist").arg(0, normalized).arg(1, distances).arg(2, n).arg(3, d), n, n);
        kernels.launchGrid(kernels.kernel("triplet_mine").arg(0, distances).arg(1, labels).arg(2, negatives).arg(3, pairLosses)
                .arg(4, n).arg(5, margin), n, n);
        kernels.launchGroups(kernels.kernel("triplet_stats").arg(0, negatives).arg(1, pairLosses).arg(2, batchStats).arg(3, totals)
                .arg(4, n).arg(5, (int) Math.min(step, Integer.MAX_VALUE)), 1, REDUCE_LOCAL);
    }

    /** Writes d(mean loss)/d(raw) of the last {@link #forward} into {@code dRaw} [N][D]. */
    public void backward(ClBuffer dRaw) {
        kernels.launchGrid(kernels.kernel("triplet_weights").arg(0, negatives).arg(1, pairLosses).arg(2, batchStats).arg(3, weights)
                .arg(4, n), n, n);
        kernels.launchGrid(kernels.kernel("triplet_grad").arg(0, normalized).arg(1, weights).arg(2, dNormalized).arg(3, n).arg(4, d), n, d);
        kernels.launch(kernels.kernel("l2norm_bwd").arg(0, normalized).arg(1, norms).arg(2, dNormalized).arg(3, dRaw)
                .arg(4, n).arg(5, d), n);
    }

    /** L2-normalises the first {@code rows} (<= N) rows of {@code raw} into {@code out}. */
    public void normalize(ClBuffer raw, ClBuffer out, int rows) {
        if (rows < 0 || rows > n) throw new IllegalArgumentException("normalise " + rows + " rows with a batch of " + n);
        kernels.launch(kernels.kernel("l2norm_fwd").arg(0, raw).arg(1, out).arg(2, norms).arg(3, rows).arg(4, d), rows);
    }

    public void resetTotals() {
        totals.write(context.queue(), new float[] {0f, 0f, 0f, -1f});
    }

    /** Blocking read of the running totals (a device sync). */
    public Totals readTotals() {
        float[] t = new float[4];
        totals.read(context.queue(), t);
        long batches = (long) t[2];
        return new Totals(batches > 0 ? t[0] / batches : 0, batches > 0 ? t[1] / batches : 0, batches, (long) t[3]);
    }

    /** Normalised embeddings of the last forward, [N][D]. */
    public ClBuffer normalized() {
        return normalized;
    }

    /** Squared distances of the last forward, [N][N]. */
    public ClBuffer distances() {
        return distances;
    }

    /** Mined negative per [anchor][positive] (int32, -1 = not counted). */
    public ClBuffer negatives() {
        return negatives;
    }

    /** Hinge per [anchor][positive]. */
    public ClBuffer pairLosses() {
        return pairLosses;
    }

    /** {mean loss, pairs counted, active pairs} of the last forward. */
    public ClBuffer batchStats() {
        return batchStats;
    }

    @Override
    public void close() {
        kernels.close();
        for (ClBuffer b : new ClBuffer[] {normalized, norms, distances, negatives, pairLosses, batchStats, weights, dNormalized, totals}) b.close();
    }
}
