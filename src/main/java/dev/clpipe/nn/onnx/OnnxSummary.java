package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Node;
import java.util.Arrays;

/** The text of {@code clpipe model summary X.onnx}: each graph node's kind, NCHW output shape, weights and FLOPs. */
public final class OnnxSummary {
    private OnnxSummary() {}

    public static String of(OnnxNetwork net) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("model %s (opset %d, from %s)%n", net.file(), net.opset(), net.producer().isBlank() ? "unknown" : net.producer().trim()));
        s.append(String.format("input '%s' N x %s (NCHW, any batch)%n", net.inputName(), shape(net.graph().inputDims())));
        s.append(String.format("%-40s %-14s %-16s %12s %14s%n", "node", "kind", "output (CxHxW)", "weights", "MFLOP/sample"));
        long total = 0;
        for (Node n : net.graph().nodes()) {
            long weights = weights(n);
            total += weights;
            s.append(String.format("%-40s %-14s %-16s %12d %14.2f%n", n.name(), n.getClass().getSimpleName(), shape(n.out()), weights, n.flops() / 1e6));
        }
        for (OnnxNetwork.Output o : net.outputs()) s.append(String.format("output '%s' N x %s%n", o.name(), Arrays.toString(o.shape())));
        s.append(String.format("%d nodes, %d weights, %.1f MFLOP per sample%n", net.graph().nodes().size(), total, net.graph().flopsPerSample() / 1e6));
        return s.toString();
    }

    private static long weights(Node n) {
        if (n instanceof Node.Conv c) return c.weights().length + (c.bias() == null ? 0 : c.bias().length);
        if (n instanceof Node.Dense d) return d.weights().length + (d.bias() == null ? 0 : d.bias().length);
        if (n instanceof Node.Affine a) return 2L * a.mul().length;
        return 0;
    }

    private static String shape(Shape d) {
        return d.channels() + "x" + d.height() + "x" + d.width();
    }
}
