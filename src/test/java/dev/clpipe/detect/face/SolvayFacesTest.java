package dev.clpipe.detect.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.detect.AnnotatedImage;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.DetectionEvaluator;
import dev.clpipe.detect.VispReader;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 1927 Solvay conference photo (1280 x 926, grey, 30 annotated faces of ~45-56 px): face-api's
 * own settings (input 416, whole image) find no face there, because letterboxing shrinks the faces
 * to ~15 px; one extra tiled pass at 1.5 net pixels per image pixel finds nearly all of them.
 * Measured: whole image 0 detections, AP@0.5 0; tiled (scale 1.5, overlap 0.25) 30 detections,
 * precision 0.967, recall 0.967, AP@0.5 0.966.
 */
class SolvayFacesTest {
    @Test
    void tilingFindsTheFacesTheWholeImagePassMisses() throws Exception {
        Path models = RealFaceData.models(), visp = RealFaceData.visp();
        ImageData image = new ImageDecoder().decode(visp.resolve(RealFaceData.SOLVAY), RealFaceData.SOLVAY).image();
        assertEquals(1, image.channels(), "the Solvay PNG is grey: the detector replicates it to RGB");
        AnnotatedImage truth = VispReader.read(visp.resolve("ground_truth_detection.txt"), RealFaceData.SOLVAY, image.width(), image.height());
        TinyFaceDetectorWeights weights = TinyFaceDetectorWeights.load(models);

        FaceEvaluationResult whole = evaluate(weights, FaceDetectorOptions.DEFAULT, image, truth);
        assertEquals(0, whole.detections(), "face-api's default pass finds no face on the 1280-px Solvay photo");

        FaceDetectorOptions tiled = FaceDetectorOptions.DEFAULT.withTiling(new Tiling(List.of(1.5), 0.25, true));
        FaceEvaluationResult t = evaluate(weights, tiled, image, truth);
        assertTrue(t.ap50() >= 0.9, "tiled AP@0.5 " + t.ap50());
        assertTrue(t.recall() >= 0.9 && t.precision() >= 0.9, "tiled precision " + t.precision() + ", recall " + t.recall());
        System.out.printf("Solvay 1280: whole image %s; tiled 1.5 %s%n", whole.toMap(), t.toMap());
    }

    private static FaceEvaluationResult evaluate(TinyFaceDetectorWeights w, FaceDetectorOptions o, ImageData image, AnnotatedImage truth) {
        try (FaceDetector detector = new FaceDetector(TestDevices.context(), w, o)) {
            List<Detection> found = detector.detect(image);
            DetectionEvaluator e = new DetectionEvaluator();
            e.add(truth.image(), found, truth.objects());
            return FaceEvaluationResult.of(e.evaluate());
        }
    }
}
