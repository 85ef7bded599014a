package dev.clpipe.pipeline.stages;

import static dev.clpipe.pipeline.PipelineRuns.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.config.ConfigException;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.nn.graph.Node;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.onnx.OnnxExporter;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.testing.MetricsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} and {@code evaluate} on an imported ResNet-style ONNX graph (a strided
 * convolution on the shortcut, Add, global average pool, a final Softmax) under a new head
 * ({@code head: {cut, classes}}): the frozen backbone's tensors in every checkpoint are the file's,
 * a resumed run ends byte-identical to an uninterrupted one, evaluate scores the checkpoint as
 * the last epoch did, and the checkpoint exported as ONNX gives that test loss in the plain-Java
 * reference. A node the training plan cannot differentiate stops the run with a config error
 * (exit 2) naming it (a Softmax inside the graph: the plan trains through a final one only).
 */
@Tag("kernel")
class ImportedTrainStageTest {
    private static final String TRAIN = """
            name: onnx-head
            seed: 5
            out: runs
            stages:
              - {id: train, type: train, data: data, model: res.onnx, head: {cut: pool, classes: 4}, batch: 16, epochs: %d,
                 optimizer: {type: sgd, lr: 0.1, momentum: 0.9}, normalize: {mean: 0.5, std: 0.25}}
              - {id: evaluate, type: evaluate, data: data, model: res.onnx, head: {cut: pool, classes: 4}, normalize: {mean: 0.5, std: 0.25}}
            """;

    @Test
    @SuppressWarnings("unchecked")
    void trainsAHeadOnAnImportedResNetResumesAndExports(@TempDir Path dir) throws Exception {
        TinyTraining.writeIdxData(dir);
        Graph graph = resnet(new Random(4), false);
        Path onnx = Files.write(dir.resolve("res.onnx"), OnnxExporter.export(graph, List.of("prob"), true));
        PipelineRun.Result whole = run(Files.writeString(dir.resolve("p.yaml"), TRAIN.formatted(2)), Optional.empty());
        assertEquals(PipelineRun.Status.OK, whole.status());
        Path last = whole.folder().file("checkpoints").resolve("epoch-0002");
        Map<String, Object> index = Checkpoints.info(last);
        assertEquals("res", index.get("model"));
        assertEquals(Map.of("cut", "pool", "classes", 4), index.get("graph_head"));
        Map<String, Object> files = (Map<String, Object>) index.get("tensors");
        assertEquals("block_down.weight.npy", files.get("block/down.weight"), "a node name with '/' gets a file name without");

        // the backbone is frozen: its tensors are the file's, float for float
        Map<String, float[]> tensors = Checkpoints.tensors(last);
        Graph imported = OnnxImporter.read(onnx).graph();
        int convs = 0;
        for (Node n : imported.nodes()) {
            if (n instanceof Node.Conv c) {
                assertArrayEquals(c.weights(), tensors.get(c.name() + ".weight"), c.name());
                assertArrayEquals(c.bias(), tensors.get(c.name() + ".bias"), c.name());
                convs++;
            }
        }
        assertEquals(4, convs);
        assertEquals(6 * 4, tensors.get("head.weight").length);

        // evaluate (head: as in train) scores the checkpoint as the last epoch did
        Map<String, Object> metrics = new ObjectMapper().readValue(whole.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> test = (Map<String, Object>) MetricsJson.stage(metrics, "train").get("test");
        Map<String, Object> evaluation = (Map<String, Object>) MetricsJson.stage(metrics, "evaluate").get("evaluation");
        double loss = ((Number) test.get("loss")).doubleValue();
        assertEquals(loss, ((Number) evaluation.get("loss")).doubleValue(), 1e-5);
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) test.get("epochs");
        assertTrue(((Number) epochs.get(1).get("loss")).doubleValue() < ((Number) epochs.get(0).get("loss")).doubleValue(), "the head learns: " + epochs);

        // the fine-tuned model as ONNX (what 'clpipe model export res.onnx --checkpoint' writes) gives that loss in the reference
        Path exported = Files.write(dir.resolve("tuned.onnx"), OnnxExporter.export(ImportedModels.trained(onnx, last), List.of("logits"), false));
        assertEquals(loss, referenceLoss(OnnxImporter.read(exported).graph(), dir.resolve("data")), 1e-4 * (1 + loss));

        // stopped after epoch 1, resumed to 2: the same bytes as the uninterrupted run
        PipelineRun.Result first = run(Files.writeString(dir.resolve("p.yaml"), TRAIN.formatted(1)), Optional.empty());
        PipelineRun.Result resumed = run(Files.writeString(dir.resolve("p.yaml"), TRAIN.formatted(2)), Optional.of(first.folder().path()));
        Path again = resumed.folder().file("checkpoints").resolve("epoch-0002");
        for (String tensor : List.of("head.weight.npy", "head.bias.npy", "block_down.weight.npy", "optimizer.head.weight.momentum.npy")) {
            assertArrayEquals(Files.readAllBytes(last.resolve(tensor)), Files.readAllBytes(again.resolve(tensor)), tensor);
        }
    }

