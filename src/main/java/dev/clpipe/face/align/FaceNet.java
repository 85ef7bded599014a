package dev.clpipe.face.align;

/**
 * One imported face network as the embedder sees it: a batch of square NHWC RGB inputs with
 * values 0..255 (the network normalises them itself) in, {@code outputSize()} floats per input out.
 * The landmark net is 112 → 136, the recognition net 150 → 128.
 */
public interface FaceNet extends AutoCloseable {
    int inputSize();

    int outputSize();

    /** {@code batch * inputSize² * 3} floats in, {@code batch * outputSize()} out. */
    float[] forward(float[] nhwc, int batch);

    @Override
    default void close() {}
}
