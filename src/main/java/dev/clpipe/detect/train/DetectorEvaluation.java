package dev.clpipe.detect.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.data.FramePlacement;
import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Box;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.DetectionEvaluator;
import dev.clpipe.detect.EvaluationResult;
import dev.clpipe.detect.Nms;
import dev.clpipe.detect.NmsConfig;
import dev.clpipe.detect.YoloDecoder;
import dev.clpipe.nn.BatchSource;
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
     * read as one class (localisation alone: how much of the gap to 1 is finding, how much naming).
     */
    public record Output(List<List<Detection>> detections, EvaluationResult result, EvaluationResult classAgnostic, double seconds) {
    }

    private DetectorEvaluation() {
    }

    /** Name of scene {@code i} in detections.jsonl and the evaluator. */
    public static String sceneName(int i) {
        return String.format("scene-%05d", i);
    }

    /**
     * One evaluated image: its name, ground truth in its own pixels, and where it sits in the
     * network's input frame (detections are mapped back to the image and clipped to it).
     */
    public record Truth(String name, List<Annotation> objects, FramePlacement placement) {
    }

    /** Generated scenes: each sits at the frame's top-left at its own size (detections clipped to its canvas). */
    public static Output run(Network net, DeviceDataset frames, SceneSet scenes, YoloDecoder decoder, NmsConfig nms,
                             double minScore, long step) {
        return run(net, frames, truth(scenes), decoder, nms, minScore, step);
    }

    /** The ground truth of generated scenes, each at the frame's top-left at its own size. */
    public static List<Truth> truth(SceneSet scenes) {
        List<Truth> truth = new ArrayList<>(scenes.count());
        for (int i = 0; i < scenes.count(); i++) {
            var s = scenes.scenes().get(i);
            truth.add(new Truth(sceneName(i), s.objects(), new FramePlacement(s.width(), s.height(), 1, 1, 0, 0, s.width(), s.height())));
        }
        return List.copyOf(truth);
    }

    /** The images of {@code frames} (in storage order), {@code truth} one per image. */
    public static Output run(Network net, BatchSource frames, List<Truth> truth, YoloDecoder decoder, NmsConfig nms,
                             double minScore, long step) {
        if (frames.count() != truth.size()) throw new IllegalArgumentException(frames.count() + " images for " + truth.size() + " ground truths");
        long t0 = System.nanoTime();
        int batch = net.batch();
        int block = net.spec().output().size();
        int frameW = net.spec().input().width(), frameH = net.spec().input().height();
        float[] raw = new float[batch * block];
        List<List<Detection>> all = new ArrayList<>();
        DetectionEvaluator evaluator = new DetectionEvaluator();
        DetectionEvaluator agnostic = new DetectionEvaluator();
        frames.setOrder(null);
        try (ClBuffer labels = net.context().buffer((long) batch * Integer.BYTES)) {
            for (int first = 0; first < truth.size(); first += batch) {
                int valid = Math.min(batch, truth.size() - first);
                frames.gather(first, valid, batch, net.input(), labels);
                net.forward(false, step);
                net.logits().read(net.context().queue(), raw);
                for (int r = 0; r < valid; r++) {
                    Truth t = truth.get(first + r);
                    FramePlacement p = t.placement();
                    List<Detection> kept = new ArrayList<>();
                    for (Detection d : Nms.apply(decoder.decodeEveryClass(raw, r, frameW, frameH, minScore), nms)) {
                        Box b = d.box();
                        if (!p.isIdentity()) {
                            b = new Box(p.toImageX(b.x1()), p.toImageY(b.y1()), p.toImageX(b.x2()), p.toImageY(b.y2()));
                        }
                        b = b.clip(p.sourceWidth(), p.sourceHeight());
                        if (b.area() > 0) kept.add(new Detection(d.label(), d.score(), b));
                    }
                    all.add(List.copyOf(kept));
                    evaluator.add(t.name(), kept, t.objects());
                    List<Detection> digits = kept.stream().map(d -> new Detection("object", d.score(), d.box())).toList();
                    agnostic.add(t.name(), Nms.apply(digits, nms.withClassAgnostic(true)),
                            t.objects().stream().map(a -> new Annotation("object", a.box(), a.ignore(), a.crowd())).toList());
                }
            }
        }
        EvaluationResult result = evaluator.evaluate();
        return new Output(all, result, agnostic.evaluate(), (System.nanoTime() - t0) / 1e9);
    }
}
