package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import java.util.Arrays;

/** Gemm and MatMul on [N, features] activations, as dense layers. */
final class DenseMapper extends NodeMapper {
    DenseMapper(ImportState s) {
        super(s);
        on(this::gemm, "Gemm");
        on(this::matMul, "MatMul");
    }


    void gemm(NodeProto n, String name) throws OnnxFormatException {
        if (s.intAttr(n, "transA", 0) != 0) throw s.unsupported(n, "Gemm with transA=1");
        ImportState.Act x = s.act(n, 0);
        if (x.rank() != 2) throw s.unsupported(n, "Gemm on a rank-" + x.rank() + " input (flatten it first)");
        OnnxTensors.Data b = s.weight(n, 1);
        boolean transB = s.intAttr(n, "transB", 0) != 0;
        float alpha = s.floatAttr(n, "alpha", 1f), beta = s.floatAttr(n, "beta", 1f);
        dense(n, name, x, b, transB, alpha, n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? 2 : -1, beta);
    }

    void matMul(NodeProto n, String name) throws OnnxFormatException {
        ImportState.Act x = s.act(n, 0);
        if (x.rank() != 2) throw s.unsupported(n, "MatMul on a rank-" + x.rank() + " input (flatten it first)");
        dense(n, name, x, s.weight(n, 1), false, 1f, -1, 0f);
    }

    /**
     * y = alpha * x·B (+ beta * C): B {@code [in, out]} or transposed; rows of B follow ONNX's NCHW
     * flattening and are reordered to the graph's NHWC flattening of the input map.
     */
    void dense(NodeProto n, String name, ImportState.Act x, OnnxTensors.Data b, boolean transB, float alpha, int biasInput, float beta)
            throws OnnxFormatException {
        Shape in = x.value().dims();
        if (b.dims().length != 2) throw s.bad("weight '" + b.name() + "' has rank " + b.dims().length + ", expected 2");
        int rows = (int) b.dims()[transB ? 1 : 0], cols = (int) b.dims()[transB ? 0 : 1];
        if (rows != in.size()) throw s.bad("weight '" + b.name() + "' " + Arrays.toString(b.dims()) + " does not take " + in.size() + " input features");
        float[] w = new float[rows * cols];
        int c = in.channels(), hw = in.pixels();
        for (int r = 0; r < rows; r++) {
            int ch = r / hw, p = r % hw, physical = p * c + ch; // NCHW-flat row r is NHWC-flat row `physical`
            for (int o = 0; o < cols; o++) w[physical * cols + o] = alpha * b.values()[transB ? o * rows + r : r * cols + o];
        }
        float[] bias = null;
        if (biasInput >= 0) {
            bias = s.vector(n, biasInput, cols);
            for (int o = 0; o < cols; o++) bias[o] *= beta;
        }
        s.out(n, s.g.dense(name, x.value(), w, bias, cols), 2);
    }
}
