package dev.clpipe.nn.onnx;

import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.Node;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.PoolWindow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An imported ONNX model as clpipe's training network can hold it (the inverse of
 * {@link dev.clpipe.nn.graph.SpecGraph}), so {@code train} fine-tunes it and {@code evaluate} scores it: a chain of
 * square convolutions (groups 1, symmetric padding; a batch norm PyTorch exported is already folded
 * in), pooling, activations and dense layers, with identity residual blocks ({@code Add} of a
 * value and a chain that starts from it); a global average pool over a square map becomes an
 * average pool of its size; a final {@code Softmax} is left to the loss. Anything else is refused
 * naming the node ({@link UnsupportedOnnxException}, exit 2). Layer names are the graph's node
 * names with characters other than letters, digits, '_' and '-' replaced by '_'.
 */
public final class TrainableSpecs {
    /** The training form: the layers and their parameters by name ({@code name.weight} HWIO / [units][inputs], {@code name.bias}). */
    public record Trainable(ModelSpec spec, Map<String, float[]> params) {
        /** Writes the parameters into {@code net}, a network of {@link #spec} (its starting weights). */
        public void loadInto(dev.clpipe.nn.Network net) {
            for (dev.clpipe.nn.Param p : net.params()) {
                float[] v = params.get(p.name());
                if (v == null || v.length != p.size()) throw new IllegalArgumentException("network tensor '" + p.name() + "' is not one of model " + spec.name() + "'s");
                p.value().write(net.context().queue(), v);
            }
        }
    }

    private final OnnxNetwork net;
    private final List<Node> nodes;
    private final List<List<Integer>> readers = new ArrayList<>();
    private final Map<String, float[]> params = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();

    private TrainableSpecs(OnnxNetwork net) {
        this.net = net;
        this.nodes = net.graph().nodes();
        for (int i = 0; i < nodes.size(); i++) readers.add(new ArrayList<>());
        for (int i = 0; i < nodes.size(); i++) for (int in : nodes.get(i).inputs()) readers.get(in).add(i);
    }

    public static Trainable of(OnnxNetwork net) {
        Graph g = net.graph();
        TrainableSpecs t = new TrainableSpecs(net);
        if (g.outputs().size() != 1) throw new UnsupportedOnnxException(net.file() + ": " + g.outputs().size() + " outputs; training takes one (the class scores)");
        int end = g.outputs().get(0);
        if (t.nodes.get(end) instanceof Node.Softmax s) end = s.input();
        List<LayerSpec> layers = new ArrayList<>();
        int last = t.chain(0, 1, end + 1, layers);
        if (last != end) throw t.refuse(t.nodes.get(end), "the output is not reached by one chain from the input");
        for (int i = end + 1; i < g.nodes().size(); i++) {
            if (i != g.outputs().get(0)) throw t.refuse(t.nodes.get(i), "a node outside the chain to the output");
        }
        String name = net.file().getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        Shape in = g.inputDims();
        return new Trainable(ModelSpec.of(name, in, layers), t.params);
    }

    /** Appends the layers of nodes {@code from..end-1}, a chain starting at value {@code cur}; returns the chain's last node. */
    private int chain(int cur, int from, int end, List<LayerSpec> layers) {
        int i = from;
        while (i < end) {
            Node n = nodes.get(i);
            List<Integer> r = readers.get(cur);
            if (r.size() == 2 && r.contains(i) && !(n instanceof Node.Sum)) {
                int sum = r.get(0) == i ? r.get(1) : r.get(0);
                if (!(nodes.get(sum) instanceof Node.Sum s) || s.inputs().size() != 2 || sum >= end) {
                    throw refuse(nodes.get(sum), "reads '" + nodes.get(cur).name() + "' beside '" + n.name() + "'; only identity residual blocks (Add of a value and a chain from it) train");
                }
                if (!n.inputs().equals(List.of(cur))) throw refuse(n, "does not read the block's input '" + nodes.get(cur).name() + "' alone");
                List<LayerSpec> body = new ArrayList<>(List.of(layer(n)));
                int bodyEnd = chain(i, i + 1, sum, body);
                if (!s.inputs().contains(bodyEnd) || !s.inputs().contains(cur)) throw refuse(s, "is not the sum of a value and a chain from it");
                layers.add(new LayerSpec.Residual(name(s), body));
                cur = sum;
                i = sum + 1;
                continue;
            }
            if (r.size() > 2) throw refuse(nodes.get(r.get(2)), "is the third reader of '" + nodes.get(cur).name() + "'; training holds chains and identity residual blocks");
            if (!n.inputs().equals(List.of(cur))) throw refuse(n, "does not read the chain's value '" + nodes.get(cur).name() + "' alone");
            layers.add(layer(n));
            cur = i++;
        }
        return cur;
    }

