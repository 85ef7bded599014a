package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Fused softmax + cross-entropy over logits [N, C] with integer labels ({@code opencl/loss.cl}):
 * one pass gives the mean loss (a 1-element tensor, still on the device) and dLogits, the
 * gradient of that mean loss. Numerically stable (log-sum-exp). Also plain softmax for inference.
 */
public final class SoftmaxCrossEntropy implements AutoCloseable {
    /** Mean loss ([1], on the device) and dLogits ([N, C]); close both. */
    public record Result(Tensor loss, Tensor dLogits) implements AutoCloseable {
        /** Blocking read of the loss value. */
        public float lossValue() {
            return loss.toHost()[0];
        }

        @Override
        public void close() {
            loss.close();
            dLogits.close();
        }
    }

    /** Work-group size of batch_stats (loss.cl reduces in local memory of this size). */
    private static final int STATS_LOCAL = 64;

    private final KernelLauncher kernels;
    private ClBuffer rowLoss;
    private ClBuffer labelBuffer;

    public SoftmaxCrossEntropy(ClContext context) {
        this.kernels = new KernelLauncher(context, "loss.cl");
    }

    /** Uploads {@code labels} (checked to lie in [0, C)) and computes loss and gradient. */
    public Result forwardBackward(Tensor logits, int[] labels) {
        int[] nc = rowsAndClasses(logits);
        if (labels.length != nc[0]) throw new IllegalArgumentException("softmax cross-entropy: " + labels.length + " labels for " + nc[0] + " rows");
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= nc[1]) throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside [0, " + nc[1] + ")");
        }
        labelBuffer = ensure(labelBuffer, (long) labels.length * Integer.BYTES);
        labelBuffer.write(kernels.queue(), labels);
        return forwardBackward(logits, labelBuffer);
    }

    /** Labels already on the device (int32[N]); a label outside [0, C) gives a NaN loss. */
    public Result forwardBackward(Tensor logits, ClBuffer labels) {
        int[] nc = rowsAndClasses(logits);
        int n = nc[0], c = nc[1];
        Tensor dLogits = logits.emptyLike();
        Tensor loss = Tensor.empty(logits.context(), 1);
        rowLoss = ensure(rowLoss, (long) n * Float.BYTES);
        rowLosses(logits.buffer(), labels, dLogits.buffer(), rowLoss, n, c);
        kernels.launchGroups(kernels.kernel("mean_reduce").arg(0, rowLoss).arg(1, loss.buffer()).arg(2, n), 1, 64);
        return new Result(loss, dLogits);
    }

    /**
     * Per-row losses and dLogits = gradient of their mean, on caller-owned buffers ([rows, classes]
     * logits, int32 labels; a label of -1 marks a padding row: zero loss and gradient). Enqueues only.
     */
    public void rowLosses(ClBuffer logits, ClBuffer labels, ClBuffer dLogits, ClBuffer rowLoss, int rows, int classes) {
        kernels.launch(kernels.kernel("softmax_xent_fwd").arg(0, logits).arg(1, labels).arg(2, dLogits)
                .arg(3, rowLoss).arg(4, rows).arg(5, classes), rows);
    }

    /**
     * Adds a batch to running sums kept on the device, {@code sums} = (loss sum, hits, rows
     * counted, first non-finite step or -1), so a training step needs no host round trip. Enqueues only.
     */
    public void batchStats(ClBuffer logits, ClBuffer labels, ClBuffer rowLoss, ClBuffer sums, int rows, int classes, long step) {
        kernels.launchGroups(kernels.kernel("batch_stats").arg(0, logits).arg(1, labels).arg(2, rowLoss).arg(3, sums)
                .arg(4, rows).arg(5, classes).arg(6, (int) Math.min(step, Integer.MAX_VALUE)), 1, STATS_LOCAL);
    }

    /** Row-wise softmax of [N, C] (or [N, C, 1, 1]) logits. */
    public Tensor softmax(Tensor logits) {
        int[] nc = rowsAndClasses(logits);
        Tensor y = logits.emptyLike();
        kernels.launch(kernels.kernel("softmax_fwd").arg(0, logits.buffer()).arg(1, y.buffer()).arg(2, nc[0]).arg(3, nc[1]), nc[0]);
        return y;
    }

    /** Logits are [N, C], or [N, C, 1, 1] straight from a global pool. */
    private static int[] rowsAndClasses(Tensor logits) {
        int[] s = logits.shape();
        boolean ok = s.length == 2 || (s.length == 4 && s[2] == 1 && s[3] == 1);
        if (!ok || s[0] < 1 || s[1] < 1) throw new IllegalArgumentException("softmax needs logits [N, C] (or [N, C, 1, 1]), got " + logits);
        return new int[] {s[0], s[1]};
    }

    private ClBuffer ensure(ClBuffer buffer, long bytes) {
        if (buffer != null && buffer.bytes() >= bytes) return buffer;
        if (buffer != null) buffer.close();
        return kernels.context().buffer(Math.max(bytes, 4));
    }

    @Override
    public void close() {
        kernels.close();
        if (rowLoss != null) rowLoss.close();
        if (labelBuffer != null) labelBuffer.close();
    }
}
