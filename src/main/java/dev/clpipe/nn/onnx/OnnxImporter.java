package dev.clpipe.nn.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.onnx.proto.Onnx.GraphProto;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import dev.clpipe.nn.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .onnx} file (opset 13-17) into an {@link OnnxNetwork}: {@link ModelChecks} checks
 * the model, then each node goes to the {@link NodeMapper} of its operator family (convolutions,
 * dense, activations, pooling, arithmetic, layout); weights are converted from ONNX's OIHW/NCHW
 * order to the graph's HWIO/NHWC once, by the mappers ({@link Layouts}). An operator no mapper
 * takes is refused naming the node and operator ({@link UnsupportedOnnxException}); a malformed
 * file is an {@link OnnxFormatException} naming the file and node.
 */
public final class OnnxImporter {
    public static final int MIN_OPSET = ModelChecks.MIN_OPSET;
    public static final int MAX_OPSET = ModelChecks.MAX_OPSET;

    private final ImportState s;
    private final Map<String, NodeMapper> mappers = new LinkedHashMap<>();

    private OnnxImporter(Path file) {
        this.s = new ImportState(file);
        for (NodeMapper m : List.of(new ConvMapper(s), new DenseMapper(s), new ActivationMapper(s), new PoolMapper(s),
                new ArithmeticMapper(s), new LayoutMapper(s), new ResizeMapper(s))) {
            for (String op : m.operators()) mappers.put(op, m);
        }
    }

    public static OnnxNetwork read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new OnnxFormatException(file + ": no such ONNX file");
        ModelProto model;
        try {
            model = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(file + ": not an ONNX model or truncated (" + e.getMessage() + ")");
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph()) throw new OnnxFormatException(file + ": not an ONNX model (no IR version or no graph)");
        return new OnnxImporter(file).build(model);
    }

    private OnnxNetwork build(ModelProto model) throws OnnxFormatException {
        int opset = ModelChecks.opset(s.file, model);
        GraphProto graph = model.getGraph();
        for (TensorProto t : graph.getInitializerList()) {
            s.where = "initializer '" + t.getName() + "'";
            s.consts.put(t.getName(), s.tensors.decode(t, s.where));
        }
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) s.readers.merge(in, 1, Integer::sum);
            for (String out : n.getOutputList()) s.producers.put(out, n);
        }
        graph.getOutputList().forEach(o -> s.graphOutputs.add(o.getName()));
        String inputName = ModelChecks.declareInput(s, graph);
        List<NodeProto> nodes = graph.getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            s.where = "node '" + s.label(n, i) + "' (" + n.getOpType() + ")";
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) throw s.unsupported(n, "operator domain '" + n.getDomain() + "'");
            if (s.folded.contains(n)) continue;
            NodeMapper m = mappers.get(n.getOpType());
            if (m == null) throw s.unsupported(n, "operator " + n.getOpType());
            m.map(n, s.unique(s.label(n, i)));
        }
        List<Value> outs = new ArrayList<>();
        List<OnnxNetwork.Output> outputs = new ArrayList<>();
        for (ValueInfoProto o : graph.getOutputList()) {
            s.where = "output '" + o.getName() + "'";
            ImportState.Act a = s.acts.get(o.getName());
            if (a == null) throw s.bad("is not computed by any node from the input");
            outs.add(a.value());
            Shape d = a.value().dims();
            outputs.add(new OnnxNetwork.Output(o.getName(), a.rank() == 4 ? new int[] {d.channels(), d.height(), d.width()} : new int[] {d.size()}));
        }
        return new OnnxNetwork(s.file, s.g.build(outs.toArray(Value[]::new)), opset, model.getProducerName() + " " + model.getProducerVersion(),
                inputName, outputs);
    }
}
