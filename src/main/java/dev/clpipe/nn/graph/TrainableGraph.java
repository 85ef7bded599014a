package dev.clpipe.nn.graph;

import java.util.List;

/**
 * An imported classifier graph in the form {@link TrainingPlan} trains: one output, the class
 * scores (a final {@code Softmax} is left to the loss, so the output is its input and the nodes
 * after it go). Names and weights stay, so checkpoints map back onto the imported graph
 * ({@link GraphWeights}) and export keeps its structure.
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
        return new Graph(imported.nodes().subList(0, output + 1), List.of(output));
    }
}
