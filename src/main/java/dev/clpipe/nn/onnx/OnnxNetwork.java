package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An imported ONNX model: the clpipe {@link Graph} (NHWC inside) and the NCHW shapes ONNX speaks
 * at its edges. {@link #toGraphInput} and {@link #fromGraphOutput} convert between the two, so a
 * user's NCHW tensor goes in and the model's own output layout comes out.
 */
public record OnnxNetwork(Path file, Graph graph, int opset, String producer, String inputName, List<Output> outputs) {
    /** One graph output: its ONNX name and per-sample shape ({@code [C, H, W]} or {@code [K]}). */
    public record Output(String name, int[] shape) {
        public Output {
            shape = shape.clone();
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape);
        }
    }

    public OnnxNetwork {
        outputs = List.copyOf(outputs);
    }

    /** The per-sample input shape {@code [C, H, W]}. */
    public int[] inputShape() {
        Shape d = graph.inputDims();
        return new int[] {d.channels(), d.height(), d.width()};
    }

    /** {@code batch} NCHW samples as the graph's NHWC input. */
    public float[] toGraphInput(float[] nchw, int batch) {
        Shape d = graph.inputDims();
        if (nchw.length != (long) batch * d.size()) {
            throw new IllegalArgumentException(nchw.length + " values; " + batch + " samples of " + Arrays.toString(inputShape()) + " need " + (long) batch * d.size());
        }
        return Layouts.nchwToNhwc(nchw, batch, d.channels(), d.height(), d.width());
    }

    /** Output {@code k} of the graph (NHWC) in the ONNX model's own layout (NCHW, or NCHW-flattened). */
    public float[] fromGraphOutput(int k, float[] nhwc, int batch) {
        Shape d = graph.outputDims(k);
        return Layouts.nhwcToNchw(nhwc, batch, d.height(), d.width(), d.channels());
    }
}
