package dev.clpipe.pipeline.stages;

import dev.clpipe.data.ImageData;
import java.util.List;

/** A model that turns decoded images into class probabilities: a YAML + checkpoint ({@link Classifier}) or an ONNX file ({@link OnnxClassifier}). */
interface ImageClassifier extends AutoCloseable {
    /** Softmax probabilities, one array per image, in order. */
    List<float[]> classify(List<ImageData> images);

    @Override
    void close();
}
