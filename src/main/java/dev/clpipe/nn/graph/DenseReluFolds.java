package dev.clpipe.nn.graph;

import dev.clpipe.nn.ops.Activation;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Which ReLU nodes a {@link TrainingPlan} runs inside the GEMMs of the dense layers around them (fewer launches per
 * step, the same floats; {@code Gemm.runRelu}, {@code Gemm.runGated}):
 * <ul>
 * <li>forward: a ReLU that reads a dense layer read by nothing else (not an output, not tapped) is that layer's GEMM
 * epilogue; the two nodes share one activation buffer, so {@link TrainingPlan#value} of the dense node is the ReLU's
 * output;</li>
 * <li>backward: a ReLU (not an output, not tapped) read only by one dense layer gets its input gradient from that
 * layer's dX GEMM, gated by the ReLU's output there; the ReLU's gradient buffer and its input's are then one
 * ({@link TrainingPlan#gradient} of the ReLU is the gradient of its input).</li>
 * </ul>
 * Each fold stands alone: the ReLU keeps whichever half is not folded.
 */
final class DenseReluFolds {
    /** Per node: for a ReLU folded forward, the dense node it reads; else -1. */
    private final int[] forwardInto;
    /** Per node: whether a ReLU's backward is its dense reader's gated dX. */
    private final boolean[] gatedBackward;
    /** Per node: whether a dense node's dX is gated (it reads a ReLU folded backward). */
    private final boolean[] gatesDx;

    private DenseReluFolds(int n) {
        forwardInto = new int[n];
        Arrays.fill(forwardInto, -1);
        gatedBackward = new boolean[n];
        gatesDx = new boolean[n];
    }

    /** No folds: every ReLU of an {@code n}-node graph runs as its own launches. */
    static DenseReluFolds none(int n) {
        return new DenseReluFolds(n);
    }

    /**
     * The folds of {@code graph} trained towards {@code output} with extra gradients into {@code taps}; ReLUs folded
     * into a max pool ({@code intoPool[node] > 0}, {@link ReluFolds}) are left to that fold.
     */
    static DenseReluFolds of(Graph graph, int output, Collection<Integer> taps, int[] intoPool) {
        List<Node> nodes = graph.nodes();
        DenseReluFolds folds = new DenseReluFolds(nodes.size());
        List<List<Integer>> readers = graph.readers();
        for (int r = 0; r < nodes.size(); r++) {
            if (!(nodes.get(r) instanceof Node.Act a) || a.kind() != Activation.Kind.RELU) continue;
            if (r == output || taps.contains(r) || graph.outputs().contains(r) || intoPool[r] > 0) continue;
            int d = a.input();
            if (nodes.get(d) instanceof Node.Dense && d != output && !taps.contains(d) && !graph.outputs().contains(d)
                    && readers.get(d).equals(List.of(r))) {
                folds.forwardInto[r] = d;
            }
            List<Integer> rs = readers.get(r);
            if (rs.size() == 1 && nodes.get(rs.get(0)) instanceof Node.Dense) {
                folds.gatedBackward[r] = true;
                folds.gatesDx[rs.get(0)] = true;
            }
        }
        return folds;
    }

    /** For a ReLU whose forward is a dense layer's epilogue, that dense node; else -1. */
    int forwardInto(int node) {
        return forwardInto[node];
    }

    /** Whether dense node {@code node} applies the ReLU after it in its forward GEMM. */
    boolean reluOut(int node) {
        for (int d : forwardInto) if (d == node) return true;
        return false;
    }

    /** Whether ReLU node {@code node}'s backward is done by its dense reader (its gradient passes through unchanged). */
    boolean gatedBackward(int node) {
        return gatedBackward[node];
    }

    /** Whether dense node {@code node} gates its input gradient by its input's sign (it reads a ReLU folded backward). */
    boolean gatesDx(int node) {
        return gatesDx[node];
    }

    /** The step of a ReLU with a folded half (the other half runs as before), or null for any other node. */
    PlanStep reluStep(PlanParts parts, int node, Node.Act a, NodeBuffers b) {
        boolean forward = forwardInto[node] >= 0, backward = gatedBackward[node];
        if (!forward && !backward) return null;
        if (forward && backward) return PlanStep.NONE;
        PlanStep relu = PointwiseSteps.activation(parts, a, b);
        return new PlanStep() {
            public void forward(boolean training, long step) {
                if (!forward) relu.forward(training, step);
            }

            public void backward(long step) {
                if (!backward) relu.backward(step);
            }
        };
    }
}
