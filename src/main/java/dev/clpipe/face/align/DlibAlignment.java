package dev.clpipe.face.align;

/**
 * The descriptor crop of face-api ({@code FaceLandmarks.alignDlib}, docs/face-models.md §7 step 3):
 * a square, unrotated rectangle placed from the eye and mouth centres, not the landmarks' bounding
 * box. The recognition net was trained on crops of that geometry, so descriptors depend on it.
 */
public final class DlibAlignment {
    private DlibAlignment() {}

    /**
     * The rectangle (x, y, w, h) before clipping; {@code cropW, cropH} are the size of the landmark
     * crop (face-api's imageWidth/Height of the landmark object), which bound w and h.
     */
    public static double[] rect(Landmarks68 marks, int cropW, int cropH) {
        double[] eL = marks.leftEye(), eR = marks.rightEye(), m = marks.mouth();
        double eyeToMouth = (Math.hypot(m[0] - eL[0], m[1] - eL[1]) + Math.hypot(m[0] - eR[0], m[1] - eR[1])) / 2;
        double size = Math.floor(eyeToMouth / 0.45);
        double refX = (eL[0] + eR[0] + m[0]) / 3, refY = (eL[1] + eR[1] + m[1]) / 3;
        double x = Math.floor(Math.max(0, refX - 0.5 * size)), y = Math.floor(Math.max(0, refY - 0.43 * size));
        return new double[] {x, y, Math.min(size, cropW + x), Math.min(size, cropH + y)};
    }

    /** {@link #rect} clipped and floored to the image like every face-api crop; empty for a degenerate face. */
    public static java.util.Optional<PixelRect> crop(Landmarks68 marks, int cropW, int cropH, int imageW, int imageH) {
        double[] r = rect(marks, cropW, cropH);
        return PixelRect.clipped(r[0], r[1], r[2], r[3], imageW, imageH);
    }
}
