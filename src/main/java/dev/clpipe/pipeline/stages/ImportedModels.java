package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphHead;
import dev.clpipe.nn.graph.GraphWeights;
import dev.clpipe.nn.graph.TrainableGraph;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.nn.onnx.UnsupportedOnnxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An imported ONNX graph as a model to train, score or export: its training form
 * ({@link TrainableGraph}) with the file's weights, optionally cut at a node under a new head
 * ({@code head: {cut: NODE, classes: K}}: the backbone up to the cut stays frozen). A training
 * stage records the head in its checkpoints ({@link #HEAD_KEY}), so the import and a checkpoint
 * give the fine-tuned graph again ({@link #trained}).
 */
public final class ImportedModels {
    /** The index.json key of a checkpoint of a graph under a new head: {cut, classes}. */
    static final String HEAD_KEY = "graph_head";

    private ImportedModels() {}

    /** The stage's {@code head:} section, if any. */
    static Optional<GraphHead> head(ConfigSection s) {
        return s.describe("head", "an imported graph (.onnx) under a new head: {cut: NODE (the backbone's last node, kept frozen), classes: K}")
                .optionalSection("head").map(h -> h.create(() -> new GraphHead(h.string("cut"), h.intIn("classes", 1, 1 << 20))));
    }

    /** The ONNX model {@code file} (the value of {@code key}) in training form; exit 4 for a malformed file, 2 for a structure or cut training cannot take. */
    static TrainableModel read(ConfigSection s, String key, Path file, Optional<GraphHead> head, long seed) {
        Graph graph;
        try {
            graph = TrainableGraph.of(OnnxImporter.read(file).graph());
        } catch (UnsupportedOnnxException | IllegalArgumentException e) {
            throw s.error(key, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = file.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        if (head.isEmpty()) return new TrainableModel.Imported(name, graph, 0);
        Graph backbone = graph;
        return s.section("head").create(() -> new TrainableModel.Imported(name, head.get().attach(backbone, seed), head.get().backboneNodes(backbone)));
    }

    /** What a checkpoint of {@code head}'s model records so {@link #trained} can rebuild it. */
    static Map<String, Object> record(GraphHead head) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cut", head.cut());
        m.put("classes", head.classes());
        return m;
    }

    /**
     * The ONNX model {@code file} with a checkpoint's weights: the imported graph (its own
     * structure, a final Softmax too) under the head the checkpoint records, if any.
     */
    public static Graph trained(Path file, Path checkpoint) throws IOException {
        Graph graph = OnnxImporter.read(file).graph();
        if (Checkpoints.info(checkpoint).get(HEAD_KEY) instanceof Map<?, ?> h) {
            graph = new GraphHead(String.valueOf(h.get("cut")), ((Number) h.get("classes")).intValue()).attach(graph, 0);
        }
        try {
            return GraphWeights.with(graph, Checkpoints.tensors(checkpoint));
        } catch (IllegalArgumentException e) {
            throw new IOException(checkpoint + ": " + e.getMessage() + " of " + file);
        }
    }
}
