package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import java.util.Arrays;

/** Combining activations: Add (residual), Concat on channels; and Add/Sub/Mul/Div of an activation and a scalar or per-channel constant. */
final class ArithmeticMapper extends NodeMapper {
    ArithmeticMapper(ImportState s) {
        super(s);
        on(this::arithmetic, "Add", "Sub", "Mul", "Div");
        on(this::concat, "Concat");
    }


    /** Add of two activations (residual); Add/Sub/Mul/Div of an activation and a per-channel or scalar constant. */
    /** Concat of activations on the channel axis of NCHW maps (axis 1 or -3), or of [N, F] features (axis 1 or -1). */
    void concat(NodeProto n, String name) throws OnnxFormatException {
        if (n.getInputCount() < 2) {
            s.alias(n, s.act(n, 0));
            return;
        }
        long axis = s.intAttr(n, "axis", Long.MIN_VALUE);
        if (axis == Long.MIN_VALUE) throw s.bad("Concat without the required 'axis' attribute");
        if (n.getInputList().stream().allMatch(s.consts::containsKey)) {
            concatConstants(n);
            return;
        }
        Value[] xs = new Value[n.getInputCount()];
        int rank = s.act(n, 0).rank();
        for (int i = 0; i < xs.length; i++) {
            ImportState.Act a = s.act(n, i);
            if (a.rank() != rank) throw s.unsupported(n, "Concat of rank-" + rank + " and rank-" + a.rank() + " inputs");
            if (rank == 2 && a.value().dims().pixels() != 1) throw s.unsupported(n, "Concat of flattened maps (concatenate the maps before flattening)");
            xs[i] = a.value();
        }
        boolean channels = rank == 4 ? axis == 1 || axis == -3 : axis == 1 || axis == -1;
        if (!channels) throw s.unsupported(n, "Concat on axis " + axis + " of rank-" + rank + " inputs (clpipe concatenates channels)");
        s.out(n, s.g.concat(name, xs), rank);
    }

    /** Concat of 1-d constants (shape arithmetic, e.g. the sizes of a Resize). */
    private void concatConstants(NodeProto n) throws OnnxFormatException {
        int total = 0;
        for (int i = 0; i < n.getInputCount(); i++) {
            if (s.consts(n, i).dims().length != 1) throw s.unsupported(n, "Concat of constants of rank " + s.consts(n, i).dims().length);
            total += (int) s.consts(n, i).count();
        }
        float[] out = new float[total];
        int at = 0;
        for (int i = 0; i < n.getInputCount(); i++) {
            float[] v = s.consts(n, i).values();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        s.consts.put(n.getOutput(0), new OnnxTensors.Data(n.getOutput(0), new long[] {total}, out));
    }

    void arithmetic(NodeProto n, String name) throws OnnxFormatException {
        String op = n.getOpType();
        boolean c0 = s.consts.containsKey(n.getInput(0)), c1 = s.consts.containsKey(n.getInput(1));
        if (!c0 && !c1) {
            ImportState.Act a = s.act(n, 0), b = s.act(n, 1);
            if (!op.equals("Add")) throw s.unsupported(n, op + " of two activations");
            if (a.rank() != b.rank() || !a.value().dims().equals(b.value().dims())) {
                throw s.unsupported(n, "Add of " + a.value().dims() + " and " + b.value().dims() + " (broadcasting between activations)");
            }
            s.out(n, s.g.add(name, a.value(), b.value()), a.rank());
            return;
        }
        if (c0 && c1) throw s.unsupported(n, op + " of two constants (fold constants before export)");
        if (c0 && (op.equals("Sub") || op.equals("Div"))) throw s.unsupported(n, "constant " + op + " activation");
        ImportState.Act x = s.act(n, c0 ? 1 : 0);
        int channels = x.value().dims().channels();
        float[] v = perChannel(n, c0 ? 0 : 1, x);
        float[] sub = new float[channels], mul = new float[channels], add = new float[channels];
        Arrays.fill(mul, 1f);
        for (int ch = 0; ch < channels; ch++) {
            switch (op) {
                case "Add" -> add[ch] = v[ch];
                case "Sub" -> sub[ch] = v[ch];
                case "Mul" -> mul[ch] = v[ch];
                default -> mul[ch] = 1f / v[ch];
            }
        }
        s.out(n, s.g.affine(name, x.value(), sub, mul, add), x.rank());
    }

    /** A constant broadcast per channel of {@code x}: a scalar, {@code [C]}/{@code [1,C]} on [N, C], {@code [C,1,1]}/{@code [1,C,1,1]} on NCHW. */
    float[] perChannel(NodeProto n, int input, ImportState.Act x) throws OnnxFormatException {
        OnnxTensors.Data c = s.consts.get(n.getInput(input));
        Shape d = x.value().dims();
        int channels = d.channels();
        float[] v = new float[channels];
        if (c.count() == 1) {
            Arrays.fill(v, c.values()[0]);
            return v;
        }
        long[] dims = c.dims();
        boolean fits = c.count() == channels && (x.rank() == 4
                ? dims.length >= 3 && dims[dims.length - 1] == 1 && dims[dims.length - 2] == 1
                : d.pixels() == 1 && dims[dims.length - 1] == channels);
        if (!fits) throw s.unsupported(n, n.getOpType() + " by a constant of shape " + Arrays.toString(dims) + " (clpipe broadcasts scalars and per-channel constants)");
        return c.values().clone();
    }
}
