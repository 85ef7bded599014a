package dev.clpipe.nn.onnx;

import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import java.util.List;

/** Maps the ONNX operators of one family onto graph nodes, or refuses a node naming what it cannot map. */
abstract class NodeMapper {
    /** The import this mapper adds to. */
    final ImportState s;
    private final List<String> operators;

    NodeMapper(ImportState s, String... operators) {
        this.s = s;
        this.operators = List.of(operators);
    }

    /** The operator types this mapper takes. */
    final List<String> operators() {
        return operators;
    }

    abstract void map(NodeProto n, String name) throws OnnxFormatException;
}
