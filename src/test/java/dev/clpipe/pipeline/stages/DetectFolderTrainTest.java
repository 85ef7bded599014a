package dev.clpipe.pipeline.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.detect.scenes.SceneFolders;
import dev.clpipe.detect.scenes.SceneSpec;
import dev.clpipe.detect.scenes.TestDigits;
import dev.clpipe.nn.Dataset;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.testing.MetricsJson;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detect-train} on annotated folders: the generated digit scenes written out as lossless
 * PNGs with COCO annotations train to the very same weights and detections as the scenes
 * generated in memory (same seed, same split: train/ and test/ folders); the YOLO export, whose
 * relative coordinates are rounded to 6 decimals, gives the same frames and boxes within that
 * rounding; the stream form image-folder → detect-train reads the stream's folder.
 */
class DetectFolderTrainTest {
    static final String MODEL = """
            name: tiny-yolo
            input: {height: 48, width: 48, channels: 1}
            layers:
              - {type: conv, filters: 8, kernel: 3, stride: 2, pad: 1}
              - {type: batchnorm}
              - {type: leaky-relu}
              - {type: maxpool, size: 2}
              - {type: conv, filters: 16, kernel: 3, pad: 1}
              - {type: batchnorm}
              - {type: leaky-relu}
              - {type: maxpool, size: 2}
              - {type: conv, name: head, filters: 15, kernel: 1}
            """;
    static final SceneSpec SPEC = new SceneSpec(40, 48, 1, 2, 20, 28, 0.05, 64);
    static final long SEED = 5;

    /** A fake MNIST folder (IDX) and both exports of its scenes, under {@code dir}. */
    static void data(Path dir, int train, int test) throws IOException {
        Dataset digits = TestDigits.fake(200);
        writeIdx(dir.resolve("mnist"), "train", digits);
        writeIdx(dir.resolve("mnist"), "t10k", digits);
        Dataset trainDigits = Dataset.fromIdx(dir.resolve("mnist"), "train", 10), testDigits = Dataset.fromIdx(dir.resolve("mnist"), "t10k", 10);
        SceneFolders.write(trainDigits, testDigits, SPEC, SEED, train, test, "coco", dir.resolve("coco"));
        SceneFolders.write(trainDigits, testDigits, SPEC, SEED, train, test, "yolo", dir.resolve("yolo"));
        Files.writeString(dir.resolve("tiny-yolo.yaml"), MODEL);
    }

