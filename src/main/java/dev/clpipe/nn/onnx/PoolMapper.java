package dev.clpipe.nn.onnx;

import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.ops.Pool2d;
import java.util.Arrays;

/** MaxPool, AveragePool and GlobalAveragePool on NCHW maps. */
final class PoolMapper extends NodeMapper {
    PoolMapper(ImportState s) {
        super(s);
        on(this::pool, "MaxPool", "AveragePool");
        on((n, name) -> s.out(n, s.g.globalAvgPool(name, s.act4(n, 0).value()), 4), "GlobalAveragePool");
    }


    void pool(NodeProto n, String name) throws OnnxFormatException {
        ImportState.Act x = s.act4(n, 0);
        long[] k = s.ints(n, "kernel_shape", null);
        if (k == null || k.length != 2 || k[0] < 1 || k[1] < 1) throw s.unsupported(n, "pooling window " + Arrays.toString(k) + " (clpipe pools 2-d windows)");
        if (s.intAttr(n, "ceil_mode", 0) != 0) throw s.unsupported(n, "ceil_mode=1");
        s.requireOnes(n, "dilations");
        long[] st = s.ints(n, "strides", new long[] {1, 1});
        if (st.length != 2 || st[0] < 1 || st[1] < 1) throw s.bad("strides " + Arrays.toString(st) + " do not describe a 2-d window");
        int kh = (int) k[0], kw = (int) k[1], sh = (int) st[0], sw = (int) st[1];
        Padding padding = s.padding(n, x.value().dims(), kh, kw, sh, sw);
        boolean max = n.getOpType().equals("MaxPool");
        if (max && n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) throw s.unsupported(n, "MaxPool's Indices output");
        if (!max && s.intAttr(n, "count_include_pad", 0) != 0 && (padding.top() + padding.bottom() + padding.left() + padding.right() > 0)) {
            throw s.unsupported(n, "AveragePool with count_include_pad=1 and padding (clpipe averages over real pixels only)");
        }
        s.out(n, s.g.pool(name, x.value(), max ? Pool2d.Mode.MAX : Pool2d.Mode.AVERAGE, kh, kw, sh, sw, padding), 4);
    }
}
