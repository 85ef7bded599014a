package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.ops.Upsample;
import java.util.Arrays;

/**
 * Resize in the two forms {@code torch.onnx} gives {@code nn.Upsample}/{@code F.interpolate}:
 * nearest (asymmetric coordinates, floor) and linear (half-pixel, align_corners=False), with
 * constant scales or sizes; and the shape arithmetic torch writes for a {@code size=} argument
 * (Shape of a map, Slice of it, Concat with the constant size), evaluated at import with the
 * batch left open (-1).
 */
final class ResizeMapper extends NodeMapper {
    /** Stands for the batch size in a Shape result: the graph's batch is chosen at run time. */
    static final float BATCH = -1;

    ResizeMapper(ImportState s) {
        super(s);
        on(this::resize, "Resize");
        on((n, name) -> shape(n), "Shape");
        on((n, name) -> slice(n), "Slice");
    }

    void resize(NodeProto n, String name) throws OnnxFormatException {
        ImportState.Act x = s.act4(n, 0);
        Shape in = x.value().dims();
        String mode = s.stringAttr(n, "mode", "nearest");
        String coords = s.stringAttr(n, "coordinate_transformation_mode", "half_pixel");
        Upsample.Mode m;
        if (mode.equals("nearest")) {
            String rounding = s.stringAttr(n, "nearest_mode", "round_prefer_floor");
            if (!coords.equals("asymmetric") || !rounding.equals("floor")) {
                throw s.unsupported(n, "nearest Resize with coordinate_transformation_mode '" + coords + "' and nearest_mode '" + rounding
                        + "' (clpipe resizes nearest as PyTorch does: asymmetric, floor)");
            }
            m = Upsample.Mode.NEAREST;
        } else if (mode.equals("linear")) {
            if (!coords.equals("half_pixel") && !coords.equals("pytorch_half_pixel")) {
                throw s.unsupported(n, "linear Resize with coordinate_transformation_mode '" + coords + "' (clpipe: half_pixel, align_corners=False)");
            }
            m = Upsample.Mode.BILINEAR;
        } else {
            throw s.unsupported(n, "Resize mode '" + mode + "' (clpipe: nearest, linear)");
        }
        boolean hasScales = n.getInputCount() > 2 && !n.getInput(2).isEmpty() && s.consts(n, 2).count() > 0;
        boolean hasSizes = n.getInputCount() > 3 && !n.getInput(3).isEmpty();
        if (hasScales == hasSizes) throw s.bad("Resize needs exactly one of scales and sizes");
        int oh, ow;
        float stepH, stepW;
        if (hasScales) {
            float[] sc = s.consts(n, 2).values();
            if (sc.length != 4) throw s.bad("scales has " + sc.length + " values, an NCHW map needs 4");
            if (sc[0] != 1 || sc[1] != 1) throw s.unsupported(n, "Resize scaling the batch or channels " + Arrays.toString(sc));
            if (!(sc[2] > 0) || !(sc[3] > 0)) throw s.bad("scales " + Arrays.toString(sc) + " are not positive");
            oh = (int) Math.floor(in.height() * (double) sc[2]);
            ow = (int) Math.floor(in.width() * (double) sc[3]);
            stepH = (float) (1.0 / sc[2]); // ONNX: x_original = x_resized / scale
            stepW = (float) (1.0 / sc[3]);
        } else {
            long[] sz = s.consts(n, 3).longs();
            if (sz.length != 4) throw s.bad("sizes has " + sz.length + " values, an NCHW map needs 4");
            if (sz[0] != BATCH && sz[0] != 0 && sz[0] < 1 || sz[1] != BATCH && sz[1] != in.channels()) {
                throw s.unsupported(n, "Resize changing the batch or channels " + Arrays.toString(sz));
            }
            oh = (int) sz[2];
            ow = (int) sz[3];
            stepH = Upsample.scale(in.height(), Math.max(oh, 1));
            stepW = Upsample.scale(in.width(), Math.max(ow, 1));
        }
        if (oh < 1 || ow < 1) throw s.bad("Resize of " + in.height() + "x" + in.width() + " gives an empty " + oh + "x" + ow + " map");
        if (m == Upsample.Mode.BILINEAR && coords.equals("pytorch_half_pixel") && (oh == 1 || ow == 1)) {
            throw s.unsupported(n, "pytorch_half_pixel Resize to a size of 1");
        }
        s.out(n, s.g.resize(name, x.value(), m, oh, ow, stepH, stepW), 4);
    }

    /** Shape of a map: the constant [batch, C, H, W] with the batch open. */
    void shape(NodeProto n) throws OnnxFormatException {
        ImportState.Act x = s.act(n, 0);
        Shape d = x.value().dims();
        float[] v = x.rank() == 4 ? new float[] {BATCH, d.channels(), d.height(), d.width()} : new float[] {BATCH, d.size()};
        long start = s.intAttr(n, "start", 0), end = s.intAttr(n, "end", v.length);
        int from = (int) (start < 0 ? start + v.length : start), to = (int) Math.min(end < 0 ? end + v.length : end, v.length);
        float[] part = Arrays.copyOfRange(v, Math.max(0, from), Math.max(Math.max(0, from), to));
        s.consts.put(n.getOutput(0), new OnnxTensors.Data(n.getOutput(0), new long[] {part.length}, part));
    }

    /** Slice of a 1-D constant (a shape), axis 0, step 1 or more. */
    void slice(NodeProto n) throws OnnxFormatException {
        float[] v = s.consts(n, 0).values();
        if (s.consts(n, 0).dims().length != 1) throw s.unsupported(n, "Slice of a constant of rank " + s.consts(n, 0).dims().length);
        long start = s.consts(n, 1).longs()[0], end = s.consts(n, 2).longs()[0];
        if (n.getInputCount() > 3 && !n.getInput(3).isEmpty() && s.consts(n, 3).longs()[0] != 0 && s.consts(n, 3).longs()[0] != -1) {
            throw s.bad("Slice axis " + s.consts(n, 3).longs()[0] + " of a 1-d constant");
        }
        long step = n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? s.consts(n, 4).longs()[0] : 1;
        if (step < 1) throw s.unsupported(n, "Slice with step " + step);
        int len = v.length;
        int from = (int) Math.max(0, Math.min(start < 0 ? start + len : start, len));
        int to = (int) Math.max(0, Math.min(end < 0 ? end + len : end, len));
        float[] out = new float[Math.max(0, (to - from + (int) step - 1) / (int) step)];
        for (int i = 0; i < out.length; i++) out[i] = v[from + i * (int) step];
        s.consts.put(n.getOutput(0), new OnnxTensors.Data(n.getOutput(0), new long[] {out.length}, out));
    }
}
