package dev.clpipe.cli;

import dev.clpipe.nn.graph.TinyFaceDetectorGraph;
import dev.clpipe.face.nets.FaceApiGraphs;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.io.FaceLandmark68Weights;
import dev.clpipe.nn.io.FaceRecognitionWeights;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The inference graph of a TF.js model named by its weights manifest, for {@code clpipe model run}:
 * the face-api networks clpipe imports (tiny face detector, 68-point landmarks and their tiny
 * variant, face recognition). Their layout is TF.js's own, NHWC.
 */
final class TfjsModelGraphs {
    static final String SUFFIX = "-weights_manifest.json";

    private TfjsModelGraphs() {}

    static boolean isManifest(Path model) {
        return model.getFileName() != null && model.getFileName().toString().endsWith(SUFFIX);
    }

    /** {@code height} is the input height the caller's tensor has (the tiny face detector takes any multiple of 32). */
    static Graph graph(Path manifest, int height) throws IOException {
        Path folder = manifest.toAbsolutePath().getParent();
        String name = manifest.getFileName().toString();
        if (name.equals(TinyFaceDetectorWeights.MANIFEST)) {
            if (height < 32 || height % 32 != 0) throw new IOException("the tiny face detector takes [N, S, S, 3] with S a multiple of 32, got height " + height);
            return TinyFaceDetectorGraph.build(TinyFaceDetectorWeights.load(folder), height);
        }
        if (name.equals(FaceLandmark68Weights.MANIFEST)) return FaceApiGraphs.landmarks(FaceLandmark68Weights.load(folder, false));
        if (name.equals(FaceLandmark68Weights.MANIFEST_TINY)) return FaceApiGraphs.landmarks(FaceLandmark68Weights.load(folder, true));
        if (name.equals(FaceRecognitionWeights.MANIFEST)) return FaceApiGraphs.recognition(FaceRecognitionWeights.load(folder));
        throw new UsageException("model run " + manifest + ": clpipe runs the TF.js models " + TinyFaceDetectorWeights.MANIFEST + ", "
                + FaceLandmark68Weights.MANIFEST + ", " + FaceLandmark68Weights.MANIFEST_TINY + " and " + FaceRecognitionWeights.MANIFEST);
    }
}
