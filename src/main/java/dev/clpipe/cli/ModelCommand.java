package dev.clpipe.cli;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.onnx.OnnxExporter;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.nn.onnx.OnnxNetwork;
import dev.clpipe.nn.onnx.OnnxRunner;
import dev.clpipe.nn.onnx.OnnxSummary;
import dev.clpipe.nn.graph.SpecGraph;
import dev.clpipe.nn.onnx.UnsupportedOnnxException;
import dev.clpipe.pipeline.stages.EvaluateStage;
import dev.clpipe.pipeline.stages.ImportedModels;
import dev.clpipe.pipeline.stages.ModelFile;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code clpipe model summary FILE.yaml|FILE.onnx}: layers (or graph nodes), output shapes and
 * parameter counts. {@code clpipe model run MODEL --input x.npy --output y.npy}: runs a model on a
 * tensor file in the model's own layout (NCHW for ONNX, NHWC for a model YAML with its
 * {@code --checkpoint}), so a converted model can be checked against the framework it came from.
 */
final class ModelCommand implements Command {
    private static final String USAGE = "usage: clpipe model summary FILE.yaml|FILE.onnx | clpipe model run MODEL.onnx|MODEL.yaml|NAME-weights_manifest.json "
            + "--input x.npy --output y.npy [--checkpoint DIR] [--device SPEC] | clpipe model export MODEL.yaml|MODEL.onnx|NAME-weights_manifest.json [--checkpoint DIR] --output X.onnx";
    private final PrintStream out;

    ModelCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "model";
    }

    @Override
    public String summary() {
        return "inspect, run or export a model: 'model summary FILE' (YAML or ONNX), 'model run MODEL --input x.npy --output y.npy', 'model export MODEL --output X.onnx [--checkpoint DIR]' (YAML, ONNX or TF.js)";
    }

    @Override
    public String arguments() {
        return "summary FILE.yaml|FILE.onnx | run MODEL --input x.npy --output y.npy [--checkpoint DIR] [--device SPEC] | export MODEL --output X.onnx [--checkpoint DIR]";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("input").hasArg().argName("FILE").desc("run: input tensor (.npy; NCHW for ONNX, NHWC for a model YAML)").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("FILE").desc("run: where to write output 0 (.npy); export: the .onnx file to write").build())
                .addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR").desc("run, export: the checkpoint folder (or run folder: its latest) of a model YAML; export: of a fine-tuned ONNX model too").build())
                .addOption(Option.builder("d").longOpt("device").hasArg().argName("SPEC").desc("run: device (default auto)").build());
    }

    @Override
    public ExitCode execute(CommandLine line) throws IOException {
        List<String> args = line.getArgList();
        if (args.size() != 2) throw new UsageException(USAGE);
        Path model = Path.of(args.get(1));
        try {
            switch (args.get(0)) {
                case "summary" -> out.print(isOnnx(model) ? OnnxSummary.of(OnnxImporter.read(model)) : ModelFile.read(model).summary());
                case "run" -> run(model, line);
                case "export" -> export(model, line);
                default -> throw new UsageException(USAGE);
            }
        } catch (UnsupportedOnnxException e) {
            throw new UsageException(e.getMessage());
        }
        return ExitCode.OK;
    }

    private static boolean isOnnx(Path model) {
        return model.getFileName() != null && model.getFileName().toString().toLowerCase().endsWith(".onnx");
    }

    private void run(Path model, CommandLine line) throws IOException {
        if (!line.hasOption("input") || !line.hasOption("output")) throw new UsageException("model run needs --input x.npy and --output y.npy");
        Path inFile = Path.of(line.getOptionValue("input")), outFile = Path.of(line.getOptionValue("output"));
        if (TfjsModelGraphs.isManifest(model)) {
            runTfjs(model, inFile, outFile, line);
            return;
        }
        if (isOnnx(model) && line.hasOption("checkpoint")) {
            throw new UsageException("model run " + model + ": --checkpoint is for a model YAML; run a fine-tuned ONNX model after "
                    + "'clpipe model export " + model + " --checkpoint DIR --output TUNED.onnx' as TUNED.onnx");
        }
        OnnxNetwork onnx = isOnnx(model) ? OnnxImporter.read(model) : null;
        ModelSpec spec = onnx == null ? ModelFile.read(model) : null;
        if (spec != null && !line.hasOption("checkpoint")) throw new UsageException("model run " + model + ": a model YAML needs --checkpoint DIR (its trained weights)");
        NpyArray x = Npy.read(inFile);
        int[] per = onnx != null ? onnx.inputShape() : new int[] {spec.input().height(), spec.input().width(), spec.input().channels()};
        int[] shape = x.shape();
        if (shape.length != per.length + 1 || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), per) || shape[0] < 1) {
            throw new IOException(inFile + ": shape " + Arrays.toString(shape) + " does not fit " + model + ", which takes [N, "
                    + String.join(", ", Arrays.stream(per).mapToObj(Integer::toString).toList()) + "]" + (onnx != null ? " (NCHW)" : " (NHWC)"));
        }
        int batch = shape[0];
        List<ClContext> contexts = ClRuntime.standard().open(line.getOptionValue("device", "auto"));
        for (int k = 1; k < contexts.size(); k++) contexts.get(k).close();
        try (ClContext context = contexts.get(0)) {
            if (onnx != null) {
                float[] y = OnnxRunner.run(context, onnx, x.data(), batch, 0);
                int[] outShape = new int[onnx.outputs().get(0).shape().length + 1];
                outShape[0] = batch;
                System.arraycopy(onnx.outputs().get(0).shape(), 0, outShape, 1, outShape.length - 1);
                Npy.write(outFile, outShape, y);
            } else {
                Npy.write(outFile, new int[] {batch, spec.output().size()}, runYaml(context, spec, Path.of(line.getOptionValue("checkpoint")), x.data(), batch));
            }
        }
        out.println("wrote " + outFile + " (" + batch + " samples) from " + model);
    }

    /** A TF.js model (its weights manifest) on an NHWC [N, H, W, C] tensor; writes output 0 as [N, H, W, C], or [N, C] when it is 1x1. */
    private void runTfjs(Path model, Path inFile, Path outFile, CommandLine line) throws IOException {
        NpyArray x = Npy.read(inFile);
        int[] shape = x.shape();
        Graph graph = TfjsModelGraphs.graph(model, shape.length == 4 ? shape[1] : 0);
        Shape in = graph.inputDims(), o = graph.outputDims(0);
        if (shape.length != 4 || shape[0] < 1 || shape[1] != in.height() || shape[2] != in.width() || shape[3] != in.channels()) {
            throw new IOException(inFile + ": shape " + Arrays.toString(shape) + " does not fit " + model + ", which takes [N, " + in.height() + ", "
                    + in.width() + ", " + in.channels() + "] (NHWC)");
        }
        int batch = shape[0];
        List<ClContext> contexts = ClRuntime.standard().open(line.getOptionValue("device", "auto"));
        for (int k = 1; k < contexts.size(); k++) contexts.get(k).close();
        try (ClContext context = contexts.get(0); DeviceGraph net = new DeviceGraph(context, graph)) {
            float[] y = net.run(x.data(), batch)[0];
            int[] outShape = o.pixels() == 1 ? new int[] {batch, o.channels()} : new int[] {batch, o.height(), o.width(), o.channels()};
            Npy.write(outFile, outShape, y);
        }
        out.println("wrote " + outFile + " (" + batch + " samples) from " + model);
    }

    /**
     * A model as an ONNX file (opset 17, NCHW input): a model YAML with its checkpoint's weights, an
     * imported ONNX model (re-exported from clpipe's graph) or a TF.js model (its weights manifest).
     */
    private void export(Path model, CommandLine line) throws IOException {
        if (!line.hasOption("output")) throw new UsageException("model export needs --output X.onnx");
        Path outFile = Path.of(line.getOptionValue("output"));
        Graph graph;
        byte[] onnx;
        if (isOnnx(model) && line.hasOption("checkpoint")) {
            graph = ImportedModels.trained(model, EvaluateStage.resolve(Path.of(line.getOptionValue("checkpoint")))); // fine-tuned, under its new head if any
            onnx = OnnxExporter.export(graph, List.of("logits"), false);
        } else if (isOnnx(model)) {
            OnnxNetwork net = OnnxImporter.read(model);
            graph = net.graph();
            onnx = OnnxExporter.export(net);
        } else if (TfjsModelGraphs.isManifest(model)) {
            Graph g = TfjsModelGraphs.graph(model, 0);
            graph = g;
            onnx = OnnxExporter.export(g, g.outputs().stream().map(k -> g.nodes().get(k).name()).toList(), false);
        } else {
            if (!line.hasOption("checkpoint")) throw new UsageException("model export " + model + ": a model YAML needs --checkpoint DIR (its trained weights)");
            ModelSpec spec = ModelFile.read(model);
            List<ClContext> contexts = ClRuntime.standard().open(line.getOptionValue("device", "auto"));
            for (int k = 1; k < contexts.size(); k++) contexts.get(k).close();
            try (ClContext context = contexts.get(0); Network net = new Network(context, spec, 1, 0)) {
                Checkpoints.loadWeights(EvaluateStage.resolve(Path.of(line.getOptionValue("checkpoint"))), net);
                graph = SpecGraph.compile(spec, OnnxExporter.parameters(net));
            }
            onnx = OnnxExporter.export(graph, List.of("logits"), true);
        }
        if (outFile.toAbsolutePath().getParent() != null) java.nio.file.Files.createDirectories(outFile.toAbsolutePath().getParent());
        java.nio.file.Files.write(outFile, onnx);
        Shape in = graph.inputDims();
        out.println("wrote " + outFile + " (ONNX opset " + OnnxExporter.OPSET + ", input [N, " + in.channels() + ", " + in.height()
                + ", " + in.width() + "] NCHW) from " + model);
    }

    /** Logits of a trained model YAML for an NHWC batch. */
    private static float[] runYaml(ClContext context, ModelSpec spec, Path checkpoint, float[] x, int batch) throws IOException {
        Shape out = spec.output();
        try (Network net = new Network(context, spec, batch, 0)) {
            Checkpoints.loadWeights(checkpoint, net);
            net.input().write(context.queue(), x);
            net.forward(false, 0);
            float[] y = new float[batch * out.size()];
            net.logits().read(context.queue(), y);
            return y;
        }
    }
}
