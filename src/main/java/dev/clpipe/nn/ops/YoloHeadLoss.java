package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * YOLO head loss on the device ({@code opencl/yolo.cl}): {@code yolo_loss_grad} writes
 * d(mean loss)/d(raw) and the per-slot losses; {@code yolo_loss_sum} adds them to running totals
 * kept on the device (loss sum, batches, first non-finite step). The layout and weights come as
 * plain numbers; {@code detect.YoloLossKernel} owns the buffers. Twin: {@code detect.YoloLoss};
 * test: {@code YoloLossKernelTest}.
 */
public final class YoloHeadLoss implements AutoCloseable {
    /** Work-group size of yolo_loss_sum (one group reduces every slot). */
    private static final int REDUCE_LOCAL = 64;

    /** Loss weights of the box coordinates, objectness, no-object and class terms. */
    public record Weights(float coord, float obj, float noObj, float cls) {}

    private final KernelLauncher kernels;

    public YoloHeadLoss(ClContext context) {
        this.kernels = new KernelLauncher(context, "yolo.cl");
    }

    /**
     * Gradient of the mean loss over {@code batch} samples of {@code slots} anchor slots in all
     * into {@code gradient}, per-slot losses into {@code slotLoss}, and their sum into {@code totals}
     * (step recorded if not finite). Enqueues only.
     */
    public void run(ClBuffer raw, ClBuffer target, ClBuffer gradient, ClBuffer slotLoss, ClBuffer totals, int slots, int classes,
            boolean softmaxClasses, boolean bceObjectness, Weights w, int batch, long step) {
        kernels.launch(kernels.kernel("yolo_loss_grad").arg(0, raw).arg(1, target).arg(2, gradient).arg(3, slotLoss).arg(4, slots)
                .arg(5, classes).arg(6, softmaxClasses ? 1 : 0).arg(7, w.coord()).arg(8, w.obj()).arg(9, w.noObj())
                .arg(10, w.cls()).arg(11, 1f / batch).arg(12, bceObjectness ? 1 : 0), slots);
        kernels.launchGroups(kernels.kernel("yolo_loss_sum").arg(0, slotLoss).arg(1, totals).arg(2, slots)
                .arg(3, (int) Math.min(step, Integer.MAX_VALUE)), 1, REDUCE_LOCAL);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
