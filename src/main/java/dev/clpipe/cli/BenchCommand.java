package dev.clpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.config.Suggestions;
import dev.clpipe.bench.BenchResult;
import dev.clpipe.bench.BenchSuite;
import dev.clpipe.bench.AugmentSuite;
import dev.clpipe.bench.DetectBench;
import dev.clpipe.bench.FacesSuite;
import dev.clpipe.bench.FolderBench;
import dev.clpipe.bench.KernelBench;
import dev.clpipe.bench.StyleBench;

import dev.clpipe.bench.MultiDeviceSuite;
import dev.clpipe.bench.TrainBench;
import dev.clpipe.bench.TuneBench;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.pipeline.stages.ModelFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code clpipe bench SUITE [--json] [--device SPEC]}: runs a named benchmark suite on every
 * selected device. Suites register in {@link #suites}; others add e.g. {@code augment}, {@code train}.
 */
final class BenchCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final PrintStream out;
    private final Map<String, BenchSuite> suites = new LinkedHashMap<>();

    BenchCommand(PrintStream out) {
        this(out, List.of(new KernelBench(), new TuneBench(), new AugmentSuite(), new dev.clpipe.bench.IoSuite(), new FacesSuite(), new TrainBench(),
                new FolderBench(), new DetectBench(), new dev.clpipe.bench.PredictSuite(), new StyleBench(), new dev.clpipe.bench.OnnxBench(),
                new dev.clpipe.bench.JavaOpBench()));
    }

    BenchCommand(PrintStream out, List<BenchSuite> available) {
        this.out = out;
        available.forEach(s -> suites.put(s.name(), s));
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmark a suite (" + String.join(", ", suites.keySet()) + ") on the selected devices";
    }

    @Override
    public String arguments() {
        return String.join(" | ", suites.keySet()) + " [--json] [--device SPEC] [--model FILE]";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("json").desc("print a JSON array of rows {op, shape, variant, device{kind,name,...}, batch, ms_per_batch, ms_per_image, images_per_s, gflops, figures}"
                        + " (schema: docs/schemas/bench.schema.json)").build())
                .addOption(Option.builder("d").longOpt("device").hasArg().argName("SPEC").desc("devices to measure (default all)").build())
                .addOption(Option.builder().longOpt("timings").desc("also print device time per kernel (profiling events)").build())
                .addOption(Option.builder().longOpt("quick").desc("fewer repetitions (smoke test)").build())
                .addOption(Option.builder().longOpt("model").hasArg().argName("FILE")
                        .desc("train suite: this model YAML instead of LeNet-5 (e.g. pipelines/models/resnet-mnist.yaml); onnx suite: the .onnx files to run (comma list)").build());
    }

    @Override
    public ExitCode execute(CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) throw new UsageException("bench needs one suite name: " + String.join(", ", suites.keySet()));
        BenchSuite suite = suites.get(args.get(0));
        if (suite == null) {
            throw new UsageException("unknown bench suite '" + args.get(0) + "'" + Suggestions.hint(args.get(0), suites.keySet()) + " (suites: " + String.join(", ", suites.keySet()) + ")");
        }
        if (suite instanceof dev.clpipe.bench.OnnxBench) {
            if (!line.hasOption("model")) throw new UsageException("bench onnx needs --model FILE.onnx[,FILE.onnx]");
            suite = new dev.clpipe.bench.OnnxBench(java.util.Arrays.stream(line.getOptionValue("model").split(",")).map(Path::of).toList());
        } else if (line.hasOption("model")) {
            if (!(suite instanceof TrainBench)) throw new UsageException("--model applies to the train and onnx suites only");
            suite = new TrainBench(ModelFile.read(Path.of(line.getOptionValue("model"))));
        }
        boolean json = line.hasOption("json");
        List<BenchResult> results = new ArrayList<>();
        List<ClContext> contexts = ClRuntime.standard().open(line.getOptionValue("device", "all"));
        if (suite instanceof MultiDeviceSuite together && contexts.size() > 1) {
            return runTogether(together, contexts, line, json);
        }
        for (ClContext context : contexts) {
            try (context) {
                if (line.hasOption("timings")) context.queue().timings().enable();
                suite.run(context, line.hasOption("quick"), r -> {
                    results.add(r);
                    if (!json) out.println(textRow(r));
                }, json ? null : out);
                if (line.hasOption("timings")) {
                    context.queue().timings().totals().forEach((kernel, t) -> out.printf("  %-28s %6d launches %10.3f ms/launch%n",
                            kernel, t.launches(), t.nanos() / 1e6 / t.launches()));
                }
            }
        }
        if (json) out.println(JSON.writeValueAsString(results));
        return ExitCode.OK;
    }

    /** One row for people: what ran, then its figures with their units. */
    static String textRow(BenchResult r) {
        StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT, "%-36s %-26s %-30s", r.op(), r.shape(), r.variant()));
        if (r.msPerBatch() != null) line.append(String.format(java.util.Locale.ROOT, " %10.3f ms%s", r.msPerBatch(), r.batch() != null ? "/batch of " + r.batch() : ""));
        if (r.imagesPerS() != null) line.append(String.format(java.util.Locale.ROOT, " %10.1f images/s", r.imagesPerS()));
        if (r.gflops() != null) line.append(String.format(java.util.Locale.ROOT, " %8.1f GFLOP/s", r.gflops()));
        r.figures().forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        return line.toString();
    }

    /** Several devices alone and together; the same JSON array, the together rows carrying the scaling report in {@code details}. */
    private ExitCode runTogether(MultiDeviceSuite suite, List<ClContext> contexts, CommandLine line, boolean json) throws Exception {
        List<BenchResult> results = new ArrayList<>();
        try {
            Map<String, Object> scaling = suite.runTogether(contexts, line.hasOption("quick"), r -> {
                results.add(r);
                if (!json) out.println(textRow(r));
            }, json ? null : out);
            if (json) out.println(JSON.writeValueAsString(results));
            else out.println("scaling: " + new ObjectMapper().writeValueAsString(scaling));
            return ExitCode.OK;
        } finally {
            contexts.forEach(ClContext::close);
        }
    }
}
