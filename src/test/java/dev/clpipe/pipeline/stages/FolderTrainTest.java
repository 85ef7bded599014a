package dev.clpipe.pipeline.stages;

import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.run;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.config.ConfigException;
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
 * same weights, with device augmentation too; the stream form image-folder → decode → train reads
 * the stream's folder through the cache; a model that does not fit is a config error.
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
        return TinyTraining.trainYaml(dir, "train", MODEL.replace("classes: 3", "classes: 4").replace("units: 3", "units: 4"), "input: photos\n", epochs,
                "    batch: 8\n    cache: cache\n    holdout: {test: 0.25}\n" + extra);
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
    @SuppressWarnings("unchecked")
    void theStreamFormTrainsOnTheStreamsFolderThroughTheCache(@TempDir Path dir) throws Exception {
        TinyLabelledFolder.write(dir.resolve("photos"), 30, 7);
        Files.writeString(dir.resolve("tiny.yaml"), MODEL.replace("classes: 3", "classes: 4").replace("units: 3", "units: 4"));
        Path file = dir.resolve("stream.yaml");
        String stream = """
                name: stream
                seed: 5
                out: runs
                input: photos
                stages:
                  - {id: read, type: image-folder, labels: true}
                  - {id: decode, type: decode, channels: 1}
                  - {id: train, type: train, model: tiny.yaml, batch: 8, epochs: 2, cache: cache, holdout: {test: 0.25}, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}}
                  - {id: evaluate, type: evaluate, model: tiny.yaml, split: test, cache: cache, holdout: {test: 0.25}, batch: 5, predictions: predictions.jsonl}
                """;
        Files.writeString(file, stream);
        Pipeline plan = plan(file);
        assertEquals(List.of("train", "evaluate"), plan.stages().stream().map(p -> p.id()).toList(), "the stream names the data and does not run");
        PipelineRun.Result r = run(file, Optional.empty());
        assertEquals(PipelineRun.Status.OK, r.status());
        Map<String, Object> metrics = new ObjectMapper().readValue(r.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> data = (Map<String, Object>) MetricsJson.stage(metrics, "train").get("data");
        assertEquals(List.of("bottom", "left", "top", "zempty"), data.get("classes"));
        int testImages = ((Number) data.get("test_images")).intValue();
        assertEquals(90, ((Number) data.get("train_images")).intValue() + testImages);
        List<String> lines = Files.readAllLines(r.folder().file("predictions.jsonl"));
        assertEquals(testImages, lines.size(), "one prediction per test image");
        long right = 0;
        for (String line : lines) {
            Map<String, Object> p = new ObjectMapper().readValue(line, Map.class);
            assertTrue(Files.isRegularFile(dir.resolve("photos").resolve((String) p.get("image"))), line);
            assertTrue(((String) p.get("image")).startsWith((String) p.get("truth") + "/"), "the truth is the class folder: " + line);
            if (p.get("label").equals(p.get("truth"))) right++;
        }
        double accuracy = ((Number) ((Map<String, Object>) MetricsJson.stage(metrics, "evaluate").get("evaluation")).get("accuracy")).doubleValue();
        assertEquals(accuracy, (double) right / testImages, 1e-9, "the lines agree with the evaluation's accuracy");

        Files.writeString(file, stream.replace("channels: 1", "channels: 3"));
        ConfigException colour = assertThrows(ConfigException.class, () -> plan(file));
        assertTrue(colour.getMessage().contains("stages[decode].channels") && colour.getMessage().contains("layer conv1"), colour.getMessage());
        Files.writeString(file, stream.replace("cache: cache,", "cache: cache, data: photos,"));
        ConfigException twice = assertThrows(ConfigException.class, () -> plan(file));
        assertTrue(twice.getMessage().contains("in one place"), twice.getMessage());
        Files.writeString(file, stream.replace("  - {id: train", "  - {id: aug, type: augment, output_size: 8}\n  - {id: train"));
        ConfigException augmented = assertThrows(ConfigException.class, () -> plan(file));
        assertTrue(augmented.getMessage().contains("'augment:'") && augmented.getMessage().contains("folder-train.yaml"), augmented.getMessage());
    }

    @Test
    void augmentationAndViewsAreValidatedWhilePlanning(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, 1, "");
        String base = Files.readString(file);
        Files.writeString(file, base.replace("    cache: cache", "    cache: cache\n    image: {height: 12, width: 12, channels: 1}\n    view: centre_crop\n"
                + "    augment: {mirror: true, crop: {size: 8, padding: 1}, rotate: false, fill: 9}"));
        plan(file); // a valid augment section, a larger cached sample
        for (String[] bad : new String[][] {{"augment: {blur: {}}", "stages[train].augment", "augment.ops.blur is not a known op"},
                {"augment: {rotate: {degrees: 400}}", "stages[train].augment", "rotate.degrees must be within [0, 180]"},
                {"augment: {crop: {sise: 8}}", "stages[train].augment", "crop.sise is not a known key"},
                {"augment: {fill: 300}", "stages[train].augment.fill", "300"},
                {"view: stretch", "stages[train].view", "resize, centre_crop"}}) {
            Files.writeString(file, base.replace("    cache: cache", "    cache: cache\n    " + bad[0]));
            ConfigException e = assertThrows(ConfigException.class, () -> plan(file), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains(bad[2]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void anImageShapeTheModelDoesNotTakeNamesTheLayerAndBothShapes(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, 1, "");
        Files.writeString(file, Files.readString(file).replace("    cache: cache", "    cache: cache\n    image: {height: 16, width: 16, channels: 3}"));
        ConfigException e = assertThrows(ConfigException.class, () -> plan(file));
        assertTrue(e.getMessage().contains("layer conv1") && e.getMessage().contains("8x8x1") && e.getMessage().contains("16x16x3"), e.getMessage());
    }
}
