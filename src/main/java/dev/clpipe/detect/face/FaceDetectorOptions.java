package dev.clpipe.detect.face;

import dev.clpipe.nn.graph.TinyFaceDetectorGraph;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;

/**
 * Settings of a {@link FaceDetector}; {@link #DEFAULT} is face-api's {@code TinyFaceDetectorOptions}
 * (input 416, score threshold 0.5, NMS IoU 0.4) with one whole-image pass.
 *
 * @param inputSize      net input side, a multiple of 32 (face-api suggests 128..608)
 * @param scoreThreshold candidates need {@code score > scoreThreshold}
 * @param iouThreshold   NMS suppresses overlaps above this IoU (face-api: 0.4)
 * @param batch          crops per device run
 * @param tiling         extra tiled passes for large photos ({@link Tiling#OFF}: none)
 * @param recheck        second look at each face on a close-up crop ({@link FaceRecheck#OFF}: none)
 */
public record FaceDetectorOptions(int inputSize, double scoreThreshold, double iouThreshold, int batch, Tiling tiling, FaceRecheck recheck) {
    public static final FaceDetectorOptions DEFAULT = new FaceDetectorOptions(TinyFaceDetectorWeights.DEFAULT_INPUT_SIZE,
            TinyFaceDetectorWeights.DEFAULT_SCORE_THRESHOLD, TinyFaceDetectorWeights.IOU_THRESHOLD, 8, Tiling.OFF, FaceRecheck.OFF);

    public FaceDetectorOptions(int inputSize, double scoreThreshold, double iouThreshold, int batch, Tiling tiling) {
        this(inputSize, scoreThreshold, iouThreshold, batch, tiling, FaceRecheck.OFF);
    }

    public FaceDetectorOptions {
        TinyFaceDetectorGraph.requireInputSize(inputSize);
        if (!(scoreThreshold >= 0 && scoreThreshold < 1)) throw new IllegalArgumentException("score threshold must be within [0, 1), got " + scoreThreshold);
        if (!(iouThreshold > 0 && iouThreshold <= 1)) throw new IllegalArgumentException("NMS IoU threshold must be within (0, 1], got " + iouThreshold);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        java.util.Objects.requireNonNull(recheck, "recheck");
    }

    public FaceDetectorOptions withInputSize(int size) {
        return new FaceDetectorOptions(size, scoreThreshold, iouThreshold, batch, tiling, recheck);
    }

    public FaceDetectorOptions withScoreThreshold(double t) {
        return new FaceDetectorOptions(inputSize, t, iouThreshold, batch, tiling, recheck);
    }

    public FaceDetectorOptions withBatch(int b) {
        return new FaceDetectorOptions(inputSize, scoreThreshold, iouThreshold, b, tiling, recheck);
    }

    public FaceDetectorOptions withTiling(Tiling t) {
        return new FaceDetectorOptions(inputSize, scoreThreshold, iouThreshold, batch, t, recheck);
    }

    public FaceDetectorOptions withRecheck(FaceRecheck r) {
        return new FaceDetectorOptions(inputSize, scoreThreshold, iouThreshold, batch, tiling, r);
    }
}
