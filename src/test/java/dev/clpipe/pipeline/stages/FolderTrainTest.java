package dev.clpipe.pipeline.stages;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.data.TinyLabelledFolder;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: train} and {@code evaluate} on a labelled folder through the runner: grey, RGB
 * JPEG, RGBA and odd-sized images train a tiny model; the corrupt file is in skipped.csv and
 * counted; class names reach the checkpoint, metrics and evaluate; a resumed run ends with the
 * same weights; the stream form and a model that does not fit are config errors.
 */
class FolderTrainTest {
    static final String MODEL = """
            name: tiny
            input: {height: 8, width: 8, channels: 1}
            classes: 3
            layers:
              - {type: conv, name: conv1, filters: 4, kernel: 3, pad: 1}
              - {type: relu}
              - {type: maxpool, size: 2}
              - {type: dense, name: fc, units: 3}
            """;

    private static Path pipeline(Path dir, int epochs, String extra) throws IOException {
        if (!Files.isDirectory(dir.resolve("photos"))) TinyLabelledFolder.write(dir.resolve("photos"), 30, 7);
        Files.writeString(dir.resolve("tiny.yaml"), MODEL.replace("classes: 3", "classes: 4").replace("units: 3", "units: 4"));
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, """
                name: folder-train
                seed: 5
                out: runs
                input: photos
                stages:
                  - id: train
                    type: train
                    model: tiny.yaml
                    batch: 8
                    epochs: %d
                    cache: cache
                    holdout: {test: 0.25}
                    optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
                    check_every: 2
                %s
                """.formatted(epochs, extra));
        return file;
    }

    private static PipelineRun.Result run(Path file, Optional<Path> resume) throws Exception {
        // A resume here changes only the epochs (stopped after 1, continued to 3): --force-config.
        return PipelineRun.execute(Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()), ClRuntime::standard,
                new PipelineRun.Options(resume, false, List.of("test"), resume.isPresent()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainsOnAFolderSkipsTheCorruptFileAndResumesExactly(@TempDir Path dir) throws Exception {
        String evaluate = "  - {id: evaluate, type: evaluate, model: tiny.yaml, split: test, cache: cache, holdout: {test: 0.25}, batch: 5}";
        PipelineRun.Result whole = run(pipeline(dir, 3, evaluate), Optional.empty());
        assertEquals(PipelineRun.Status.OK, whole.status());
        ObjectMapper json = new ObjectMapper();
        Schemas.assertRunFolderValid(whole.folder().path());
        Map<String, Object> metrics = json.readValue(whole.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> data = (Map<String, Object>) MetricsJson.stage(metrics, "train").get("data");
        List<String> classes = List.of("bottom", "left", "top", "zempty");
        assertEquals(classes, data.get("classes"));
        assertEquals(1, ((Number) data.get("skipped_files")).intValue());
        assertTrue(data.get("warnings").toString().contains("zempty"), data.toString());
        assertEquals(90, ((Number) data.get("train_images")).intValue() + ((Number) data.get("test_images")).intValue());
        Map<String, Object> test = (Map<String, Object>) MetricsJson.stage(metrics, "train").get("test");
        assertEquals(classes, test.get("classes"));
        assertTrue(((Number) test.get("accuracy")).doubleValue() > 0.9, test.toString());
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) ((Map<String, Object>) MetricsJson.stage(metrics, "train").get("train")).get("epochs");
        assertTrue(epochs.get(2).containsKey("data_wait_fraction"), epochs.toString());
        assertTrue(Files.readString(whole.folder().file("skipped.csv")).contains("top/bad.png,not_image"));
        Map<String, Object> score = (Map<String, Object>) MetricsJson.stage(metrics, "evaluate").get("evaluation");
        assertEquals(test.get("accuracy"), score.get("accuracy"), "evaluate scores the same test split as training's last epoch");
        assertEquals(classes, score.get("classes"));
        Path last = whole.folder().file("checkpoints").resolve("epoch-0003");
        assertTrue(Files.readString(last.resolve("index.json")).contains("\"zempty\""));

        PipelineRun.Result first = run(pipeline(dir, 1, ""), Optional.empty());
        PipelineRun.Result resumed = run(pipeline(dir, 3, ""), Optional.of(first.folder().path()));
        Path again = resumed.folder().file("checkpoints").resolve("epoch-0003");
        for (String tensor : List.of("conv1.weight.npy", "fc.weight.npy", "fc.bias.npy", "optimizer.fc.weight.momentum.npy")) {
            assertArrayEquals(Files.readAllBytes(last.resolve(tensor)), Files.readAllBytes(again.resolve(tensor)), tensor);
        }
    }

    @Test
    void theStreamFormIsRefusedWithTheFormThatWorks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stream.yaml");
        Files.writeString(dir.resolve("tiny.yaml"), MODEL);
        Files.writeString(file, """
                name: stream
                input: photos
                stages:
                  - {type: image-folder, labels: true}
                  - {type: decode, channels: 1}
                  - {type: train, model: tiny.yaml}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("data: FOLDER") && e.getMessage().contains("folder-train.yaml"), e.getMessage());
    }

    @Test
    void anImageShapeTheModelDoesNotTakeNamesTheLayerAndBothShapes(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, 1, "").resolveSibling("train.yaml");
        Files.writeString(file, Files.readString(file).replace("    cache: cache", "    cache: cache\n    image: {height: 16, width: 16, channels: 3}"));
        ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("layer conv1") && e.getMessage().contains("8x8x1") && e.getMessage().contains("16x16x3"), e.getMessage());
    }
}
