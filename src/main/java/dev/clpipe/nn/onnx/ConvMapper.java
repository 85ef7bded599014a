package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.ops.ConvTransposeWindow;
import java.util.Arrays;

/** Conv (grouped, depthwise) with a following BatchNormalization folded in, ConvTranspose (groups 1), and BatchNormalization alone as a per-channel scale. */
final class ConvMapper extends NodeMapper {
    ConvMapper(ImportState s) {
        super(s);
        on(this::conv, "Conv");
        on(this::batchNorm, "BatchNormalization");
        on(this::convTranspose, "ConvTranspose");
    }

    /** ONNX weight {@code [in, out, kh, kw]} becomes {@code [kh][kw][in][out]}; explicit pads, output_padding, strides, dilations. */
    void convTranspose(NodeProto n, String name) throws OnnxFormatException {
        ImportState.Act x = s.act4(n, 0);
        Shape in = x.value().dims();
        OnnxTensors.Data w = s.weight(n, 1);
        if (w.dims().length != 4) throw s.bad("weight '" + w.name() + "' has rank " + w.dims().length + ", a 2-d transposed convolution needs 4");
        if (s.intAttr(n, "group", 1) != 1) throw s.unsupported(n, "ConvTranspose with group " + s.intAttr(n, "group", 1) + " (clpipe: group 1)");
        if (s.attr(n, "output_shape") != null) throw s.unsupported(n, "ConvTranspose with output_shape (give pads and output_padding)");
        String auto = s.stringAttr(n, "auto_pad", "NOTSET");
        if (!auto.equals("NOTSET") && !auto.equals("VALID")) throw s.unsupported(n, "ConvTranspose with auto_pad " + auto + " (give pads)");
        int cin = (int) w.dims()[0], out = (int) w.dims()[1], kh = (int) w.dims()[2], kw = (int) w.dims()[3];
        if (cin != in.channels()) throw s.bad("weight " + Arrays.toString(w.dims()) + " does not fit " + in.channels() + " input channels");
        s.checkKernelShape(n, kh, kw);
        long[] st = pair(n, "strides"), dil = pair(n, "dilations"), op = s.ints(n, "output_padding", new long[] {0, 0});
        long[] p = auto.equals("VALID") ? new long[4] : s.ints(n, "pads", new long[4]);
        if (op.length != 2) throw s.bad("output_padding " + Arrays.toString(op) + " does not describe a 2-d window");
        if (p.length != 4) throw s.bad("pads " + Arrays.toString(p) + " does not describe a 2-d window");
        ConvTransposeWindow window;
        try {
            window = new ConvTransposeWindow(kh, kw, (int) st[0], (int) st[1], (int) dil[0], (int) dil[1], (int) p[0], (int) p[2], (int) p[1], (int) p[3],
                    (int) op[0], (int) op[1]);
        } catch (IllegalArgumentException e) {
            throw s.bad(e.getMessage());
        }
        float[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? s.vector(n, 2, out) : null;
        float[] hwio = new float[w.values().length];
        for (int i = 0; i < cin; i++) for (int o = 0; o < out; o++) for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
            hwio[((ky * kw + kx) * cin + i) * out + o] = w.values()[((i * out + o) * kh + ky) * kw + kx];
        }
        if (window.outH(in.height()) < 1 || window.outW(in.width()) < 1) throw s.bad(window + " leaves no output of a " + in.height() + "x" + in.width() + " map");
        s.out(n, s.g.convTranspose(name, x.value(), hwio, bias, out, window), 4);
    }

    private long[] pair(NodeProto n, String attribute) throws OnnxFormatException {
        long[] v = s.ints(n, attribute, new long[] {1, 1});
        if (v.length != 2 || v[0] < 1 || v[1] < 1) throw s.bad(attribute + " " + Arrays.toString(v) + " does not describe a 2-d window");
        return v;
    }


