package dev.clpipe.detect;

/**
 * Settings of {@link Nms}.
 *
 * @param scoreThreshold boxes with {@code score <= scoreThreshold} are discarded first (default 0.6)
 * @param iouThreshold a kept box suppresses later boxes with {@code IoU >= iouThreshold} (default 0.5)
 * @param classAgnostic when true, boxes of different labels suppress each other too (default false:
 *     suppression happens within each label only)
 * @param maxDetections at most this many boxes are returned, best first (0 = no limit)
 */
public record NmsConfig(double scoreThreshold, double iouThreshold, boolean classAgnostic, int maxDetections) {
    public static final NmsConfig DEFAULT = new NmsConfig(0.6, 0.5, false, 0);

    public NmsConfig {
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new IllegalArgumentException("nms.score_threshold must be within [0, 1], got " + scoreThreshold);
        }
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("nms.iou_threshold must be within (0, 1], got " + iouThreshold);
        }
        if (maxDetections < 0) {
            throw new IllegalArgumentException("nms.max_detections must be >= 0 (0 = no limit), got " + maxDetections);
        }
    }

    public NmsConfig withScoreThreshold(double t) {
        return new NmsConfig(t, iouThreshold, classAgnostic, maxDetections);
    }

    public NmsConfig withIouThreshold(double t) {
        return new NmsConfig(scoreThreshold, t, classAgnostic, maxDetections);
    }

    public NmsConfig withClassAgnostic(boolean agnostic) {
        return new NmsConfig(scoreThreshold, iouThreshold, agnostic, maxDetections);
    }

    public NmsConfig withMaxDetections(int max) {
        return new NmsConfig(scoreThreshold, iouThreshold, classAgnostic, max);
    }
}
