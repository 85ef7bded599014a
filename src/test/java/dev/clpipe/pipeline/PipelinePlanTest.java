package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinePlanTest {
    @TempDir
    Path temp;

    private Pipeline plan(String yaml) throws IOException {
        Path file = Files.writeString(temp.resolve("bad.yaml"), yaml);
        return Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry());
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> plan(yaml)).getMessage();
    }

    @Test
    void aValidPipelinePlansEveryStageWithDefaults() throws IOException {
        Files.createDirectories(temp.resolve("photos"));
        Pipeline p = plan("""
                input: photos
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - {id: out, type: write-images, format: jpg}
                """);
        assertEquals(List.of("image-folder", "decode", "out"), p.stages().stream().map(StagePlan::id).toList());
        assertEquals("bad", p.settings().name());
        assertEquals(42, p.settings().seed());
        assertEquals("auto", p.settings().device());
    }

    @Test
    void anUnknownStageTypeIsNamedWithItsLineAndTheNearestType() {
        String message = error("""
                stages:
                  - type: image-folder
                    input: x
                  - type: decod
                """);
        assertTrue(message.contains("bad.yaml:4:"), message);
        assertTrue(message.contains("stages[1].type"), message);
        assertTrue(message.contains("did you mean 'decode'"), message);
    }

    @Test
    void anUnknownKeyInAStageIsAnErrorWithASuggestion() {
        String message = error("""
                stages:
                  - {type: image-folder, input: x, extensons: [png]}
                """);
        assertTrue(message.contains("extensons"), message);
        assertTrue(message.contains("did you mean 'extensions'"), message);
    }

    @Test
    void stagesNeedASourceBeforeThem() {
        assertTrue(error("stages:\n  - {type: decode}\n").contains("a source stage (e.g. image-folder) must come before it"));
    }

    @Test
    void duplicateIdsBadShardsAndEscapingOutputFoldersAreRefused() {
        assertTrue(error("""
                stages:
                  - {type: image-folder, input: x}
                  - {id: a, type: decode}
                  - {id: a, type: decode}
                """).contains("stage id \"a\" is used twice"));
        assertTrue(error("stages:\n  - {type: image-folder, input: x, shard: 3/2}\n").contains("expected i/n with 0 <= i < n"));
        assertTrue(error("""
                stages:
                  - {type: image-folder, input: x}
                  - {type: decode}
                  - {type: write-images, folder: ../../etc}
                """).contains("escapes the allowed folder"));
    }

    @Test
    void aMissingInputSaysHowToGiveOne() {
        assertTrue(error("stages:\n  - {type: image-folder}\n").contains("pass --input PATH"));
    }

    @Test
    void emptyPipelinesAndBadNamesAreRefused() {
        assertTrue(error("name: x\n").contains("at least one stage"));
        assertTrue(error("name: 'a/b'\nstages:\n  - {type: image-folder, input: x}\n").contains("it names a folder"));
    }

    /** validate and run refuse what a run would only find later: missing inputs (exit 4), bad device strings, empty filters. */
    @Test
    void missingInputsAreRefusedWhilePlanningAfterEveryConfigError() throws IOException {
        MissingInputException e = assertThrows(MissingInputException.class, () -> plan("stages:\n  - {type: image-folder, input: nowhere}\n"));
        assertTrue(e.getMessage().matches("(?s).*bad.yaml:2:\\d+: stages\\[0\\].input: folder .*nowhere does not exist"), e.getMessage());
        Files.writeString(temp.resolve("a-file"), "x");
        e = assertThrows(MissingInputException.class, () -> plan("stages:\n  - {type: image-folder, input: a-file}\n"));
        assertTrue(e.getMessage().contains("a-file is a file, not a folder"), e.getMessage());
        // a config error in the same file wins: it is exit 2, and fixing it first is what the user needs
        String config = assertThrows(ConfigException.class, () -> plan("stages:\n  - {type: image-folder, input: nowhere, extensons: [png]}\n")).getMessage();
        assertTrue(config.contains("unknown key 'extensons'"), config);
        e = assertThrows(MissingInputException.class, () -> plan("""
                stages:
                  - {type: train, model: %s, data: nowhere}
                """.formatted(Path.of("pipelines/models/lenet5.yaml").toAbsolutePath())));
        assertTrue(e.getMessage().contains("stages[0].data: folder") && e.getMessage().contains("make data"), e.getMessage());
        Files.createDirectories(temp.resolve("no-models"));
        e = assertThrows(MissingInputException.class, () -> plan("stages:\n  - {type: image-folder, input: no-models}\n  - {type: decode}\n"
                + "  - {type: face-embed, models: no-models}\n"));
        assertTrue(e.getMessage().contains("stages[2].models: folder") && e.getMessage().contains("lacks ")
                && e.getMessage().contains("face_recognition_model-weights_manifest.json"), e.getMessage());
    }

    @Test
    void malformedDeviceStringsAndAnEmptyExtensionListAreConfigErrors() throws IOException {
        Files.createDirectories(temp.resolve("photos"));
        assertContains(error("device: foo\nstages:\n  - {type: image-folder, input: photos}\n"), "device: unknown device term 'foo'");
        assertContains(error("stages:\n  - {type: image-folder, input: photos}\n  - {type: decode}\n  - {type: augment, output_size: 8, device: 'name~'}\n"),
                "stages[2].device: 'name~' needs text after it");
        assertContains(error("stages:\n  - {type: image-folder, input: photos, extensions: []}\n"), "an empty list would read no file");
        assertContains(error("batch: 64\nstages:\n  - {type: image-folder, input: photos}\n  - {type: decode}\n  - {type: augment, output_size: [32768, 32768], input_size: [16, 16]}\n"),
                "output_size: [32768, 32768] with batch 64 needs 206158430208 bytes");
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), message);
    }

    /** Before the fix the mismatch surfaced only when the run read the data, after making a run folder. */
    @Test
    void idxImagesThatDoNotFitTheModelAreAConfigErrorWhilePlanning() throws IOException {
        for (String split : List.of("train", "t10k")) dev.clpipe.pipeline.stages.TinyTraining.writeIdx(temp.resolve("idx"), split, 8, 1);
        String lenet = Path.of("pipelines/models/lenet5.yaml").toAbsolutePath().toString();
        for (String type : List.of("train", "evaluate")) {
            assertContains(error("stages:\n  - {id: s, type: " + type + ", data: idx, model: '" + lenet + "'}\n"),
                    "stages[s].data: layer conv1 of model lenet5 takes 28x28x1 input, but " + temp.resolve("idx") + " holds 8x8x1 images");
        }
    }

    @Test
    void everyShippedPipelineValidates() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            List<Path> yamls = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertTrue(!yamls.isEmpty());
            for (Path yaml : yamls) {
                try {
                    Pipeline p = Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry());
                    assertTrue(!p.stages().isEmpty(), yaml.toString());
                } catch (MissingInputException e) { // thrown after every config check passed
                    // built by 'make face-identities', and by the export fashion-transfer-onnx.yaml's header gives
                    assertTrue(e.problems().stream().allMatch(pr -> pr.message().contains("target/face-identities")
                                    || pr.message().contains("runs/lenet5-mnist.onnx does not exist")),
                            "only the identity set and the exported LeNet-5 backbone may be absent: " + e.getMessage());
                }
            }
        }
    }
}
