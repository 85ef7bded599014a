package dev.clpipe.nn.graph;

import dev.clpipe.nn.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable inference graph: nodes in execution order (every node reads only earlier ones),
 * node 0 the input, and the nodes whose activations are the outputs. Build with {@link #builder()}.
 */
public record Graph(List<Node> nodes, List<Integer> outputs) {
    public Graph {
        nodes = List.copyOf(nodes);
        outputs = List.copyOf(outputs);
        if (nodes.isEmpty() || !(nodes.get(0) instanceof Node.Input)) throw new IllegalArgumentException("a graph starts with its input node");
        if (outputs.isEmpty()) throw new IllegalArgumentException("a graph needs at least one output");
    }

    public static GraphBuilder builder() {
        return new GraphBuilder();
    }

    public Shape inputDims() {
        return nodes.get(0).out();
    }

    public Shape outputDims(int output) {
        return nodes.get(outputs.get(output)).out();
    }

    /** Index of the node named {@code name}; throws IllegalArgumentException when there is none. */
    public int indexOf(String name) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("the graph has no node named '" + name + "'");
    }

    /** Multiply-adds x 2 of one sample's forward pass (convolutions and dense layers). */
    public double flopsPerSample() {
        return nodes.stream().mapToDouble(Node::flops).sum();
    }

    /** For each node, the nodes that read it, in node order, once per read (a node reading it twice is listed twice). */
    List<List<Integer>> readers() {
        List<List<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) readers.add(new ArrayList<>());
        for (int i = 0; i < nodes.size(); i++) for (int in : nodes.get(i).inputs()) readers.get(in).add(i);
        return readers;
    }

    /** For each node, the index of the last node that reads it (outputs: {@code nodes().size()}). */
    int[] lastUses() {
        int[] last = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            last[i] = i;
            for (int in : nodes.get(i).inputs()) last[in] = Math.max(last[in], i);
        }
        for (int o : outputs) last[o] = nodes.size();
        return last;
    }
}
