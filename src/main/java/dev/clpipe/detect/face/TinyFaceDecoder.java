package dev.clpipe.detect.face;

import dev.clpipe.detect.Box;
import dev.clpipe.detect.Detection;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's {@code TinyYolov2Base.extractBoxes} (docs/face-models.md §3.4): turns the raw
 * {@code G x G x 25} output for one crop into face candidates above the score threshold (strict
 * {@code >}), boxes in image pixels (not clipped). NMS is the caller's.
 */
public final class TinyFaceDecoder {
    public static final String LABEL = "face";

    private TinyFaceDecoder() {}

    /** Candidates from {@code out[offset ..]} ({@code grid * grid * 25} floats) for {@code crop}. */
    public static List<Detection> decode(float[] out, int offset, int grid, int inputSize, Crop crop, double scoreThreshold) {
        double[] reshaped = NetInput.reshaped(crop.width(), crop.height(), inputSize);
        double cx = inputSize / reshaped[0], cy = inputSize / reshaped[1]; // undo the bottom/right padding
        int fields = TinyFaceDetectorWeights.BOX_ENCODING_SIZE, channels = TinyFaceDetectorWeights.NUM_ANCHORS * fields;
        List<Detection> found = new ArrayList<>();
        for (int row = 0; row < grid; row++) {
            for (int col = 0; col < grid; col++) {
                for (int a = 0; a < TinyFaceDetectorWeights.NUM_ANCHORS; a++) {
                    int base = offset + (row * grid + col) * channels + a * fields;
                    double score = sigmoid(out[base + 4]);
                    if (!(score > scoreThreshold)) continue;
                    TinyFaceDetectorWeights.Anchor anchor = TinyFaceDetectorWeights.ANCHORS.get(a);
                    double ctrX = (col + sigmoid(out[base])) / grid * cx;
                    double ctrY = (row + sigmoid(out[base + 1])) / grid * cy;
                    double w = Math.exp(out[base + 2]) * anchor.width() / grid * cx;
                    double h = Math.exp(out[base + 3]) * anchor.height() / grid * cy;
                    double x = crop.x() + (ctrX - w / 2) * crop.width(), y = crop.y() + (ctrY - h / 2) * crop.height();
                    found.add(new Detection(LABEL, score, Box.fromTopLeft(x, y, w * crop.width(), h * crop.height())));
                }
            }
        }
        return found;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
