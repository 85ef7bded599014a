package dev.clpipe.nn;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.Node;

/**
 * What a train or evaluate stage trains or scores: a zoo model (a {@link ModelSpec}; weights from
 * the seed or a checkpoint) or any {@link Graph} (an import; its own weights are the start), with
 * its first layers fixed when it is a backbone under a new head.
 */
public sealed interface TrainableModel {
    String name();

    /** One sample's input. */
    Shape input();

    /** One sample's output (the class scores). */
    Shape output();

    long parameterCount();

    /** Names of the first and last layers (error messages). */
    String firstLayer();

    String lastLayer();

    /** A network of the model on {@code context} (for a zoo model initialised from {@code seed}), frozen as the model says. */
    Network network(ClContext context, int batch, long seed);

    /** Top-level layers that stay fixed in training. */
    int frozenLayers();

    static TrainableModel of(ModelSpec spec) {
        return new Zoo(spec);
    }

    record Zoo(ModelSpec spec) implements TrainableModel {
        public String name() {
            return spec.name();
        }

        public Shape input() {
            return spec.input();
        }

        public Shape output() {
            return spec.output();
        }

        public long parameterCount() {
            return spec.parameterCount();
        }

        public String firstLayer() {
            return spec.layers().get(0).name();
        }

        public String lastLayer() {
            return spec.layers().get(spec.layers().size() - 1).name();
        }

        public Network network(ClContext context, int batch, long seed) {
            return new Network(context, spec, batch, seed);
        }

        public int frozenLayers() {
            return 0;
        }
    }

    /**
     * A graph in training form ({@link dev.clpipe.nn.graph.TrainableGraph}) whose nodes 1..{@code frozenLayers}
     * stay fixed (0: everything trains).
     */
    record Imported(String name, Graph graph, int frozenLayers) implements TrainableModel {
        public Shape input() {
            return graph.inputDims();
        }

        public Shape output() {
            return graph.outputDims(0);
        }

        public long parameterCount() {
            long total = 0;
            for (Node n : graph.nodes()) {
                if (n instanceof Node.Conv c) total += c.weights().length + c.out().channels();
                else if (n instanceof Node.Dense d) total += d.weights().length + d.out().channels();
                else if (n instanceof Node.BatchNorm b) total += 2L * b.out().channels();
            }
            return total;
        }

        public String firstLayer() {
            return graph.nodes().get(1).name();
        }

        public String lastLayer() {
            return graph.nodes().get(graph.outputs().get(0)).name();
        }

        public Network network(ClContext context, int batch, long seed) {
            Network net = Network.ofGraph(context, name, graph, batch, seed);
            try {
                net.freeze(frozenLayers);
                return net;
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
        }
    }
}
