package dev.clpipe.pipeline.stages;

import dev.clpipe.detect.AnnotatedImage;
import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.DetectionEvaluator;
import dev.clpipe.detect.face.FaceDetectorOptions;
import dev.clpipe.detect.face.FaceEvaluationResult;
import dev.clpipe.detect.face.TinyFaceDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects a detect-faces run's detections of the ground-truth images and scores them at the end. */
final class FaceEvaluation {
    private final FaceGroundTruth truth;
    private final Map<String, AnnotatedImage> images;
    private final DetectionEvaluator evaluator = new DetectionEvaluator();
    private final List<String> seen = new ArrayList<>();

    FaceEvaluation(FaceGroundTruth truth) {
        this.truth = truth;
        try {
            this.images = truth.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ground truth " + truth.file() + ": " + e.getMessage(), e);
        }
    }

    synchronized void add(String image, List<Detection> detections) {
        AnnotatedImage gt = images.get(image);
        if (gt == null) return;
        List<Annotation> faces = new ArrayList<>();
        for (Annotation a : gt.objects()) {
            if (truth.format().equals("visp") || a.label().equals(truth.label())) {
                faces.add(new Annotation(TinyFaceDecoder.LABEL, a.box(), a.ignore(), a.crowd()));
            }
        }
        evaluator.add(image, detections, faces);
        seen.add(image);
    }

    synchronized Map<String, Object> toMetrics(FaceDetectorOptions options) {
        Map<String, Object> m = new LinkedHashMap<>(FaceEvaluationResult.of(evaluator.evaluate()).toMap());
        m.put("ground_truth_file", truth.file().toString());
        m.put("images_evaluated", List.copyOf(seen));
        List<String> missing = new ArrayList<>(images.keySet());
        missing.removeAll(seen);
        m.put("ground_truth_images_not_seen", missing);
        m.put("input_size", options.inputSize());
        m.put("score_threshold", options.scoreThreshold());
        m.put("tiling_scales", options.tiling().scales());
        return m;
    }
}
