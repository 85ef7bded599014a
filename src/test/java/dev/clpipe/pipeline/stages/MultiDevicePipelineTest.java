package dev.clpipe.pipeline.stages;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.data.TinyLabelledFolder;
import dev.clpipe.nn.onnx.OnnxExporter;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.tensor.Npy;
import dev.clpipe.testing.Tolerance;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole pipelines with stages placed on both PoCL devices ({@code device: all}, multidevice
 * execution) and one device failing on purpose: the train stage ends with one device's weights,
 * training from a labelled folder with augmentation (each device streaming its slice of every batch
 * from the sample cache) ends with one device's weights despite a re-split and a failure, the
 * augment stage writes exactly the images one device writes, and metrics.json shows the split
 * and the failure. An imported ONNX model still fine-tunes on one device only (a config error).
 */
@Tag("multidevice")
class MultiDevicePipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As ReplicatedTrainerMultiDeviceTest: float rounding of split sums, compounded over a few SGD steps. */
    private static final Tolerance SPLIT = new Tolerance("split-sum", 1e-3, 1e-4);

    private static PipelineRun.Result run(Path file) throws Exception {
        Pipeline p = Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry());
        return PipelineRun.execute(p, Optional.empty(), ClRuntime::standard, List.of("test"));
    }

    private static Path trainPipeline(Path dir, String name, String placement) throws IOException {
        Files.writeString(dir.resolve("tiny.yaml"), TinyTraining.MODEL);
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                seed: 5
                out: runs
                stages:
                  - {id: train, type: train, data: data, model: tiny.yaml, batch: 16, epochs: 2, rebalance_every: 3,
                     optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, %s}
                """.formatted(name, placement));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainingOnBothDevicesSurvivesAFailureAndMatchesOneDevice(@TempDir Path dir) throws Exception {
        TinyTraining.writeIdx(dir.resolve("data"), "train", 96, 1);
        TinyTraining.writeIdx(dir.resolve("data"), "t10k", 40, 2);
        PipelineRun.Result one = run(trainPipeline(dir, "one", "device: \"0:0\""));
        PipelineRun.Result two = run(trainPipeline(dir, "two", "device: all, inject_fault: \"1@8\""));
        assertEquals(PipelineRun.Status.OK, two.status());
        Schemas.assertRunFolderValid(two.folder().path());
        Map<String, Object> m = JSON.readValue(two.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> parallel = (Map<String, Object>) MetricsJson.stage(m, "train").get("data_parallel");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) parallel.get("devices");
        assertEquals(2, devices.size());
        long rows = devices.stream().mapToLong(d -> ((Number) d.get("rows")).longValue()).sum();
        assertEquals(2 * 6 * 16, rows, "2 epochs of 6 steps of 16 rows, each counted once");
        // its share follows measured speed (load-dependent), so only bounds are fixed: some rows, at most its first 8 steps' worth
        long rows1 = ((Number) devices.get(1).get("rows")).longValue();
        assertTrue(rows1 > 0 && rows1 <= 8 * 16, "device 1 worked until step 8, then stopped: " + devices);
        assertEquals(1, ((List<?>) parallel.get("failures")).size());
        assertEquals(12, ((Number) ((Map<String, Object>) MetricsJson.stage(m, "train").get("training")).get("steps")).intValue());
        Map<String, Object> oneTest = (Map<String, Object>) MetricsJson.stage(JSON.readValue(one.folder().file("metrics.json").toFile(), Map.class), "train").get("test");
        Map<String, Object> twoTest = (Map<String, Object>) MetricsJson.stage(m, "train").get("test");
        assertEquals(((Number) oneTest.get("loss")).doubleValue(), ((Number) twoTest.get("loss")).doubleValue(), 1e-4);
        assertEquals(oneTest.get("confusion"), twoTest.get("confusion"));
        assertTrue(Files.readString(two.folder().file("log.txt")).contains("failed at step 8 and is dropped"));

        // batch inference: the checkpoint classifies a folder on both devices, one failing, as on one device
        Path images = Files.createDirectories(dir.resolve("digits"));
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < 20; i++) {
            BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 64; p++) im.getRaster().setSample(p % 8, p / 8, 0, (p % 4 == i % 4 ? 200 : 20) + r.nextInt(40));
            ImageIO.write(im, "png", images.resolve("img" + i + ".png").toFile());
        }
        List<String> alone = predictions(run(predictPipeline(dir, "p-one", one, "device: \"0:0\"")));
        PipelineRun.Result shared = run(predictPipeline(dir, "p-two", one, "device: all, inject_fault: \"1@2\""));
        List<String> together = predictions(shared);
        assertEquals(20, alone.size());
        assertEquals(alone.size(), together.size());
        for (int i = 0; i < alone.size(); i++) {
            Map<String, Object> a = JSON.readValue(alone.get(i), Map.class), b = JSON.readValue(together.get(i), Map.class);
            assertEquals(a.get("image"), b.get("image"));
            assertEquals(a.get("class"), b.get("class"));
            assertEquals(((Number) a.get("score")).doubleValue(), ((Number) b.get("score")).doubleValue(), 1e-5);
        }
        Map<String, Object> pm = JSON.readValue(shared.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> predictShares = (Map<String, Object>) MetricsJson.stage(pm, "predict").get("devices");
        List<Map<String, Object>> predictDevices = (List<Map<String, Object>>) predictShares.get("devices");
        assertEquals(20, predictDevices.stream().mapToLong(d -> ((Number) d.get("items")).longValue()).sum(), "each image once: " + predictDevices);
        assertEquals(1, ((List<?>) predictShares.get("failures")).size(), "every device starts each batch with a piece, so device 1 met its fault");
    }

    private static Path folderPipeline(Path dir, String name, String placement) throws IOException {
        if (!Files.isDirectory(dir.resolve("photos"))) TinyLabelledFolder.write(dir.resolve("photos"), 30, 7);
        Files.writeString(dir.resolve("tiny.yaml"), FolderTrainTest.MODEL.replace("classes: 3", "classes: 4").replace("units: 3", "units: 4"));
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                seed: 5
                out: runs
                input: photos
                stages:
                  - {id: train, type: train, model: tiny.yaml, batch: 8, epochs: 3, cache: cache, holdout: {test: 0.25}, rebalance_every: 3,
                     augment: {mirror: true, crop: {size: 8, padding: 1}}, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, %s}
                """.formatted(name, placement));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainingFromALabelledFolderOnBothDevicesMatchesOneDeviceDespiteAFailure(@TempDir Path dir) throws Exception {
        PipelineRun.Result one = run(folderPipeline(dir, "one", "device: \"0:0\""));
        PipelineRun.Result two = run(folderPipeline(dir, "two", "device: all, inject_fault: \"1@12\""));
        assertEquals(PipelineRun.Status.OK, one.status());
        assertEquals(PipelineRun.Status.OK, two.status());
        Schemas.assertRunFolderValid(two.folder().path());
        Path a = one.folder().file("checkpoints").resolve("epoch-0003"), b = two.folder().file("checkpoints").resolve("epoch-0003");
        for (String tensor : List.of("conv1.weight", "conv1.bias", "fc.weight", "fc.bias", "optimizer.fc.weight.momentum")) {
            SPLIT.assertClose(Npy.read(b.resolve(tensor + ".npy")).data(), Npy.read(a.resolve(tensor + ".npy")).data(), tensor);
        }
        Map<String, Object> train = MetricsJson.stage(JSON.readValue(two.folder().file("metrics.json").toFile(), Map.class), "train");
        Map<String, Object> parallel = (Map<String, Object>) train.get("data_parallel");
        assertEquals(2, ((List<?>) parallel.get("devices")).size());
        assertEquals(1, ((List<?>) parallel.get("failures")).size());
        assertTrue(((List<?>) parallel.get("splits")).size() >= 2, parallel.toString());
        Map<String, Object> data = (Map<String, Object>) train.get("data");
        assertEquals(1, ((Number) data.get("skipped_files")).intValue());
        assertTrue(((Map<String, Object>) data.get("cache")).containsKey("train"), data.toString());
        Map<String, Object> training = (Map<String, Object>) train.get("training");
        assertEquals(Boolean.FALSE, training.get("data_on_device"));
        double wait = ((Number) training.get("data_wait_fraction")).doubleValue();
        assertTrue(wait >= 0 && wait <= 1, "the replicas' waits add up in the one host thread's time: " + wait);
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) ((Map<String, Object>) train.get("train")).get("epochs");
        assertTrue(epochs.stream().allMatch(e -> e.containsKey("data_wait_fraction")), epochs.toString());
        assertTrue(Files.readString(two.folder().file("log.txt")).contains("failed at step 12 and is dropped"));
    }

    @Test
    void anImportedModelStillFineTunesOnOneDeviceOnlyEvenFromAFolder(@TempDir Path dir) throws Exception {
        TinyLabelledFolder.write(dir.resolve("photos"), 4, 7);
        Files.write(dir.resolve("res.onnx"), OnnxExporter.export(ImportedTrainStageTest.resnet(new java.util.Random(4), false), List.of("prob"), true));
        Path file = Files.writeString(dir.resolve("imported.yaml"), """
                name: imported
                out: runs
                input: photos
                stages:
                  - {id: train, type: train, model: res.onnx, batch: 4, epochs: 1, cache: cache, holdout: {test: 0.25}, device: all}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> run(file));
        assertTrue(e.getMessage().contains("stages[train].model") && e.getMessage().contains("fine-tunes on one device"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private static Path predictPipeline(Path dir, String name, PipelineRun.Result trained, String placement) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                out: runs
                input: digits
                batch: 10
                stages:
                  - {type: image-folder}
                  - {type: decode, channels: 1}
                  - {type: predict, model: tiny.yaml, checkpoint: %s, batch: 4, %s}
                """.formatted(name, trained.folder().path(), placement));
    }

    private static List<String> predictions(PipelineRun.Result run) throws IOException {
        assertEquals(PipelineRun.Status.OK, run.status());
        return Files.readAllLines(run.folder().file("predictions.jsonl"));
    }

    private static Path augmentPipeline(Path dir, String name, String placement) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                input: photos
                out: runs
                batch: 4
                seed: 7
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - {type: augment, variants: 2, output_size: [24, 24], ops: {mirror: {horizontal: 0.5}, rotate: {degrees: 15}}, %s}
                  - {type: write-images}
                """.formatted(name, placement));
    }

    @Test
    @SuppressWarnings("unchecked")
    void augmentOnBothDevicesWritesWhatOneDeviceWritesDespiteAFailure(@TempDir Path dir) throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (int i = 0; i < 12; i++) {
            BufferedImage image = new BufferedImage(30 + i, 28, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) image.setRGB(x, y, (x * 7 + i * 20) << 16 | (y * 9) << 8 | (x * y) & 0xFF);
            }
            ImageIO.write(image, "png", photos.resolve("img" + i + ".png").toFile());
        }
        PipelineRun.Result one = run(augmentPipeline(dir, "one", "device: \"0:0\""));
        PipelineRun.Result two = run(augmentPipeline(dir, "two", "device: all, inject_fault: \"1@3\""));
        assertEquals(PipelineRun.Status.OK, two.status());
        Map<String, byte[]> a = files(one.folder().file("images")), b = files(two.folder().file("images"));
        assertEquals(24, a.size());
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name);
        Map<String, Object> m = JSON.readValue(two.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> shares = (Map<String, Object>) MetricsJson.stage(m, "augment").get("devices");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) shares.get("devices");
        assertEquals(12, devices.stream().mapToLong(d -> ((Number) d.get("items")).longValue()).sum(), "each image augmented once: " + devices);
        assertEquals(1, ((List<?>) shares.get("failures")).size(), "device 1 took a piece at or after the fourth: " + devices);
    }

    private static Map<String, byte[]> files(Path folder) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) out.put(folder.relativize(f).toString(), Files.readAllBytes(f));
        }
        return out;
    }
}
