package dev.clpipe.nn.infer;

import dev.clpipe.cl.ClContext;
import dev.clpipe.data.ImageData;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.graph.Node;
import dev.clpipe.nn.onnx.OnnxNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code type: predict} with an imported ONNX classifier: images are fitted and normalised as for
 * a YAML model ({@link Classifier#fill}), run through the inference graph in batches, and turned
 * into probabilities by a softmax unless the model's last node already is one.
 */
public final class OnnxClassifier implements ImageClassifier {
    private final DeviceGraph graph;
    private final Shape input;
    private final int classes;
    private final int batch;
    private final float mean;
    private final float std;
    private final boolean endsInSoftmax;

    public OnnxClassifier(ClContext context, OnnxNetwork net, int batch, float mean, float std) {
        int[] chw = net.inputShape();
        this.input = new Shape(chw[1], chw[2], chw[0]);
        this.classes = classes(net);
        this.graph = new DeviceGraph(context, net.graph());
        this.batch = batch;
        this.mean = mean;
        this.std = std;
        List<Node> nodes = net.graph().nodes();
        this.endsInSoftmax = nodes.get(net.graph().outputs().get(0)) instanceof Node.Softmax;
    }

    /** The class count of a classifier: one output of [N, K] (or [N, K, 1, 1]). */
    public static int classes(OnnxNetwork net) {
        if (net.outputs().size() != 1) throw new IllegalArgumentException(net.file() + " has " + net.outputs().size() + " outputs; predict needs one (the class scores)");
        int[] shape = net.outputs().get(0).shape();
        int k = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (shape[0] != k) throw new IllegalArgumentException(net.file() + ": output " + net.outputs().get(0) + " is not a vector of class scores per image");
        return k;
    }

    @Override
    public List<float[]> classify(List<ImageData> images) {
        int pixels = input.size();
        List<float[]> out = new ArrayList<>();
        for (int first = 0; first < images.size(); first += batch) {
            int valid = Math.min(batch, images.size() - first);
            float[] x = new float[valid * pixels];
            for (int r = 0; r < valid; r++) Classifier.fill(images.get(first + r), input, mean, std, x, r * pixels);
            float[] scores = graph.run(x, valid)[0];
            for (int r = 0; r < valid; r++) {
                out.add(endsInSoftmax ? Arrays.copyOfRange(scores, r * classes, (r + 1) * classes) : Classifier.softmax(scores, r * classes, classes));
            }
        }
        return out;
    }

    @Override
    public void close() {
        graph.close();
    }
}
