package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import java.util.Arrays;

/** Conv (grouped, depthwise) with a following BatchNormalization folded in, and BatchNormalization alone as a per-channel scale. */
final class ConvMapper extends NodeMapper {
    ConvMapper(ImportState s) {
        super(s);
        on(this::conv, "Conv");
        on(this::batchNorm, "BatchNormalization");
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
