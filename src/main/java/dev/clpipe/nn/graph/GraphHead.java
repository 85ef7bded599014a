package dev.clpipe.nn.graph;

import dev.clpipe.nn.Init;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Transfer learning on any graph: the nodes up to and including {@code cut} (the backbone, kept
 * with its weights) and a new dense head of {@code classes} outputs reading the cut's activation
 * flattened, He-uniform from the seed as a fresh model's layer (bias zero). Train it with the
 * backbone frozen ({@link #backboneNodes}).
 *
 * @param cut name of the backbone's last node
 * @param classes the head's outputs
 */
public record GraphHead(String cut, int classes) {
    /** The head node's name; its tensors are {@code head.weight} and {@code head.bias}. */
    public static final String NAME = "head";

    public GraphHead {
        if (classes < 1) throw new IllegalArgumentException("a head needs at least one class, got " + classes);
    }

    /** Throws IllegalArgumentException when the graph has no node {@link #cut} or it is the input. */
    public Graph attach(Graph backbone, long seed) {
        int k = backboneNodes(backbone);
        for (Node n : backbone.nodes().subList(0, k + 1)) {
            if (n.name().equals(NAME)) throw new IllegalArgumentException("the graph already has a node named '" + NAME + "' before the cut");
        }
        Shape in = backbone.nodes().get(k).out();
        int inputs = in.size();
        float[] w = Init.values(Param.Fill.HE_UNIFORM, NAME + ".weight", inputs * classes, inputs, seed); // [out, in] as the plan holds it
        List<Node> nodes = new ArrayList<>(backbone.nodes().subList(0, k + 1));
        nodes.add(new Node.Dense(NAME, k, in, new Shape(1, 1, classes), SpecGraph.transpose(w, classes, inputs), new float[classes]));
        return new Graph(nodes, List.of(k + 1));
    }

    /** Index of the cut node: nodes 1..it are the backbone (freeze that many layers). */
    public int backboneNodes(Graph backbone) {
        int k;
        try {
            k = backbone.indexOf(cut);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no node named '" + cut + "' to cut at (see 'clpipe model summary' for the names)");
        }
        if (k == 0) throw new IllegalArgumentException("cut at the input leaves no backbone; name a node after it");
        return k;
    }
}
