package dev.clpipe.detect.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Box;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.DetectionEvaluator;
import dev.clpipe.detect.EvaluationResult;
import dev.clpipe.detect.Nms;
import dev.clpipe.detect.NmsConfig;
import dev.clpipe.detect.YoloDecoder;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a detector over a scene set in evaluation mode (batch-norm running statistics), decodes
 * every head output ({@link YoloDecoder#decodeEveryClass}: a detection per class that reaches the
 * minimum score, as mAP evaluation wants; boxes clipped to the scene's own canvas), applies
 * per-class {@link Nms} and scores the result with {@link DetectionEvaluator} (VOC AP@0.5, COCO AP).
 */
public final class DetectorEvaluation {
    /**
     * Detections per scene (in scene order), their evaluation, and the evaluation with every label
     * read as "digit" (localisation alone: how much of the gap to 1 is finding, how much naming).
     */
    public record Output(List<List<Detection>> detections, EvaluationResult result, EvaluationResult classAgnostic, double seconds) {
    }

    private DetectorEvaluation() {
    }

    /** Name of scene {@code i} in detections.jsonl and the evaluator. */
    public static String sceneName(int i) {
        return String.format("scene-%05d", i);
    }

    public static Output run(Network net, DeviceDataset frames, SceneSet scenes, YoloDecoder decoder, NmsConfig nms,
                             double minScore, long step) {
        long t0 = System.nanoTime();
        int batch = net.batch();
        int block = net.spec().output().size();
        int side = scenes.side();
        float[] raw = new float[batch * block];
        List<List<Detection>> all = new ArrayList<>();
        DetectionEvaluator evaluator = new DetectionEvaluator();
        DetectionEvaluator agnostic = new DetectionEvaluator();
        frames.setOrder(null);
        try (ClBuffer labels = net.context().buffer((long) batch * Integer.BYTES)) {
            for (int first = 0; first < scenes.count(); first += batch) {
                int valid = Math.min(batch, scenes.count() - first);
                frames.gather(first, valid, batch, net.input(), labels);
                net.forward(false, step);
                net.logits().read(net.context().queue(), raw);
                for (int r = 0; r < valid; r++) {
                    int i = first + r;
                    var scene = scenes.scenes().get(i);
                    List<Detection> kept = new ArrayList<>();
                    for (Detection d : Nms.apply(decoder.decodeEveryClass(raw, r, side, side, minScore), nms)) {
                        Box b = d.box().clip(scene.width(), scene.height());
                        if (b.area() > 0) kept.add(new Detection(d.label(), d.score(), b));
                    }
                    all.add(List.copyOf(kept));
                    evaluator.add(sceneName(i), kept, scene.objects());
                    List<Detection> digits = kept.stream().map(d -> new Detection("digit", d.score(), d.box())).toList();
                    agnostic.add(sceneName(i), Nms.apply(digits, nms.withClassAgnostic(true)),
                            scene.objects().stream().map(a -> new Annotation("digit", a.box())).toList());
                }
            }
        }
        EvaluationResult result = evaluator.evaluate();
        return new Output(all, result, agnostic.evaluate(), (System.nanoTime() - t0) / 1e9);
    }
}
