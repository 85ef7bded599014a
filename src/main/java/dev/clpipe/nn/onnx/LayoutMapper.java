package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.onnx.proto.Onnx.AttributeProto;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import java.util.Arrays;

/** Constants, zero Pad, and the operators that do not move data: Identity, Dropout (inference), Flatten, Reshape and Transpose where they are layout no-ops. */
final class LayoutMapper extends NodeMapper {
    LayoutMapper(ImportState s) {
        super(s);
        on((n, name) -> constant(n), "Constant");
        on((n, name) -> s.alias(n, s.act(n, 0)), "Identity", "Dropout");
        on(this::pad, "Pad");
        on((n, name) -> flatten(n), "Flatten");
        on((n, name) -> reshape(n), "Reshape");
        on((n, name) -> transpose(n), "Transpose");
    }


    void constant(NodeProto n) throws OnnxFormatException {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("value")) {
                s.consts.put(n.getOutput(0), s.tensors.decode(a.getT(), s.where));
                return;
            }
            if (a.getName().equals("value_float")) {
                s.consts.put(n.getOutput(0), new OnnxTensors.Data(n.getOutput(0), new long[0], new float[] {a.getF()}));
                return;
            }
            if (a.getName().equals("value_ints")) {
                float[] v = new float[a.getIntsCount()];
                for (int i = 0; i < v.length; i++) v[i] = a.getInts(i);
                s.consts.put(n.getOutput(0), new OnnxTensors.Data(n.getOutput(0), new long[] {v.length}, v));
                return;
            }
        }
        throw s.unsupported(n, "Constant without a 'value' tensor");
    }

    void pad(NodeProto n, String name) throws OnnxFormatException {
        String mode = s.stringAttr(n, "mode", "constant");
        if (!mode.equals("constant")) throw s.unsupported(n, "Pad mode '" + mode + "'");
        ImportState.Act x = s.act4(n, 0);
        long[] p = s.consts(n, 1).longs();
        if (p.length != 8) throw s.bad("pads has " + p.length + " values, an NCHW map needs 8");
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty() && s.scalar(n, 2) != 0f) throw s.unsupported(n, "Pad with a non-zero value");
        if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) throw s.unsupported(n, "Pad with axes");
        for (long v : p) if (v < 0) throw s.unsupported(n, "negative pads (cropping)");
        if (p[0] != 0 || p[4] != 0 || p[1] != 0) throw s.unsupported(n, "padding the batch or leading channels " + Arrays.toString(p));
        s.out(n, s.g.zeroPad(name, x.value(), new ZeroPadNhwc.Pads((int) p[2], (int) p[6], (int) p[3], (int) p[7], (int) p[5])), 4);
    }

    void flatten(NodeProto n) throws OnnxFormatException {
        ImportState.Act x = s.act(n, 0);
        long axis = s.intAttr(n, "axis", 1);
        if (axis != 1 && !(x.rank() == 2 && axis == -1)) throw s.unsupported(n, "Flatten with axis " + axis + " (clpipe flattens per sample, axis 1)");
        s.acts.put(n.getOutput(0), new ImportState.Act(x.value(), 2));
    }

    /** Reshape to [N, features] (a flatten) or to the shape it already has. */
    void reshape(NodeProto n) throws OnnxFormatException {
        ImportState.Act x = s.act(n, 0);
        long[] shape = s.consts(n, 1).longs();
        Shape d = x.value().dims();
        long[] now = x.rank() == 4 ? new long[] {d.channels(), d.height(), d.width()} : new long[] {d.size()};
        if (shape.length == 2 && (shape[1] == -1 || shape[1] == d.size()) && shape[0] != -1 || shape.length == 2 && shape[0] == -1 && shape[1] == d.size()) {
            s.acts.put(n.getOutput(0), new ImportState.Act(x.value(), 2));
            return;
        }
        if (shape.length == now.length + 1 && Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), now)) {
            s.alias(n, x);
            return;
        }
        throw s.unsupported(n, "Reshape to " + Arrays.toString(shape) + " from " + (x.rank() == 4 ? "NCHW " : "") + Arrays.toString(now)
                + " (clpipe reshapes only to [N, features] or to the same shape)");
    }

    void transpose(NodeProto n) throws OnnxFormatException {
        ImportState.Act x = s.act(n, 0);
        long[] perm = s.ints(n, "perm", null);
        Shape d = x.value().dims();
        long[] sizes = x.rank() == 4 ? new long[] {1, d.channels(), d.height(), d.width()} : new long[] {1, d.size()};
        if (perm == null) throw s.unsupported(n, "Transpose reversing all axes");
        // A layout no-op when the axes of size > 1 keep their order.
        int last = -1;
        for (long p : perm) {
            if (p < 0 || p >= sizes.length) throw s.bad("perm " + Arrays.toString(perm) + " does not fit rank " + sizes.length);
            if (sizes[(int) p] == 1) continue;
            if (p < last) throw s.unsupported(n, "Transpose " + Arrays.toString(perm) + " that moves data (clpipe accepts layout no-ops only)");
            last = (int) p;
        }
        if (perm[0] != 0) throw s.unsupported(n, "Transpose " + Arrays.toString(perm) + " moving the batch axis");
        s.alias(n, x);
    }
}