    void conv(NodeProto n, String name) throws OnnxFormatException {
        ImportState.Act x = s.act4(n, 0);
        Shape in = x.value().dims();
        OnnxTensors.Data w = s.weight(n, 1);
        if (w.dims().length != 4) throw s.bad("weight '" + w.name() + "' has rank " + w.dims().length + ", a 2-d convolution needs 4");
        int out = (int) w.dims()[0], inPerGroup = (int) w.dims()[1], kh = (int) w.dims()[2], kw = (int) w.dims()[3];
        int groups = (int) s.intAttr(n, "group", 1);
        if (groups < 1 || inPerGroup * groups != in.channels()) {
            throw s.bad("weight " + Arrays.toString(w.dims()) + " with group " + groups + " does not fit " + in.channels() + " input channels");
        }
        s.checkKernelShape(n, kh, kw);
        s.requireOnes(n, "dilations");
        int stride = s.squareStride(n);
        float[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? s.vector(n, 2, out) : null;
        float[] hwio = new float[w.values().length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < inPerGroup; i++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        hwio[((ky * kw + kx) * inPerGroup + i) * out + o] = w.values()[((o * inPerGroup + i) * kh + ky) * kw + kx];
                    }
                }
            }
        }
        NodeProto bn = foldableBatchNorm(n);
        if (bn != null) {
            float[][] so = batchNormScaleOffset(bn, out);
            for (int k = 0; k < hwio.length; k++) hwio[k] *= so[0][k % out];
            float[] b = new float[out];
            for (int o = 0; o < out; o++) b[o] = (bias == null ? 0 : bias[o]) * so[0][o] + so[1][o];
            bias = b;
            s.folded.add(bn);
        }
        Padding padding = s.padding(n, in, kh, kw, stride);
        Value y = s.g.conv(name, x.value(), hwio, bias, kh, kw, out, stride, padding, groups);
        s.out(n, y, 4);
        if (bn != null) s.acts.put(bn.getOutput(0), new ImportState.Act(y, 4));
    }

    /** The BatchNormalization that is the only reader of this convolution's output, if any. */
    NodeProto foldableBatchNorm(NodeProto conv) {
        String y = conv.getOutput(0);
        if (s.readers.getOrDefault(y, 0) != 1 || s.graphOutputs.contains(y)) return null;
        for (NodeProto p : s.producers.values()) {
            if (p.getOpType().equals("BatchNormalization") && p.getInput(0).equals(y) && p.getOutputCount() == 1
                    && p.getInputList().subList(1, p.getInputCount()).stream().allMatch(s.consts::containsKey)) {
                return p;
            }
        }
        return null;
    }

    /** Per-channel {scale, offset} of an inference batch norm: scale = gamma / sqrt(var + eps), offset = beta - mean * scale. */
    float[][] batchNormScaleOffset(NodeProto n, int channels) throws OnnxFormatException {
        if (n.getInputCount() != 5) throw s.bad("BatchNormalization needs 5 inputs (X, scale, B, mean, var), has " + n.getInputCount());
        if (s.intAttr(n, "training_mode", 0) != 0) throw s.unsupported(n, "BatchNormalization in training mode");
        float eps = s.floatAttr(n, "epsilon", 1e-5f);
        float[] gamma = s.vector(n, 1, channels), beta = s.vector(n, 2, channels), mean = s.vector(n, 3, channels), var = s.vector(n, 4, channels);
        float[] scale = new float[channels], offset = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (gamma[c] / Math.sqrt((double) var[c] + eps));
            offset[c] = beta[c] - mean[c] * scale[c];
        }
        return new float[][] {scale, offset};
    }

    void batchNorm(NodeProto n, String name) throws OnnxFormatException {
        ImportState.Act x = s.act(n, 0);
        float[][] so = batchNormScaleOffset(n, x.value().dims().channels());
        s.out(n, s.g.scaleOffset(name, x.value(), so[0], so[1]), x.rank());
    }
}
