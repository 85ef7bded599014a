package dev.clpipe.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the pipeline-run tests share: a pipeline file in a temp folder, planned and run or resumed, and what it wrote. */
public final class PipelineRuns {
    public static final ObjectMapper JSON = new ObjectMapper();

    private PipelineRuns() {}

    static Path yaml(Path temp, String text) throws IOException {
        return Files.writeString(temp.resolve("p.yaml"), text);
    }

    /** A convert pipeline over {@code photos} with {@code extra} stage lines (indented by two) before its writer. */
    static Path convertYaml(Path temp, String name, String extra) throws IOException {
        return yaml(temp, """
                name: %s
                input: photos
                out: runs
                batch: 4
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                %s  - {id: write, type: write-images}
                """.formatted(name, extra));
    }

    /** {@code dir/predict.yaml}: the images of {@code input} decoded to {@code channels} and classified by {@code type: predict, PREDICT}. */
    public static Path predictYaml(Path dir, String input, int batch, int channels, String predict) throws IOException {
        return Files.writeString(dir.resolve("predict.yaml"), """
                name: predict
                out: runs
                input: %s
                batch: %d
                stages:
                  - {type: image-folder}
                  - {type: decode, channels: %d}
                  - {type: predict, %s}
                """.formatted(input, batch, channels, predict));
    }

    static Pipeline plan(Path file, StageRegistry registry) {
        return Pipeline.plan(new ConfigLoader().load(file), registry);
    }

    /** {@code file} planned with the built-in stages (throws its ConfigException). */
    public static Pipeline plan(Path file) {
        return plan(file, BuiltinStages.registry());
    }

    /**
     * {@code file} run with the built-in stages, or resumed from {@code resume}; a resume may change
     * the config (as --force-config allows): the tests stop a run after fewer epochs, then continue it.
     */
    public static PipelineRun.Result run(Path file, Optional<Path> resume) throws Exception {
        return PipelineRun.execute(plan(file), ClRuntime::standard, new PipelineRun.Options(resume, false, List.of("test"), resume.isPresent()));
    }

    static PipelineRun.Result run(Pipeline pipeline, Optional<Path> resume) throws Exception {
        return PipelineRun.execute(pipeline, resume, ClRuntime::standard, List.of("test"));
    }

    static PipelineRun.Result resume(Pipeline pipeline, Path folder, boolean forceConfig) throws Exception {
        return PipelineRun.execute(pipeline, ClRuntime::standard, new PipelineRun.Options(Optional.of(folder), false, List.of("test"), forceConfig));
    }

    static Set<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The run folder of a run that threw (so returned no result): the only one under {@code temp/runs}. */
    static Path onlyRunFolder(Path temp) throws IOException {
        try (Stream<Path> runs = Files.list(temp.resolve("runs"))) {
            return runs.findFirst().orElseThrow();
        }
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }
}
