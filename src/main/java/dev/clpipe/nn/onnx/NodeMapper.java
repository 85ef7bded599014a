package dev.clpipe.nn.onnx;

import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps the ONNX operators of one family onto graph nodes, or refuses a node naming what it cannot
 * map. Each family registers one handler per operator type with {@link #on}.
 */
abstract class NodeMapper {
    /** Maps one node, named {@code name} in the graph. */
    @FunctionalInterface
    interface Handler {
        void map(NodeProto n, String name) throws OnnxFormatException;
    }

    /** The import this mapper adds to. */
    final ImportState s;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    NodeMapper(ImportState s) {
        this.s = s;
    }

    /** Registers {@code handler} for the given operator types. */
    final void on(Handler handler, String... operators) {
        for (String op : operators) handlers.put(op, handler);
    }

    /** The operator types this mapper takes. */
    final Set<String> operators() {
        return handlers.keySet();
    }

    final void map(NodeProto n, String name) throws OnnxFormatException {
        handlers.get(n.getOpType()).map(n, name);
    }
}
