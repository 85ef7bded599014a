package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches one image's detections of one class to its ground truth at one IoU threshold, the way
 * pycocotools' {@code evaluateImg} does: detections in descending score (stable, so input order
 * breaks ties); each takes the not-yet-matched ground truth with the highest {@code IoU >= threshold},
 * preferring ground truth that is not ignored. A ground truth is matched at most once; an ignored
 * one (VOC difficult, COCO crowd) may absorb several detections, which are then ignored too.
 * Overlap is IoU, except with a crowd region: intersection over detection area
 * ({@link Annotation#overlap}), as pycocotools' {@code iou(..., iscrowd)}.
 *
 * <p>(The VOC devkit differs in two corners: it takes the highest-IoU ground truth even when that
 * one is already matched, making the detection a false positive, and it asks for {@code IoU > 0.5}
 * strictly. With non-overlapping ground truth the two agree.)
 */
final class GreedyMatcher {
    /** Outcome of one detection. */
    enum Outcome { TRUE_POSITIVE, FALSE_POSITIVE, IGNORED }

    private GreedyMatcher() {
    }

    /**
     * @param detections already in descending score order
     * @return one outcome per detection, in the same order
     */
    static List<Outcome> match(List<Detection> detections, List<Annotation> truth, double iouThreshold) {
        // non-ignored ground truth first, so that "prefer not ignored" is a scan order
        List<Annotation> gts = new ArrayList<>();
        for (Annotation a : truth) {
            if (!a.ignore()) {
                gts.add(a);
            }
        }
        int firstIgnored = gts.size();
        for (Annotation a : truth) {
            if (a.ignore()) {
                gts.add(a);
            }
        }
        boolean[] matched = new boolean[gts.size()];
        List<Outcome> out = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            int m = -1;
            double best = Math.min(iouThreshold, 1 - 1e-10);
            for (int g = 0; g < gts.size(); g++) {
                boolean ignored = g >= firstIgnored;
                if (matched[g] && !ignored) {
                    continue;
                }
                if (m > -1 && m < firstIgnored && ignored) {
                    break; // already matched a regular ground truth; ignored ones come only after
                }
                double iou = gts.get(g).overlap(d.box());
                if (iou < best) {
                    continue;
                }
                best = iou;
                m = g;
            }
            if (m == -1) {
                out.add(Outcome.FALSE_POSITIVE);
            } else if (m >= firstIgnored) {
                out.add(Outcome.IGNORED);
            } else {
                matched[m] = true;
                out.add(Outcome.TRUE_POSITIVE);
            }
        }
        return out;
    }
}
