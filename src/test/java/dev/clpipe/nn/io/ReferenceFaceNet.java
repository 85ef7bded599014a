package dev.clpipe.nn.io;

import dev.clpipe.face.align.FaceNet;
import java.nio.file.Path;

/**
 * The plain-Java reference forward passes of {@link ReferenceFaceNets} behind the embedder's
 * {@link FaceNet} seam, so face tests can run the real weights without a device (slow: about a
 * second per face).
 */
public final class ReferenceFaceNet implements FaceNet {
    private final int inputSize;
    private final int outputSize;
    private final java.util.function.Function<ReferenceLayers.Act, float[]> net;

    private ReferenceFaceNet(int inputSize, int outputSize, java.util.function.Function<ReferenceLayers.Act, float[]> net) {
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.net = net;
    }

    public static ReferenceFaceNet landmarks(Path folder) throws TfjsFormatException {
        FaceLandmark68Weights w = FaceLandmark68Weights.load(folder, false);
        return new ReferenceFaceNet(FaceLandmark68Weights.INPUT_SIZE, 136, img -> ReferenceFaceNets.landmarks(w, img));
    }

    public static ReferenceFaceNet recognition(Path folder) throws TfjsFormatException {
        FaceRecognitionWeights w = FaceRecognitionWeights.load(folder);
        return new ReferenceFaceNet(FaceRecognitionWeights.INPUT_SIZE, 128, img -> ReferenceFaceNets.recognition(w, img));
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
        for (int b = 0; b < batch; b++) {
            float[] one = java.util.Arrays.copyOfRange(nhwc, b * per, (b + 1) * per);
            System.arraycopy(net.apply(new ReferenceLayers.Act(inputSize, inputSize, 3, one)), 0, out, b * outputSize, outputSize);
        }
        return out;
    }
}
