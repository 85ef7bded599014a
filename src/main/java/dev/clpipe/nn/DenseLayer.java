package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.ColumnSums;
import dev.clpipe.nn.ops.Gemm;
import dev.clpipe.nn.ops.GemmShape;
import java.util.List;

/**
 * Fully connected layer y = x W^T + b on [N, in] rows (a spatial input is read flat, HWC order);
 * W is [out, in] as in PyTorch. Backward: dW = dy^T x, dx = dy W, db = column sums of dy.
 */
final class DenseLayer implements Layer {
    private final LayerSpec.Dense spec;
    private final int batch;
    private final int in;
    private final Gemm gemm;
    private final ColumnSums columnSums;
    private final Param weight;
    private final Param bias;

    DenseLayer(ClContext context, LayerSpec.Dense spec, Shape input, int batch) {
        this.spec = spec;
        this.batch = batch;
        this.in = input.size();
        this.gemm = Gemm.create(context);
        this.columnSums = new ColumnSums(context);
        this.weight = new Param(context, spec.name() + ".weight", new int[] {spec.units(), in}, in, Param.Fill.HE_UNIFORM, true);
        this.bias = new Param(context, spec.name() + ".bias", new int[] {spec.units()}, in, Param.Fill.ZEROS, true);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        gemm.run(GemmShape.of(batch, spec.units(), in, false, true), x, weight.value(), y, bias.value());
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        gemm.run(GemmShape.of(spec.units(), in, batch, true, false), dy, x, weight.grad());
        columnSums.run(dy, bias.grad(), batch, spec.units());
        if (dx != null) gemm.run(GemmShape.of(batch, in, spec.units(), false, false), dy, weight.value(), dx);
    }

    @Override
    public void close() {
        gemm.close();
        columnSums.close();
        weight.close();
        bias.close();
    }
}