    private LayerSpec layer(Node n) {
        if (n instanceof Node.Conv c) {
            int[] p = c.pads();
            if (c.kernelH() != c.kernelW() || c.strideH() != c.strideW() || p[0] != p[1] || p[0] != p[2] || p[0] != p[3] || c.groups() != 1) {
                throw refuse(n, "a " + c.kernelH() + "x" + c.kernelW() + " convolution with strides " + c.strideH() + "x" + c.strideW() + ", pads "
                        + java.util.Arrays.toString(p) + " and " + c.groups() + " groups (training takes square kernels and strides, equal pads, 1 group)");
            }
            String name = name(n);
            params.put(name + ".weight", c.weights().clone());
            params.put(name + ".bias", c.bias() != null ? c.bias().clone() : new float[c.out().channels()]);
            return new LayerSpec.Conv(name, c.out().channels(), c.kernelH(), c.strideH(), p[0]);
        }
        if (n instanceof Node.Act a) {
            boolean trains = switch (a.kind()) {
                case RELU, RELU6, SIGMOID, TANH -> true;
                case LEAKY_RELU -> a.slope() == Activation.PYTORCH_LEAKY_SLOPE;
                default -> false;
            };
            if (!trains) throw refuse(n, a.kind() + (a.kind() == Activation.Kind.LEAKY_RELU ? " with slope " + a.slope() : "") + " has no training layer");
            return new LayerSpec.Act(name(n), a.kind());
        }
        if (n instanceof Node.Pool p) {
            PoolWindow w = p.window();
            boolean max = p.mode() == Pool2d.Mode.MAX;
            int pad = w.padTop();
            if (w.kernelH() != w.kernelW() || w.strideH() != w.strideW() || pad != w.padBottom() || pad != w.padLeft() || pad != w.padRight() || !max && pad > 0) {
                throw refuse(n, "a " + w.kernelH() + "x" + w.kernelW() + " pool window with strides " + w.strideH() + "x" + w.strideW()
                        + " (training takes square windows and strides, equal pads, unpadded average pooling)");
            }
            return new LayerSpec.Pool(name(n), max, w.kernelH(), w.strideH(), pad);
        }
        if (n instanceof Node.GlobalAvgPool g) {
            if (g.in().height() != g.in().width()) throw refuse(n, "a global average pool over a " + g.in().height() + "x" + g.in().width() + " map (training takes square ones)");
            return new LayerSpec.Pool(name(n), false, g.in().height(), g.in().height(), 0);
        }
        if (n instanceof Node.Dense d) {
            int inputs = d.in().size(), units = d.out().channels();
            float[] w = new float[inputs * units];
            for (int i = 0; i < inputs; i++) for (int u = 0; u < units; u++) w[u * inputs + i] = d.weights()[i * units + u];
            String name = name(n);
            params.put(name + ".weight", w);
            params.put(name + ".bias", d.bias() != null ? d.bias().clone() : new float[units]);
            return new LayerSpec.Dense(name, units);
        }
        throw refuse(n, n instanceof Node.Affine ? "a per-channel affine (a batch norm no convolution absorbs, or input scaling) has no training layer"
                : "has no training layer");
    }

    private String name(Node n) {
        String base = n.name().replaceAll("[^A-Za-z0-9_-]", "_").replaceAll("^_+", "");
        if (base.isEmpty()) base = "node";
        String name = base;
        for (int k = 2; !names.add(name); k++) name = base + "_" + k;
        return name;
    }

    private UnsupportedOnnxException refuse(Node n, String why) {
        return new UnsupportedOnnxException(net.file() + ": node '" + n.name() + "' " + why + " (in training; it still runs in predict and model run)");
    }
}
