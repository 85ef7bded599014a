package dev.clpipe.spark;

import dev.clpipe.cl.ClException;
import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.config.YamlLimits;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark-submit --class dev.clpipe.spark.SparkPipeline clpipe.jar FILE.yaml [options]}: runs
 * a pipeline's per-image stages on a Spark cluster with the flags of {@code clpipe run}
 * ({@code --input}, {@code --out}, {@code --device}, {@code --seed}, {@code --set}, {@code --kernels}).
 * {@code --input} may be any URI Spark reads ({@code hdfs://}, {@code s3a://}); {@code --out} must
 * be a folder the driver and every executor see at the same path. Exit codes as {@code clpipe}.
 */
public final class SparkPipeline {
    static {
        dev.clpipe.pipeline.ConsoleLogConfig.selectUnlessSet(); // before the first logger below
    }

    private static final Logger LOG = LogManager.getLogger(SparkPipeline.class);

    private SparkPipeline() {}

    public static void main(String[] args) {
        SparkLogging.cap(org.apache.logging.log4j.Level.INFO);
        int code = run(args, SparkPipeline::session);
        scala.Option<SparkSession> session = SparkSession.getDefaultSession();
        if (session.isDefined()) session.get().stop();
        System.exit(code);
    }

    private static SparkSession session(String name) {
        return SparkSession.builder().appName("clpipe " + name)
                .config(SparkTraining.barrierDefaults(ExecutorSignalChaining.apply(new org.apache.spark.SparkConf())))
                .getOrCreate();
    }

    /** Parses, plans and runs; the exit code. {@code sessions} gives the Spark session for a run name; the caller stops it. */
    public static int run(String[] args, java.util.function.Function<String, SparkSession> sessions) {
        Options options = options();
        try {
            CommandLine line = new DefaultParser().parse(options, args);
            if (line.hasOption("help")) {
                new HelpFormatter().printHelp("spark-submit --class " + SparkPipeline.class.getName() + " clpipe.jar FILE.yaml", options);
                return 0;
            }
            if (line.getArgList().size() != 1) throw new ParseException("expected one pipeline file, got " + line.getArgList());
            Path file = Path.of(line.getArgList().get(0)).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) throw new ParseException("pipeline file " + file + " does not exist");
            Map<String, String> flags = new LinkedHashMap<>();
            for (String flag : List.of("input", "out", "device", "seed")) {
                if (line.hasOption(flag)) flags.put(flag, line.getOptionValue(flag));
            }
            List<String> sets = line.hasOption("set") ? Arrays.asList(line.getOptionValues("set")) : List.of();
            List<String> roots = List.of(Path.of("pipelines").toAbsolutePath().normalize().toString());
            Config config = new ConfigLoader(YamlLimits.DEFAULT, roots.stream().map(Path::of).toList()).load(file, flags, sets);
            SparkJobSpec.RegistryFactory registry = () -> SparkStages.of(BuiltinStages.registry());
            Pipeline pipeline = Pipeline.plan(config, registry.create());
            Optional<String> training = SparkTraining.trainStageOf(pipeline);
            if (training.isEmpty()) SparkPlan.of(pipeline); // refuse a pipeline that cannot run in tasks before starting Spark
            Optional<Path> resume = Optional.ofNullable(line.getOptionValue("resume")).map(Path::of);
            if (resume.isPresent() && training.isEmpty()) throw new ParseException("--resume continues a training run; rerun other pipelines");
            SparkJobSpec.Builder job = new SparkJobSpec.Builder(file.toString(), roots,
                    Optional.ofNullable(line.getOptionValue("kernels")), registry, command(args));
            if (training.isPresent()) {
                SparkSession spark = sessions.apply(pipeline.settings().name());
                int replicas = line.hasOption("replicas") ? positive(line.getOptionValue("replicas")) : SparkTraining.defaultReplicas(spark);
                SparkTraining.execute(spark, pipeline, training.get(), job, resume, replicas);
                return 0;
            }
            Optional<String> inputUri = Optional.ofNullable(flags.get("input")).filter(s -> s.matches("[A-Za-z][A-Za-z0-9+.-]*://.*"));
            SparkRun.Result result = SparkRun.execute(sessions.apply(pipeline.settings().name()), pipeline, job, inputUri);
            return result.images() == 0 ? 4 : 0;
        } catch (ParseException | IllegalArgumentException | ConfigException e) {
            LOG.error("{}", e.getMessage());
            return 2;
        } catch (ClException e) {
            LOG.error("{}", e.getMessage());
            return 3;
        } catch (IOException | UncheckedIOException e) {
            LOG.error("{}", e.getMessage());
            return 4;
        } catch (Exception e) { // Spark's Scala code throws checked exceptions undeclared (AnalysisException, ...)
            LOG.error("spark job failed: {}", e.toString(), e);
            return 1;
        }
    }

    private static int positive(String text) throws ParseException {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ParseException("--replicas must be a positive whole number, got " + text);
    }

    private static List<String> command(String[] args) {
        List<String> command = new ArrayList<>(List.of("spark-submit", "--class", SparkPipeline.class.getName(), "clpipe.jar"));
        command.addAll(Arrays.asList(args));
        return command;
    }

    static Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("set").hasArgs().argName("KEY=VALUE").desc("override a config value (repeatable)").build())
                .addOption(Option.builder("i").longOpt("input").hasArg().argName("PATH|URI").desc("input folder (any URI Spark reads)").build())
                .addOption(Option.builder("o").longOpt("out").hasArg().argName("DIR").desc("folder for run folders, shared by driver and executors").build())
                .addOption(Option.builder("d").longOpt("device").hasArg().argName("SPEC")
                        .desc("OpenCL device: auto, cpu, gpu, accelerator, all, P:D, name~TEXT (Spark's GPU assignment refines auto/gpu)").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("N").desc("seed of all randomness").build())
                .addOption(Option.builder().longOpt("resume").hasArg().argName("RUN_DIR").desc("training: continue this run folder from its latest checkpoint").build())
                .addOption(Option.builder().longOpt("replicas").hasArg().argName("N")
                        .desc("training: barrier tasks, one replica each (default: the executors' task slots)").build())
                .addOption(Option.builder().longOpt("kernels").hasArg().argName("DIR").desc("load kernel binaries from DIR, never compile").build())
                .addOption(Option.builder("h").longOpt("help").desc("show this help").build());
    }
}
