package dev.clpipe.api;

import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.pipeline.Plugins;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageStats;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** A loaded pipeline YAML; {@link #validate} and {@link #run} apply {@link RunOptions} first, as the CLI's flags. */
public final class PipelineFile {
    private static final Set<String> BOOKKEEPING = Set.of("config.yaml", "run.json", "metrics.json", "log.txt", "skipped.csv", "completed.txt");
    private final Path yaml;

    PipelineFile(Path yaml) {
        this.yaml = yaml;
    }

    public Path path() {
        return yaml;
    }

    /**
     * Checks the pipeline as {@code clpipe validate} does (keys, types, ranges, stage order, input
     * files) without running anything; returns its stages.
     */
    public List<StagePlanInfo> validate(RunOptions options) {
        return plan(options).stages().stream().map(s -> new StagePlanInfo(s.id(), s.type())).toList();
    }

    /**
     * Runs the pipeline into a new run folder under {@code out} (or continues {@code resume}) and
     * returns when it has ended. A failing stage's exception is rethrown after the run folder
     * records the failure.
     */
    public RunResult run(RunOptions options) throws Exception {
        Pipeline pipeline = plan(options);
        Supplier<ClRuntime> runtime = memoized();
        List<String> command = new ArrayList<>(List.of("java-api", "run", yaml.toString()));
        options.sets().forEach(s -> command.addAll(List.of("--set", s)));
        PipelineRun.Result result = PipelineRun.execute(pipeline, runtime,
                new PipelineRun.Options(options.resume(), options.profileKernels(), command));
        return toResult(pipeline, result);
    }

    private Pipeline plan(RunOptions options) {
        Map<String, String> flags = new LinkedHashMap<>();
        options.input().ifPresent(p -> flags.put("input", p.toString()));
        options.out().ifPresent(p -> flags.put("out", p.toString()));
        options.device().ifPresent(d -> flags.put("device", d));
        options.seed().ifPresent(s -> flags.put("seed", Long.toString(s)));
        Config config = new ConfigLoader().load(yaml, flags, options.sets());
        Plugins plugins = options.plugins().map(Plugins::load).orElseGet(Plugins::none);
        return Pipeline.plan(config, BuiltinStages.registry(plugins));
    }

    private static RunResult toResult(Pipeline pipeline, PipelineRun.Result result) {
        Map<String, String> types = new LinkedHashMap<>();
        for (StagePlan s : pipeline.stages()) types.put(s.id(), s.type());
        List<StageMetrics> stages = new ArrayList<>();
        for (StageStats s : result.metrics().stages()) {
            Map<?, ?> json = (Map<?, ?>) ((Map<?, ?>) result.metrics().toJson().get("stages")).get(s.id());
            stages.add(new StageMetrics(s.id(), types.getOrDefault(s.id(), ""), s.items(), number(json.get("seconds")), s.busySeconds(),
                    number(json.get("items_per_s")), s.waitFraction()));
        }
        Map<String, Object> own = new LinkedHashMap<>(result.metrics().toJson()); // the whole metrics.json: stage sections sit under stages.<id>
        Path folder = result.folder().path().toAbsolutePath();
        return new RunResult(RunStatus.valueOf(result.status().name()), folder, outputs(folder), stages, result.skipped(), own);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static List<Path> outputs(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !(p.getParent().equals(folder) && (BOOKKEEPING.contains(p.getFileName().toString())
                            || p.getFileName().toString().startsWith("."))))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Supplier<ClRuntime> memoized() {
        return new Supplier<>() {
            private ClRuntime made;

            @Override
            public synchronized ClRuntime get() {
                if (made == null) made = ClRuntime.standard();
                return made;
            }
        };
    }
}
