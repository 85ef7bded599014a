package dev.clpipe.nn.onnx;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.graph.DeviceGraph;
import java.util.Arrays;

/**
 * Runs an {@link OnnxNetwork} on one device on an NCHW batch, in slices of at most
 * {@link #MAX_BATCH} samples (a batch of thousands would plan buffers for all of them at once),
 * and returns output 0 in the model's own layout.
 */
public final class OnnxRunner {
    static final int MAX_BATCH = 32;

    private OnnxRunner() {}

    /** Output {@code k} for the {@code [N, C, H, W]} batch {@code x}: N x output shape floats. */
    public static float[] run(ClContext context, OnnxNetwork net, float[] nchw, int batch, int k) {
        int in = net.graph().inputDims().size(), out = net.graph().outputDims(k).size();
        float[] y = new float[batch * out];
        try (DeviceGraph device = new DeviceGraph(context, net.graph())) {
            for (int from = 0; from < batch; from += MAX_BATCH) {
                int n = Math.min(MAX_BATCH, batch - from);
                float[] slice = Arrays.copyOfRange(nchw, from * in, (from + n) * in);
                float[] got = device.run(net.toGraphInput(slice, n), n)[k];
                System.arraycopy(net.fromGraphOutput(k, got, n), 0, y, from * out, n * out);
            }
        }
        return y;
    }
}
