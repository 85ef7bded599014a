package dev.clpipe.nn.infer;

import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.data.ImageData;
import java.util.List;

/** A model that turns decoded images into class probabilities: a YAML + checkpoint ({@link Classifier}) or an ONNX file ({@link OnnxClassifier}). */
public interface ImageClassifier extends AutoCloseable {
    /** Softmax probabilities, one array per image, in order. */
    List<float[]> classify(List<ImageData> images);

    @Override
    void close();

    /**
     * Rows of each device's net when {@code devices} devices share calls of {@code items} images cut into
     * pool pieces: {@code batch}, but no more than a piece. A classifier pads a short input to its rows and
     * computes them all, so two devices with nets of 64 rows did four times the work on the default
     * pipeline batch of 64 (four pieces of 16).
     */
    static int deviceRows(int batch, int items, int devices) {
        return Math.min(batch, DevicePool.pieceSize(items, devices));
    }
}
