package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Concatenation of NCHW tensors along channels (Inception branches) and its backward, the split
 * of the gradient back into the parts ({@code concat_channels}/{@code split_channels} in
 * {@code opencl/elementwise.cl}). One launch per part; no host round trips.
 */
public final class Concat implements AutoCloseable {
    private final KernelLauncher kernels;

    public Concat(ClContext context) {
        this.kernels = new KernelLauncher(context, "elementwise.cl");
    }

    /** [N, sum(Ci), H, W] from parts [N, Ci, H, W] that agree on N, H and W. */
    public Tensor forward(List<Tensor> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat needs at least one tensor");
        int[] first = parts.get(0).requireNchw("concat");
        int total = 0;
        for (Tensor t : parts) {
            int[] s = t.requireNchw("concat");
            if (s[0] != first[0] || s[2] != first[2] || s[3] != first[3]) {
                throw new IllegalArgumentException("concat: " + t + " does not match " + parts.get(0) + " in N, H or W");
            }
            total += s[1];
        }
        Tensor whole = Tensor.empty(parts.get(0).context(), first[0], total, first[2], first[3]);
        int hw = first[2] * first[3], offset = 0;
        for (Tensor t : parts) {
            int c = t.dim(1);
            copy("concat_channels", t, whole, c * hw, total * hw, offset * hw, first[0]);
            offset += c;
        }
        return whole;
    }

    /** Splits the gradient [N, sum(Ci), H, W] into parts with channel counts {@code channels}. */
    public List<Tensor> backward(Tensor dy, int... channels) {
        int[] s = dy.requireNchw("concat backward");
        int sum = 0;
        for (int c : channels) sum += c;
        if (sum != s[1]) throw new IllegalArgumentException("concat backward: channels sum to " + sum + " but gradient has " + s[1]);
        int hw = s[2] * s[3], offset = 0;
        List<Tensor> parts = new ArrayList<>();
        for (int c : channels) {
            Tensor part = Tensor.empty(dy.context(), s[0], c, s[2], s[3]);
            copy("split_channels", dy, part, c * hw, s[1] * hw, offset * hw, s[0]);
            parts.add(part);
            offset += c;
        }
        return parts;
    }

    /**
     * Copies {@code part} floats of each of {@code rows} rows of {@code from} into floats
     * {@code offset..offset+part} of the {@code whole}-float rows of {@code to}: for NHWC
     * activations a row is a pixel and the floats are channels. Enqueues only.
     */
    public void concatPart(ClBuffer from, ClBuffer to, int part, int whole, int offset, int rows) {
        copy("concat_channels", from, to, part, whole, offset, rows);
    }

    /** The inverse of {@link #concatPart}: floats {@code offset..offset+part} of each row of {@code from} into {@code to}. */
    public void splitPart(ClBuffer from, ClBuffer to, int part, int whole, int offset, int rows) {
        copy("split_channels", from, to, part, whole, offset, rows);
    }

    private void copy(String kernel, Tensor from, Tensor to, int partPlane, int wholePlane, int offsetElems, int batch) {
        copy(kernel, from.buffer(), to.buffer(), partPlane, wholePlane, offsetElems, batch);
    }

    /** {@code partPlane} = one sample's part (Cp * H * W); a 2-D grid (partPlane, batch). */
    private void copy(String kernel, ClBuffer from, ClBuffer to, int partPlane, int wholePlane, int offsetElems, int batch) {
        kernels.launchGrid(kernels.kernel(kernel).arg(0, from).arg(1, to).arg(2, partPlane)
                .arg(3, wholePlane).arg(4, offsetElems).arg(5, batch), partPlane, batch);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
