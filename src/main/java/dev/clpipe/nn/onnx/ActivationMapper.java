package dev.clpipe.nn.onnx;

import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.ops.Activation;

/** Activations: Relu, LeakyRelu, Sigmoid, Tanh, HardSigmoid (beta 0.5), HardSwish, Clip to [0, 6] or [0, inf), and Softmax over channels or features. */
final class ActivationMapper extends NodeMapper {
    ActivationMapper(ImportState s) {
        super(s);
        on((n, name) -> s.out(n, s.g.relu(name, s.act(n, 0).value()), s.act(n, 0).rank()), "Relu");
        on((n, name) -> s.out(n, s.g.leakyRelu(name, s.act(n, 0).value(), s.floatAttr(n, "alpha", 0.01f)), s.act(n, 0).rank()), "LeakyRelu");
        on((n, name) -> s.out(n, s.g.activation(name, s.act(n, 0).value(), Activation.Kind.SIGMOID, 0), s.act(n, 0).rank()), "Sigmoid");
        on((n, name) -> s.out(n, s.g.activation(name, s.act(n, 0).value(), Activation.Kind.TANH, 0), s.act(n, 0).rank()), "Tanh");
        on(this::hardSigmoid, "HardSigmoid");
        on((n, name) -> s.out(n, s.g.activation(name, s.act(n, 0).value(), Activation.Kind.HARD_SWISH, 0), s.act(n, 0).rank()), "HardSwish");
        on(this::softmax, "Softmax");
        on(this::clip, "Clip");
    }


    void hardSigmoid(NodeProto n, String name) throws OnnxFormatException {
        float alpha = s.floatAttr(n, "alpha", 0.2f), beta = s.floatAttr(n, "beta", 0.5f);
        if (beta != 0.5f) throw s.unsupported(n, "HardSigmoid with beta " + beta + " (clpipe runs beta 0.5: PyTorch's and ONNX's default)");
        ImportState.Act x = s.act(n, 0);
        s.out(n, s.g.activation(name, x.value(), Activation.Kind.HARD_SIGMOID, alpha), x.rank());
    }

    /** Softmax over the channels of an NCHW map (axis 1) or the features of [N, F] (axis 1 or -1; opset 13 default -1). */
    void softmax(NodeProto n, String name) throws OnnxFormatException {
        ImportState.Act x = s.act(n, 0);
        long axis = s.intAttr(n, "axis", -1);
        boolean channels = x.rank() == 4 ? axis == 1 || axis == -3 : (axis == 1 || axis == -1) && x.value().dims().pixels() == 1;
        if (!channels) {
            throw s.unsupported(n, "Softmax on axis " + axis + " of a rank-" + x.rank() + " input (clpipe takes softmax over channels or features)");
        }
        s.out(n, s.g.softmax(name, x.value()), x.rank());
    }

    void clip(NodeProto n, String name) throws OnnxFormatException {
        float lo = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? s.scalar(n, 1) : Float.NEGATIVE_INFINITY;
        float hi = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? s.scalar(n, 2) : Float.POSITIVE_INFINITY;
        ImportState.Act x = s.act(n, 0);
        if (lo == 0f && hi == 6f) s.out(n, s.g.relu6(name, x.value()), x.rank());
        else if (lo == 0f && hi == Float.POSITIVE_INFINITY) s.out(n, s.g.relu(name, x.value()), x.rank());
        else throw s.unsupported(n, "Clip to [" + lo + ", " + hi + "] (clpipe runs Clip to [0, 6] and [0, inf))");
    }
}
