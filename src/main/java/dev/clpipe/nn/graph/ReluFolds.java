package dev.clpipe.nn.graph;

import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Pool2d;
import java.util.Collection;
import java.util.List;

/**
 * Which ReLU nodes a plan folds into the max pool after them: a ReLU read by exactly one node,
 * once, that node a max pool, and the ReLU neither a graph output nor in {@code kept} (tapped or
 * otherwise read by name). max and ReLU commute exactly in float, so the pool computes
 * max(0, window max) from the ReLU's input instead.
 */
final class ReluFolds {
    private ReluFolds() {}

    /** Per node, the index of the pool it is folded into (always > 0), else 0. */
    static int[] find(Graph graph, Collection<Integer> kept) {
        List<Node> nodes = graph.nodes();
        List<List<Integer>> readers = graph.readers();
        int[] into = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            boolean relu = nodes.get(i) instanceof Node.Act a && a.kind() == Activation.Kind.RELU;
            List<Integer> r = readers.get(i);
            boolean intoMaxPool = r.size() == 1 && nodes.get(r.get(0)) instanceof Node.Pool p && p.mode() == Pool2d.Mode.MAX;
            if (relu && intoMaxPool && !graph.outputs().contains(i) && !kept.contains(i)) into[i] = r.get(0);
        }
        return into;
    }
}
