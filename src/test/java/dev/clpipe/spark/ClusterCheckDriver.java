package dev.clpipe.spark;

import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of {@code src/test/sh/spark-cluster-check.sh}: runs several pipelines as jobs of one
 * Spark application, so the cluster's executors start once and stay warm (each run of
 * {@link SparkPipeline} on its own would start a driver and two executor JVMs again, about 40 s on
 * this machine). Each line of the plan file is one {@code SparkPipeline} command line
 * (whitespace-separated, {@code NAME ARGS...}); for each it prints
 * {@code run NAME exit=C rows=R distinct=D seconds=S} (Parquet rows and distinct paths, so a retried task
 * that added rows twice shows). {@code --accepted FILE...} instead prints {@code accepted|refused FILE}
 * for each pipeline file, as SparkPlan judges it before Spark starts ({@code training} for one that runs in barrier mode).
 */
public final class ClusterCheckDriver {
    private ClusterCheckDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--accepted")) {
            for (String file : Arrays.asList(args).subList(1, args.length)) System.out.println(judge(Path.of(file)) + " " + file);
            return;
        }
        List<String> plan = Files.readAllLines(Path.of(args[0])).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        SparkSession spark = SparkSession.builder().appName("clpipe cluster check")
                .config(SparkTraining.barrierDefaults(ExecutorSignalChaining.apply(new org.apache.spark.SparkConf()))).getOrCreate();
        int worst = 0;
        try {
            for (String line : plan) {
                String[] words = line.split("\\s+");
                String name = words[0];
                String[] runArgs = Arrays.copyOfRange(words, 1, words.length);
                long t0 = System.nanoTime();
                int code = SparkPipeline.run(runArgs, n -> spark);
                double seconds = Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
                String out = value(runArgs, "--out");
                Path parquet = runFolder(Path.of(out)).resolve(SparkRun.RESULTS);
                long rows = -1, distinct = -1;
                if (Files.isDirectory(parquet)) {
                    Dataset<Row> r = spark.read().parquet(parquet.toString());
                    rows = r.count();
                    distinct = r.select("path").distinct().count();
                }
                System.out.println("run " + name + " exit=" + code + " rows=" + rows + " distinct=" + distinct + " seconds=" + seconds);
                System.out.flush();
                worst = Math.max(worst, code);
            }
        } finally {
            spark.stop();
        }
        System.exit(worst);
    }

    private static String judge(Path file) {
        Pipeline pipeline;
        try {
            pipeline = Pipeline.plan(new ConfigLoader().load(file, Map.of(), List.of()), SparkStages.of(BuiltinStages.registry()));
        } catch (Exception e) { // e.g. its input or model is not made on this machine yet
            return "unplanned(" + e.getMessage().replace(' ', '_') + ")";
        }
        try {
            if (SparkTraining.trainStageOf(pipeline).isPresent()) return "training";
            SparkPlan.of(pipeline);
            return "accepted";
        } catch (IllegalArgumentException e) {
            return "refused";
        }
    }

    private static String value(String[] args, String flag) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(flag)) return args[i + 1];
        throw new IllegalArgumentException("plan line lacks " + flag);
    }

    private static Path runFolder(Path out) throws java.io.IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory).findFirst().orElse(out);
        }
    }
}
