package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigDiff;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.face.nets.EmbedderModel;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config a run folder freezes is complete and rerunnable from anywhere: for every shipped
 * pipeline, the frozen config written into another folder plans again to the same complete config,
 * names every default, and holds no relative path.
 */
class FrozenConfigTest {
    @TempDir
    Path temp;

    private static Pipeline plan(Path yaml) {
        return Pipeline.plan(new ConfigLoader(dev.clpipe.config.YamlLimits.DEFAULT, List.of(Path.of("pipelines").toAbsolutePath())).load(yaml),
                BuiltinStages.registry());
    }

    /**
     * Replanned in a child JVM whose working directory is another folder and whose model folders
     * (-Dclpipe.faceModels, CLPIPE_FACE_MODELS, CLPIPE_HUMAN_MODELS) are unset: a path a stage chose by
     * default but did not record resolves elsewhere there, so the replan fails or differs.
     */
    @Test
    void everyShippedPipelineFreezesToAConfigThatPlansAgainFromAnotherFolder() throws IOException, InterruptedException {
        List<Path> yamls;
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            yamls = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        Files.createDirectories(temp.resolve("photos"));
        List<Path> checked = new ArrayList<>(yamls);
        checked.add(Files.writeString(temp.resolve("model-defaults.yaml"), """
                name: model-defaults
                input: photos
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode, channels: 3}
                  - {id: detect, type: detect-faces}
                  - {id: embed, type: face-embed}
                """)); // the model folders default to data/face-api and data/human-models in the working directory
        Map<Path, Config> frozen = new LinkedHashMap<>();
        for (Path yaml : checked) {
            Pipeline first;
            try {
                first = plan(yaml);
            } catch (MissingInputException e) {
                continue; // data not fetched here (PipelinePlanTest says which may be absent)
            }
            Path elsewhere = Files.createDirectories(temp.resolve(yaml.getFileName().toString().replace(".yaml", ""))).resolve("config.yaml");
            first.frozenConfig().write(elsewhere);
            frozen.put(elsewhere, first.frozenConfig());
        }
        List<String> failures = new ArrayList<>(replanElsewhere(frozen.keySet()));
        for (Map.Entry<Path, Config> f : frozen.entrySet()) {
            Path again = f.getKey().resolveSibling("replanned.yaml");
            if (!Files.exists(again)) continue; // its error is in failures
            List<String> keys = ConfigDiff.keys(f.getValue().tree(), Config.load(again).tree(), Set.of());
            if (!keys.isEmpty()) failures.add(f.getKey() + ": replanning changed " + keys);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(frozen.size() >= checked.size() / 2, "planned " + frozen.size() + " of " + checked.size());
    }

    /** The error lines of {@link PlanFrozenConfigs} run on {@code files} from an empty working directory. */
    private List<String> replanElsewhere(Collection<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", System.getProperty("java.class.path"), PlanFrozenConfigs.class.getName()));
        files.forEach(f -> command.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(Files.createDirectories(temp.resolve("cwd")).toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeAll(List.of(FaceApiModels.ENV, EmbedderModel.ENV));
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "replanning timed out");
        assertEquals(0, child.exitValue(), output);
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void defaultsAreFilledAndPathsAreAbsolute() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("exp"));
        Files.createDirectories(dir.resolve("photos"));
        Path yaml = Files.writeString(dir.resolve("p.yaml"), """
                name: convert
                input: photos
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - {type: write-images}
                """);
        String frozen = plan(yaml).frozenConfig().toYaml();
        assertTrue(frozen.contains("input: " + dir.resolve("photos").toAbsolutePath().normalize()), frozen);
        assertTrue(frozen.contains("out: /"), "out absolute: " + frozen);
        assertTrue(frozen.contains("batch: "), "defaults filled: " + frozen);
        assertTrue(frozen.contains("seed: "), frozen);
        assertEquals(frozen, plan(Files.writeString(temp.resolve("copy.yaml"), frozen)).frozenConfig().toYaml(), "freezing is idempotent");
    }
}