    @Test
    void aNodeTrainingCannotDifferentiateIsAConfigErrorNamingIt(@TempDir Path dir) throws Exception {
        TinyTraining.writeIdxData(dir);
        Files.write(dir.resolve("res.onnx"), OnnxExporter.export(resnet(new Random(4), true), List.of("prob"), true));
        Path file = Files.writeString(dir.resolve("p.yaml"), TRAIN.formatted(1).replace(", head: {cut: pool, classes: 4}", ""));
        ConfigException e = assertThrows(ConfigException.class, () -> run(file, Optional.empty()));
        assertTrue(e.getMessage().contains("stages[train].model") && e.getMessage().contains("node block/softmax: "), e.getMessage());
    }

    /** Stem conv, a torchvision BasicBlock with a strided 1x1 convolution on the shortcut (with {@code softmaxInside}, a Softmax after it), GAP, Linear, Softmax. */
    static Graph resnet(Random r, boolean softmaxInside) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(8, 8, 1);
        x = g.relu("stem/relu", g.conv("stem", x, gaussian(r, 9 * 4, 0.5f), gaussian(r, 4, 0.1f), 3, 3, 4, 1, Padding.explicit(1), 1));
        Value body = g.relu("block/relu1", g.conv("block/conv1", x, gaussian(r, 9 * 4 * 6, 0.3f), gaussian(r, 6, 0.1f), 3, 3, 6, 2, Padding.explicit(1), 1));
        body = g.conv("block/conv2", body, gaussian(r, 9 * 6 * 6, 0.3f), gaussian(r, 6, 0.1f), 3, 3, 6, 1, Padding.explicit(1), 1);
        Value shortcut = g.conv("block/down", x, gaussian(r, 4 * 6, 0.4f), gaussian(r, 6, 0.1f), 1, 1, 6, 2, Padding.explicit(0), 1);
        if (softmaxInside) shortcut = g.softmax("block/softmax", shortcut);
        x = g.relu("block/relu2", g.add("block/add", body, shortcut));
        x = g.globalAvgPool("pool", x);
        return g.build(g.softmax("prob", g.dense("fc", x, gaussian(r, 6 * 4, 0.5f), gaussian(r, 4, 0.1f), 4)));
    }

    /** Mean cross-entropy of {@code graph}'s logits over the t10k IDX split normalised as the pipeline does. */
    private static double referenceLoss(Graph graph, Path data) throws Exception {
        byte[] images = Files.readAllBytes(data.resolve("t10k-images-idx3-ubyte")), labels = Files.readAllBytes(data.resolve("t10k-labels-idx1-ubyte"));
        int count = 40, classes = 4;
        float[] in = new float[count * 64];
        for (int i = 0; i < in.length; i++) in[i] = ((images[16 + i] & 0xFF) / 255f - 0.5f) / 0.25f;
        float[] logits = GraphReference.run(graph, in, count)[0];
        double loss = 0;
        for (int n = 0; n < count; n++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < classes; c++) max = Math.max(max, logits[n * classes + c]);
            for (int c = 0; c < classes; c++) sum += Math.exp(logits[n * classes + c] - max);
            loss += (max + Math.log(sum) - logits[n * classes + labels[8 + n]]) / count;
        }
        return loss;
    }

    private static float[] gaussian(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * scale;
        return a;
    }
}
