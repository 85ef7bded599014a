package dev.clpipe.nn.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A graph with its weights replaced by trained ones named as {@link TrainingPlan} and checkpoints
 * name them ({@code node.weight}, {@code node.bias}, batch norm's {@code running_mean} and
 * {@code running_var}; dense weights {@code [out, in]}): how a fine-tuned import leaves as ONNX or
 * is scored again. Structure and names stay; a missing or misshapen tensor is an
 * IllegalArgumentException naming it.
 */
public final class GraphWeights {
    private GraphWeights() {}

    public static Graph with(Graph graph, Map<String, float[]> params) {
        List<Node> nodes = new ArrayList<>(graph.nodes().size());
        for (Node n : graph.nodes()) nodes.add(with(n, params));
        return new Graph(nodes, graph.outputs());
    }

    private static Node with(Node n, Map<String, float[]> params) {
        String k = n.name();
        if (n instanceof Node.Conv c) {
            float[] bias = c.bias() != null || params.containsKey(k + ".bias") ? tensor(params, k + ".bias", c.out().channels()) : null;
            return new Node.Conv(k, c.input(), c.in(), c.out(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.pads(), c.groups(),
                    tensor(params, k + ".weight", c.weights().length), bias);
        }
        if (n instanceof Node.Dense d) {
            int in = d.in().size(), units = d.out().channels();
            float[] bias = d.bias() != null || params.containsKey(k + ".bias") ? tensor(params, k + ".bias", units) : null;
            return new Node.Dense(k, d.input(), d.in(), d.out(), SpecGraph.transpose(tensor(params, k + ".weight", in * units), units, in), bias);
        }
        if (n instanceof Node.BatchNorm b) {
            int c = b.out().channels();
            return new Node.BatchNorm(k, b.input(), b.out(), tensor(params, k + ".weight", c), tensor(params, k + ".bias", c),
                    tensor(params, k + ".running_mean", c), tensor(params, k + ".running_var", c), b.eps(), b.momentum());
        }
        return n;
    }

    private static float[] tensor(Map<String, float[]> params, String name, int size) {
        float[] v = params.get(name);
        if (v == null) throw new IllegalArgumentException("no tensor '" + name + "' for the graph's node (a checkpoint of another model?)");
        if (v.length != size) throw new IllegalArgumentException("tensor '" + name + "' has " + v.length + " values, the graph's node needs " + size);
        return v.clone();
    }
}
