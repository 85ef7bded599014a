package dev.clpipe.nn.onnx;

import dev.clpipe.nn.onnx.proto.Onnx.GraphProto;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.OperatorSetIdProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorShapeProto;
import dev.clpipe.nn.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.List;

/** The model-level checks of an import: the opset range and the one fixed-size NCHW float input. */
final class ModelChecks {
    static final int MIN_OPSET = 13;
    static final int MAX_OPSET = 17;

    private ModelChecks() {}

    static int opset(Path file, ModelProto model) throws OnnxFormatException {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                long v = o.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new OnnxFormatException(file + ": opset " + v + " is out of the supported range " + MIN_OPSET + "-" + MAX_OPSET
                            + " (re-export with e.g. torch.onnx.export(..., opset_version=17))");
                }
                return (int) v;
            }
        }
        throw new OnnxFormatException(file + ": imports no default-domain opset");
    }

    /** The one graph input that is not an initializer: float, [N, C, H, W] with fixed C, H, W. */
    static String declareInput(ImportState s, GraphProto graph) throws OnnxFormatException {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !s.consts.containsKey(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new OnnxFormatException(s.file + ": " + inputs.size() + " graph inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                    + "; clpipe runs models with exactly one image input");
        }
        ValueInfoProto in = inputs.get(0);
        s.where = "input '" + in.getName() + "'";
        if (!in.getType().hasTensorType() || in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw s.bad("is not a float32 tensor");
        }
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4) throw s.bad("has rank " + dims.size() + "; clpipe imports image models with an NCHW input");
        int[] chw = new int[3];
        String[] axes = {"channels", "height", "width"};
        for (int k = 1; k < 4; k++) {
            TensorShapeProto.Dimension d = dims.get(k);
            if (!d.hasDimValue() || d.getDimValue() < 1) {
                throw s.bad("has a dynamic " + axes[k - 1] + " dimension" + (d.hasDimParam() ? " '" + d.getDimParam() + "'" : "")
                        + " that cannot be resolved; export with a fixed input size (only the batch may be dynamic)");
            }
            chw[k - 1] = Math.toIntExact(d.getDimValue());
        }
        s.acts.put(in.getName(), new ImportState.Act(s.g.input(chw[1], chw[2], chw[0]), 4));
        s.names.add("input");
        return in.getName();
    }
}
