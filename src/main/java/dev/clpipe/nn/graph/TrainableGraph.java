package dev.clpipe.nn.graph;

import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.PoolWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * An imported classifier graph in the form {@link TrainingPlan} trains: one output, the class
 * scores (a final {@code Softmax} is left to the loss, so the output is its input and the nodes
 * after it go), and a global average pool as the average pool of its whole map (the same numbers;
 * the plan has pooling's backward). Names and weights stay, so checkpoints map back onto the
 * imported graph ({@link GraphWeights}) and export keeps its structure.
 */
public final class TrainableGraph {
    private TrainableGraph() {}

    /** Throws IllegalArgumentException when the graph has several outputs. */
    public static Graph of(Graph imported) {
        if (imported.outputs().size() != 1) {
            throw new IllegalArgumentException(imported.outputs().size() + " outputs; training takes one (the class scores)");
        }
        int output = imported.outputs().get(0);
        if (imported.nodes().get(output) instanceof Node.Softmax s) output = s.input();
        List<Node> nodes = new ArrayList<>();
        for (Node n : imported.nodes().subList(0, output + 1)) nodes.add(n instanceof Node.GlobalAvgPool g ? wholeMapPool(g) : n);
        return new Graph(nodes, List.of(output));
    }

    private static Node wholeMapPool(Node.GlobalAvgPool g) {
        int h = g.in().height(), w = g.in().width();
        return new Node.Pool(g.name(), g.input(), g.in(), g.out(), Pool2d.Mode.AVERAGE, new PoolWindow(h, w, h, w, 0, 0, 0, 0), false);
    }
}
