package dev.clpipe.nn.infer;

import dev.clpipe.cl.ClContext;
import dev.clpipe.data.ImageData;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An image classifier from a model YAML (the host side of {@code type: predict}): fits images to the model input (nearest resize, channel
 * count), normalises them into the network's input batch (padding a short last batch), runs the
 * forward pass and returns softmax probabilities per image.
 */
public final class Classifier implements ImageClassifier {
    private final Network network;
    private final Shape input;
    private final int classes;
    private final float mean;
    private final float std;

    public Classifier(ClContext context, ModelSpec model, int batch, long seed, float mean, float std) {
        this.network = new Network(context, model, batch, seed);
        this.input = model.input();
        this.classes = model.output().size();
        this.mean = mean;
        this.std = std;
    }

    public Network network() {
        return network;
    }

    @Override
    public List<float[]> classify(List<ImageData> images) {
        int batch = network.batch(), pixels = input.size();
        List<float[]> out = new ArrayList<>();
        float[] x = new float[batch * pixels];
        float[] logits = new float[batch * classes];
        for (int first = 0; first < images.size(); first += batch) {
            int valid = Math.min(batch, images.size() - first);
            java.util.Arrays.fill(x, 0f);
            for (int r = 0; r < valid; r++) fill(images.get(first + r), input, mean, std, x, r * pixels);
            network.input().write(network.context().queue(), x);
            network.forward(false, 0);
            network.logits().read(network.context().queue(), logits);
            for (int r = 0; r < valid; r++) out.add(softmax(logits, r * classes, classes));
        }
        return out;
    }

    /** Nearest-neighbour resize to the model's height and width, channels matched (grey = mean of RGB), normalised, NHWC at {@code offset}. */
    public static void fill(ImageData image, Shape input, float mean, float std, float[] x, int offset) {
        ImageData im = image.channels() == input.channels() ? image : image.withChannels(input.channels());
        for (int y = 0; y < input.height(); y++) {
            int sy = y * im.height() / input.height();
            for (int xx = 0; xx < input.width(); xx++) {
                int sx = xx * im.width() / input.width();
                for (int c = 0; c < input.channels(); c++) {
                    x[offset + (y * input.width() + xx) * input.channels() + c] = (im.get(sx, sy, c) / 255f - mean) / std;
                }
            }
        }
    }

    public static float[] softmax(float[] logits, int from, int classes) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) max = Math.max(max, logits[from + c]);
        double sum = 0;
        float[] p = new float[classes];
        for (int c = 0; c < classes; c++) sum += p[c] = (float) Math.exp(logits[from + c] - max);
        for (int c = 0; c < classes; c++) p[c] /= (float) sum;
        return p;
    }

    @Override
    public void close() {
        network.close();
    }
}
