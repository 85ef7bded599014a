package dev.clpipe.nn.onnx;

import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import java.util.List;

/** Maps the ONNX operators of one family onto graph nodes, or refuses a node naming what it cannot map. */
interface NodeMapper {
    /** The operator types this mapper takes. */
    List<String> operators();

    void map(NodeProto n, String name) throws OnnxFormatException;
}
