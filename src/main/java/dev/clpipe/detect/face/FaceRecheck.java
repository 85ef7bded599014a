package dev.clpipe.detect.face;

import dev.clpipe.detect.Box;
import java.util.List;

/**
 * A second look at every detected face: for each {@code context}, a square of that many times
 * the box's longer side, centred on the box (clipped to the image), goes through the same net on
 * its own, so the face reaches it 2-5 times larger than in the pass that found it. Each close-up
 * contributes its best score among boxes overlapping the face by IoU at least {@code minIou}
 * (0 when none); the face is kept when the mean over the close-ups is above {@code score}.
 * Textures that fire the detector in one tiled pass (foliage, an animal's eye, a retina, letters)
 * score low in most close-ups, real faces high in most: one close-up alone is noisy (a face can
 * score 0.2 at one context and 0.9 at the next), the mean separates them
 * (docs/face-clustering.md, "Verification after detection", has the measurements).
 *
 * @param enabled  whether to re-check at all
 * @param contexts close-up sides over the box's longer side, each in [1.2, 8]
 * @param score    the mean best close-up score must be above this
 * @param minIou   a close-up box counts for the face when it overlaps it by at least this IoU
 */
public record FaceRecheck(boolean enabled, List<Double> contexts, double score, double minIou) {
    /** The measured defaults, off. */
    public static final FaceRecheck OFF = new FaceRecheck(false, List.of(2.5, 3.5, 5.0), 0.43, 0.3);
    /** The measured defaults (docs/face-clustering.md). */
    public static final FaceRecheck ON = new FaceRecheck(true, OFF.contexts(), OFF.score(), OFF.minIou());

    public FaceRecheck {
        contexts = List.copyOf(contexts);
        if (contexts.isEmpty()) throw new IllegalArgumentException("recheck needs at least one context");
        for (double c : contexts) if (!(c >= 1.2 && c <= 8)) throw new IllegalArgumentException("recheck context must be within [1.2, 8], got " + c);
        if (!(score >= 0 && score < 1)) throw new IllegalArgumentException("recheck score must be within [0, 1), got " + score);
        if (!(minIou > 0 && minIou <= 1)) throw new IllegalArgumentException("recheck IoU must be within (0, 1], got " + minIou);
    }

    /** The close-up square of side {@code context} x the box's longer side, clipped to a {@code width x height} image. */
    static Crop closeUp(Box box, double context, int width, int height) {
        double side = context * Math.max(box.width(), box.height());
        int x1 = (int) Math.floor(Math.max(0, box.centreX() - side / 2)), y1 = (int) Math.floor(Math.max(0, box.centreY() - side / 2));
        int x2 = (int) Math.ceil(Math.min(width, box.centreX() + side / 2)), y2 = (int) Math.ceil(Math.min(height, box.centreY() + side / 2));
        x1 = Math.min(x1, width - 1);
        y1 = Math.min(y1, height - 1);
        return new Crop(x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1), Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Null when the close-ups' best scores confirm the face, else why not. */
    String verdict(Box face, List<List<dev.clpipe.detect.Detection>> closeUps) {
        double sum = 0;
        StringBuilder each = new StringBuilder();
        for (List<dev.clpipe.detect.Detection> found : closeUps) {
            double best = 0;
            for (var d : found) if (d.box().iou(face) >= minIou) best = Math.max(best, d.score());
            sum += best;
            each.append(each.length() == 0 ? "" : " ").append(String.format(java.util.Locale.ROOT, "%.2f", best));
        }
        double mean = sum / closeUps.size();
        if (mean > score) return null;
        return String.format(java.util.Locale.ROOT, "not a face on close-up: mean score %.2f <= %.2f (contexts %s: %s)", mean, score, contexts, each);
    }
}
