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
 * The close-up re-check on real photos (data/photos): the tiled pass of face-cluster.yaml finds
 * an aloe leaf, a baboon's eye, a graffiti eye and a checkerboard corner as faces; the re-check
 * rejects them, keeps Messi's face (and rejects the second box on his shirt), and keeps every
 * true face of the Solvay photo: AP@0.5 0.966 with and without it. Without the re-check all of
 * them would be kept (the first assertion of each case shows the tiled pass finds them).
 */
class FaceRecheckPhotosTest {
    private static final FaceDetectorOptions TILED = FaceDetectorOptions.DEFAULT.withTiling(new Tiling(List.of(1.5), 0.25, true));

    @Test
    void nonFacesOfTheTiledPassAreRejectedRealFacesKept() throws Exception {
        Path photos = RealFaceData.visp().getParent();
        TinyFaceDetectorWeights weights = TinyFaceDetectorWeights.load(RealFaceData.models());
        try (FaceDetector detector = new FaceDetector(TestDevices.context(), weights, TILED.withRecheck(FaceRecheck.ON))) {
            for (String nonFace : List.of("opencv/aloeL.jpg", "opencv/baboon.jpg", "opencv/graf1.png", "opencv/left.jpg")) {
                CheckedFaces c = detector.detectChecked(List.of(decode(photos.resolve(nonFace)))).get(0);
                assertTrue(c.rejected().size() >= 1, nonFace + ": the tiled pass finds a false face there");
                assertEquals(List.of(), c.kept(), nonFace + " has no face; rejected " + c.rejected());
                assertTrue(c.rejected().get(0).reason().startsWith("not a face on close-up"), c.rejected().get(0).reason());
            }
            CheckedFaces messi = detector.detectChecked(List.of(decode(photos.resolve("opencv/messi5.jpg")))).get(0);
            assertEquals(1, messi.kept().size(), "Messi's face: " + messi);
            assertTrue(messi.kept().get(0).box().iou(dev.clpipe.detect.Box.fromTopLeft(217, 98, 44, 39)) > 0.8, messi.toString());
            assertEquals(1, messi.rejected().size(), "the box on the shirt: " + messi);
        }
    }

    @Test
    void solvayKeepsItsPrecisionAndRecall() throws Exception {
        Path visp = RealFaceData.visp();
        ImageData image = decode(visp.resolve(RealFaceData.SOLVAY));
        AnnotatedImage truth = VispReader.read(visp.resolve("ground_truth_detection.txt"), RealFaceData.SOLVAY, image.width(), image.height());
        try (FaceDetector detector = new FaceDetector(TestDevices.context(), TinyFaceDetectorWeights.load(RealFaceData.models()), TILED.withRecheck(FaceRecheck.ON))) {
            CheckedFaces c = detector.detectChecked(List.of(image)).get(0);
            DetectionEvaluator e = new DetectionEvaluator();
            e.add(truth.image(), c.kept(), truth.objects());
            FaceEvaluationResult r = FaceEvaluationResult.of(e.evaluate());
            System.out.printf("Solvay 1280, tiled 1.5 + re-check: %s, rejected %d%n", r.toMap(), c.rejected().size());
            assertTrue(r.ap50() >= 0.96, "AP@0.5 " + r.ap50());
            for (CheckedFaces.RejectedFace x : c.rejected()) {
                for (dev.clpipe.detect.Annotation t : truth.objects()) assertTrue(x.detection().box().iou(t.box()) < 0.5, "rejected a true face: " + x);
            }
        }
    }

    private static ImageData decode(Path p) throws Exception {
        return new ImageDecoder().decode(p, p.getFileName().toString()).image();
    }
}
