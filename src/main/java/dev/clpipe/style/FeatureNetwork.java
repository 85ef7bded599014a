package dev.clpipe.style;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.SsdMobilenetV1Graph;
import dev.clpipe.nn.graph.TinyFaceDetectorGraph;
import dev.clpipe.nn.graph.TrainingPlan;
import dev.clpipe.nn.io.SsdMobilenetV1Weights;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A face-api backbone as a frozen feature network for one image size: the inference graph
 * builders' own layout ({@code nn.graph.TinyFaceDetectorGraph.features},
 * {@code SsdMobilenetV1Graph.backbone}) cut at the deepest layer a cost uses, run by a frozen
 * {@link TrainingPlan} that taps the used layers. Fed with RGB pixels 0..255 (NHWC, batch 1),
 * normalised on the device as the network expects ({@code x = pixel * scale + shift[c]}).
 * Layer names (configs, docs/style-transfer.md): {@code convI} is the activation after block I;
 * its parts are {@code convI/conv} (full conv), {@code convI/dw}, {@code convI/dw_relu}
 * (depthwise), {@code convI/pw} (pointwise, before the activation); pools are {@code poolI}.
 */
public final class FeatureNetwork implements AutoCloseable {
    public static final List<String> NETWORKS = List.of("ssd_mobilenetv1", "tiny_face_detector");

    private final String network;
    private final StyleOps ops;
    private final int height, width;
    private final float scale;
    private final float[] shift;
    private final Map<String, Integer> nodes = new LinkedHashMap<>();
    private final TrainingPlan plan;
    private final Tensor pixelGrad;

    /**
     * @param layerNodes every layer name of the network and the graph node it names
     * @param used the layers a cost reads (and gives gradients at)
     */
    FeatureNetwork(String network, StyleOps ops, Graph graph, float scale, float[] shift, Map<String, String> layerNodes, Collection<String> used) {
        this.network = network;
        this.ops = ops;
        this.height = graph.inputDims().height();
        this.width = graph.inputDims().width();
        this.scale = scale;
        this.shift = shift.clone();
        int deepest = 0;
        for (String layer : used) {
            String node = layerNodes.get(layer);
            if (node == null) throw new IllegalArgumentException("network " + network + " has no layer '" + layer + "' (layers: " + String.join(", ", layerNodes.keySet()) + ")");
            nodes.put(layer, graph.indexOf(node));
            deepest = Math.max(deepest, graph.indexOf(node));
        }
        if (nodes.isEmpty()) throw new IllegalArgumentException("a feature network needs at least one used layer");
        Graph cut = new Graph(graph.nodes().subList(0, deepest + 1), List.of(deepest));
        this.plan = TrainingPlan.frozen(ops.context(), cut, 1, nodes.values());
        this.pixelGrad = Tensor.empty(ops.context(), Layout.NHWC, 1, height, width, 3);
    }

    /** Layer names of a network in order, for checking a config before any device work. */
    public static List<String> layerNames(String network) {
        return new ArrayList<>(layerNodes(network).keySet());
    }

    /** Each layer name and the node of the network's graph it names. */
    static Map<String, String> layerNodes(String network) {
        Map<String, String> names = new LinkedHashMap<>();
        switch (network) {
            case "ssd_mobilenetv1" -> {
                names.put("conv0/conv", "conv0");
                names.put("conv0", "conv0/relu6");
                for (int i = 1; i <= 13; i++) {
                    names.put("conv" + i + "/dw", "conv" + i + "/depthwise");
                    names.put("conv" + i + "/dw_relu", "conv" + i + "/depthwise/relu6");
                    names.put("conv" + i + "/pw", "conv" + i + "/pointwise");
                    names.put("conv" + i, "conv" + i + "/relu6");
                }
            }
            case "tiny_face_detector" -> {
                names.put("conv0/conv", "conv0");
                names.put("conv0", "conv0/leaky");
                for (int i = 1; i <= 5; i++) {
                    names.put("pool" + (i - 1), "pool" + (i - 1));
                    names.put("conv" + i + "/dw", "conv" + i + "/depthwise");
                    names.put("conv" + i + "/pw", "conv" + i + "/pointwise");
                    names.put("conv" + i, "conv" + i + "/leaky");
                }
            }
            default -> throw new IllegalArgumentException("unknown feature network '" + network + "' (networks: " + String.join(", ", NETWORKS) + ")");
        }
        return names;
    }

    /** Loads the weights of {@code network} from the face-api folder; the network reads and differentiates the {@code used} layers. */
    public static FeatureNetwork load(String network, Path models, StyleOps ops, int height, int width, Collection<String> used) throws TfjsFormatException {
        Map<String, String> layers = layerNodes(network);
        return switch (network) {
            case "ssd_mobilenetv1" -> new FeatureNetwork(network, ops, SsdMobilenetV1Graph.backbone(SsdMobilenetV1Weights.load(models), height, width),
                    1 / 127.5f, new float[] {-1, -1, -1}, layers, used);
            case "tiny_face_detector" -> {
                float[] mean = TinyFaceDetectorWeights.meanRgb();
                yield new FeatureNetwork(network, ops, TinyFaceDetectorGraph.features(TinyFaceDetectorWeights.load(models), height, width),
                        1 / 255f, new float[] {-mean[0] / 255f, -mean[1] / 255f, -mean[2] / 255f}, layers, used);
            }
            default -> throw new IllegalArgumentException("unknown feature network '" + network + "' (networks: " + String.join(", ", NETWORKS) + ")");
        };
    }

    public String network() {
        return network;
    }

    public ClContext context() {
        return ops.context();
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Height, width and channels of a used layer's activation. */
    public Shape shapeOf(String layer) {
        return plan.graph().nodes().get(node(layer)).out();
    }

    /** Runs the network (up to its deepest used layer) on the pixels (1 x H x W x 3, 0..255). */
    public void forward(Tensor pixels) {
        ops.pixelsToInput(pixels.buffer(), plan.input(), scale, shift, pixelGrad.size());
        plan.forward(false, 0);
    }

    /** A used layer's activation from the last forward (owned by the network). */
    public ClBuffer output(String layer) {
        return plan.value(node(layer));
    }

    /** Where d cost / d (a used layer's activation) goes before {@link #backward}. */
    public ClBuffer gradient(String layer) {
        return plan.tapGradient(node(layer));
    }

    /** d cost / d pixels from the {@link #gradient} buffers of every used layer, after a forward (owned by the network). */
    public Tensor backward() {
        plan.backward(0);
        ops.inputToPixelsGrad(plan.inputGradient(), pixelGrad.buffer(), scale, pixelGrad.size());
        return pixelGrad;
    }

    private int node(String layer) {
        Integer i = nodes.get(layer);
        if (i == null) throw new IllegalArgumentException("layer '" + layer + "' of " + network + " is not among the used layers " + nodes.keySet());
        return i;
    }

    @Override
    public void close() {
        plan.close();
        pixelGrad.close();
    }
}
