package dev.clpipe.pipeline.stages;

import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ShapeException;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.graph.GraphHead;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.pipeline.InputPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a model YAML ({@code pipelines/models/*.yaml}) into a {@link ModelSpec}: input shape and a
 * list of layers. Every error, shape misfits included, points at the file and line of the layer.
 *
 * <pre>
 * name: lenet5
 * input: {height: 28, width: 28, channels: 1}
 * layers:
 *   - {type: conv, filters: 6, kernel: 5, pad: 2}
 *   - {type: relu}
 *   - {type: maxpool, size: 2}
 *   - {type: dense, units: 10}
 * </pre>
 */
public final class ModelFile {
    static final List<String> TYPES = List.of("conv", "maxpool", "avgpool", "dense", "relu", "leaky-relu", "sigmoid", "tanh",
            "flatten", "dropout", "batchnorm", "residual", "concat");

    private ModelFile() {}

    /**
     * The model YAML under {@code key} of a stage that trains embeddings or detectors; an
     * {@code .onnx} file there is refused (exit 2) saying why (train and evaluate take one: {@link #readTrainable}).
     */
    static ModelSpec readYaml(ConfigSection s, String key, String description, String stage) {
        Path file = s.describe(key, description).path(key);
        if (isOnnx(file)) {
            throw s.error(key, stage + " needs a model YAML, not an ONNX file: it runs clpipe's training graph, which cannot hold an imported "
                    + "ONNX graph yet; ONNX models run in 'train', 'evaluate' and 'predict' stages and in 'clpipe model run'");
        }
        return read(file);
    }

    /**
     * The model under {@code key} of a train or evaluate stage: a model YAML, or an {@code .onnx}
     * file as a graph with its own weights ({@link ImportedModels}), with the stage's {@code head:}
     * when it puts a new head on the graph. A malformed file is a data error (exit 4) naming the
     * file, a structure training cannot hold a config error (exit 2) naming the node.
     */
    static TrainableModel readTrainable(ConfigSection s, String key, String description, long seed) {
        Path file = s.describe(key, description).path(key);
        Optional<GraphHead> head = ImportedModels.head(s);
        if (!isOnnx(file)) {
            if (head.isPresent()) throw s.error("head", "head: puts a new head on an imported graph (an .onnx model); a model YAML uses transfer:");
            return TrainableModel.of(read(file));
        }
        InputPaths.required(s, key, file, "an ONNX model (clpipe model export writes one from a run's checkpoint)");
        return ImportedModels.read(s, key, file, head, seed);
    }

    static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    public static ModelSpec read(Path file) {
        ConfigSection root = Config.load(file).root();
        String defaultName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = root.describe("name", "model name").string("name", defaultName);
        ConfigSection in = root.describe("input", "input shape {height, width, channels}").section("input");
        Shape input = in.create(() -> new Shape(in.intIn("height", 1, 65536), in.intIn("width", 1, 65536), in.intIn("channels", 1, 65536)));
        List<ConfigSection> sections = root.describe("layers", "the layers, in order").sectionList("layers");
        if (sections.isEmpty()) throw root.error("layers", "a model needs at least one layer under 'layers:'");
        List<LayerSpec> layers = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (ConfigSection s : sections) layers.add(layer(s, counts, ""));
        int classes = root.describe("classes", "number of classes the last layer must output (checked)").integer("classes", -1);
        root.rejectUnknownKeysDeep();
        ModelSpec spec;
        try {
            spec = ModelSpec.of(name, input, layers);
        } catch (ShapeException e) {
            throw sections.get(Math.min(e.layerIndex(), sections.size() - 1)).error("type", e.getMessage());
        }
        if (classes > 0 && spec.output().size() != classes) {
            throw root.error("classes", "the last layer outputs " + spec.output() + " values but classes is " + classes);
        }
        return spec;
    }

    /** One layer; {@code prefix} is "BLOCK." inside a residual block's body. */
    private static LayerSpec layer(ConfigSection s, Map<String, Integer> counts, String prefix) {
        String type = s.describe("type", "layer type: " + String.join(", ", TYPES)).choice("type", TYPES);
        int n = counts.merge(type, 1, Integer::sum);
        String name = prefix + s.describe("name", "layer name (parameter names are NAME.weight, NAME.bias)").string("name", type.replace("-", "") + n);
        if (type.equals("residual")) {
            List<ConfigSection> body = s.describe("layers", "the block's body: y = x + body(x)").sectionList("layers");
            if (body.isEmpty()) throw s.error("layers", "a residual block needs its body under 'layers:'");
            Map<String, Integer> bodyCounts = new HashMap<>();
            List<LayerSpec> parsed = new ArrayList<>();
            for (ConfigSection b : body) parsed.add(layer(b, bodyCounts, name + "."));
            return s.create(() -> new LayerSpec.Residual(name, parsed));
        }
        if (type.equals("concat")) {
            List<ConfigSection> branches = s.describe("branches", "branches [{layers: [...]}, ...], outputs concatenated along channels").sectionList("branches");
            Map<String, Integer> branchCounts = new HashMap<>();
            List<List<LayerSpec>> parsed = new ArrayList<>();
            for (ConfigSection b : branches) {
                List<LayerSpec> layers = new ArrayList<>();
                for (ConfigSection l : b.describe("layers", "the branch's layers").sectionList("layers")) layers.add(layer(l, branchCounts, name + "."));
                parsed.add(layers);
            }
            return s.create(() -> new LayerSpec.Concat(name, parsed));
        }
        return s.create(() -> switch (type) {
            case "conv" -> new LayerSpec.Conv(name, s.intIn("filters", 1, 65536), s.intIn("kernel", 1, 64),
                    s.intIn("stride", 1, 64, 1), s.intIn("pad", 0, 64, 0));
            case "maxpool", "avgpool" -> {
                int size = s.intIn("size", 1, 64);
                yield new LayerSpec.Pool(name, type.equals("maxpool"), size, s.intIn("stride", 1, 64, size), s.intIn("pad", 0, 63, 0));
            }
            case "dense" -> new LayerSpec.Dense(name, s.intIn("units", 1, 1 << 20));
            case "relu" -> new LayerSpec.Act(name, Activation.Kind.RELU);
            case "leaky-relu" -> new LayerSpec.Act(name, Activation.Kind.LEAKY_RELU);
            case "sigmoid" -> new LayerSpec.Act(name, Activation.Kind.SIGMOID);
            case "tanh" -> new LayerSpec.Act(name, Activation.Kind.TANH);
            case "flatten" -> new LayerSpec.Flatten(name);
            case "dropout" -> new LayerSpec.Dropout(name, (float) s.doubleIn("p", 0, 0.999));
            case "batchnorm" -> new LayerSpec.BatchNorm(name, (float) s.positiveDouble("eps", 1e-5), (float) s.doubleIn("momentum", 0, 1, 0.1));
            default -> throw s.error("type", "unknown layer type " + type);
        });
    }
}
