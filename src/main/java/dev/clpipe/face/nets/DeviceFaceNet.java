package dev.clpipe.face.nets;

import dev.clpipe.cl.ClContext;
import dev.clpipe.face.align.FaceNet;
import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.io.FaceLandmark68Weights;
import dev.clpipe.nn.io.FaceRecognitionWeights;
import dev.clpipe.nn.io.TfjsFormatException;
import java.nio.file.Path;

/**
 * A face-api network running on one OpenCL device through {@link DeviceGraph}. Large batches are
 * split into chunks of {@code maxBatch} so activation buffers stay bounded. Not thread-safe.
 */
public final class DeviceFaceNet implements FaceNet {
    private final DeviceGraph graph;
    private final int inputSize;
    private final int outputSize;
    private final int maxBatch;
    private final float normalizedLength;

    public DeviceFaceNet(ClContext context, Graph graph, int maxBatch) {
        this(context, graph, maxBatch, Float.NaN);
    }

    /** {@code normalizedLength}: scale each output row to this length (imported embedders); NaN: leave rows as they are. */
    public DeviceFaceNet(ClContext context, Graph graph, int maxBatch, float normalizedLength) {
        this.graph = new DeviceGraph(context, graph);
        this.inputSize = graph.inputDims().height();
        this.outputSize = graph.outputDims(0).size();
        this.maxBatch = maxBatch;
        this.normalizedLength = normalizedLength;
    }

    public static DeviceFaceNet landmarks(ClContext context, Path models) throws TfjsFormatException {
        return new DeviceFaceNet(context, FaceApiGraphs.landmarks(FaceLandmark68Weights.load(models, false)), 32);
    }

    public static DeviceFaceNet recognition(ClContext context, Path models) throws TfjsFormatException {
        return new DeviceFaceNet(context, FaceApiGraphs.recognition(FaceRecognitionWeights.load(models)), 16);
    }

    /** An imported human-models embedder ({@link EmbedderModel}) from {@code folder}. */
    public static DeviceFaceNet embedder(ClContext context, EmbedderModel model, Path folder) throws TfjsFormatException {
        return new DeviceFaceNet(context, model.graph(folder), 16, model.descriptorScale());
    }

    /** Multiply-adds x 2 of one input (the graph's convolutions and dense layers). */
    public double flopsPerSample() {
        return graph.graph().flopsPerSample();
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return outputSize;
    }

    @Override
    public float[] forward(float[] nhwc, int batch) {
        int per = inputSize * inputSize * 3;
        float[] out = new float[batch * outputSize];
        for (int b0 = 0; b0 < batch; b0 += maxBatch) {
            int n = Math.min(maxBatch, batch - b0);
            float[] chunk = b0 == 0 && n == batch ? nhwc : java.util.Arrays.copyOfRange(nhwc, b0 * per, (b0 + n) * per);
            float[] y = graph.run(chunk, n)[0];
            System.arraycopy(y, 0, out, b0 * outputSize, n * outputSize);
        }
        if (!Float.isNaN(normalizedLength)) normalizeRows(out, batch, outputSize, normalizedLength);
        return out;
    }

    static void normalizeRows(float[] v, int rows, int dim, float length) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int k = 0; k < dim; k++) sum += (double) v[r * dim + k] * v[r * dim + k];
            float inv = (float) (length / Math.sqrt(Math.max(sum, 1e-20)));
            for (int k = 0; k < dim; k++) v[r * dim + k] *= inv;
        }
    }

    @Override
    public void close() {
        graph.close();
    }
}