    static void writeIdx(Path folder, String split, Dataset d) throws IOException {
        Files.createDirectories(folder);
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(folder.resolve(split + "-images-idx3-ubyte")));
             DataOutputStream lb = new DataOutputStream(Files.newOutputStream(folder.resolve(split + "-labels-idx1-ubyte")))) {
            im.writeInt(0x803);
            im.writeInt(d.count());
            im.writeInt(28);
            im.writeInt(28);
            im.write(d.images());
            lb.writeInt(0x801);
            lb.writeInt(d.count());
            for (int label : d.labels()) lb.writeByte(label);
        }
    }

    static Path pipeline(Path dir, String name, String data, String extra) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                seed: %d
                out: runs
                stages:
                  - id: detect
                    type: detect-train
                    data: %s
                    model: tiny-yolo.yaml
                    batch: 16
                    epochs: 2
                    optimizer: {type: adam, lr: 0.003}
                    loss: {coord: 5, obj: 1, noobj: 0.5, cls: 2}
                    nms: {score_threshold: 0.01}
                    check_every: 2
                %s
                """.formatted(name, SEED, data, extra));
        return file;
    }

    static PipelineRun.Result run(Path file) throws Exception {
        return PipelineRun.execute(Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()), ClRuntime::standard,
                new PipelineRun.Options(Optional.empty(), false, List.of("test"), false));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> detect(PipelineRun.Result r) throws IOException {
        return MetricsJson.stage(new ObjectMapper().readValue(r.folder().file("metrics.json").toFile(), Map.class), "detect");
    }

    /** The detections of every test image, without the image names (scene-NNNNN against images/scene-NNNNN.png). */
    static List<String> detections(PipelineRun.Result r) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(r.folder().file("detections.jsonl"))) out.add(line.substring(line.indexOf("\"width\"")));
        return out;
    }

    static List<Path> tensors(Path checkpoint) throws IOException {
        try (Stream<Path> s = Files.list(checkpoint)) {
            return s.filter(p -> p.toString().endsWith(".npy")).sorted().toList();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExportedCocoFolderTrainsToTheSameWeightsAsTheGeneratedScenes(@TempDir Path dir) throws Exception {
        data(dir, 64, 32);
        String scenes = "    scenes: {train: 64, test: 32, canvas: [40, 48], digits: [1, 2], scale: [20, 28], max_overlap: 0.05, fresh_each_epoch: false}";
        PipelineRun.Result generated = run(pipeline(dir, "generated", "mnist", scenes));
        PipelineRun.Result folder = run(pipeline(dir, "folder", "coco", "    fit: pad\n    cache: cache"));
        assertEquals(PipelineRun.Status.OK, generated.status());
        assertEquals(PipelineRun.Status.OK, folder.status());
        Path a = generated.folder().file("checkpoints").resolve("epoch-0002"), b = folder.folder().file("checkpoints").resolve("epoch-0002");
        List<Path> weights = tensors(a);
        assertTrue(weights.size() > 10, weights.toString());
        for (Path t : weights) assertArrayEquals(Files.readAllBytes(t), Files.readAllBytes(b.resolve(t.getFileName())), t.getFileName().toString());
        Map<String, Object> g = detect(generated), f = detect(folder);
        assertEquals(((Map<String, Object>) g.get("train")).get("epochs").toString().replaceAll("seconds=[^,]*, images_per_s=[^,}]*", ""),
                ((Map<String, Object>) f.get("train")).get("epochs").toString().replaceAll("seconds=[^,]*, images_per_s=[^,}]*", ""));
        assertEquals(((Map<String, Object>) g.get("detection")).get("map50_voc"), ((Map<String, Object>) f.get("detection")).get("map50_voc"));
        assertEquals(detections(generated), detections(folder));
        Map<String, Object> d = (Map<String, Object>) f.get("data");
        assertEquals("coco", d.get("format"));
        assertEquals("train/ and test/ folders", d.get("layout"));
        assertEquals(64, ((Number) d.get("train_images")).intValue());
        assertEquals(((Map<String, Object>) g.get("anchors")).get("pixels"), ((Map<String, Object>) f.get("anchors")).get("pixels"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStreamFormReadsAYoloFolderThroughTheCache(@TempDir Path dir) throws Exception {
        data(dir, 32, 16);
        Path file = dir.resolve("stream.yaml");
        Files.writeString(file, """
                name: stream
                seed: %d
                out: runs
                input: yolo
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode, channels: 1}
                  - {id: detect, type: detect-train, model: tiny-yolo.yaml, batch: 16, epochs: 1, fit: pad, cache: cache, check_every: 2}
                """.formatted(SEED));
        Pipeline plan = Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry());
        assertEquals(List.of("detect"), plan.stages().stream().map(p -> p.id()).toList(), "the stream names the data and does not run");
        PipelineRun.Result r = PipelineRun.execute(plan, ClRuntime::standard, new PipelineRun.Options(Optional.empty(), false, List.of("test"), false));
        assertEquals(PipelineRun.Status.OK, r.status());
        Map<String, Object> d = (Map<String, Object>) detect(r).get("data");
        assertEquals("yolo", d.get("format"));
        assertEquals(SceneFolders.DIGITS, d.get("classes"));
        assertEquals(32, ((Number) d.get("train_images")).intValue());
        assertEquals(16, Files.readAllLines(r.folder().file("detections.jsonl")).size());
        assertTrue(Files.readAllLines(r.folder().file("detections.jsonl")).get(0).startsWith("{\"image\":\"images/scene-00000.png\",\"width\":"),
                "detections name the test images");
        String again = Files.readString(file).replace("channels: 1", "channels: 3");
        Files.writeString(file, again);
        dev.clpipe.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(dev.clpipe.config.ConfigException.class,
                () -> Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("set decode's channels to 1"), e.getMessage());
    }
}
