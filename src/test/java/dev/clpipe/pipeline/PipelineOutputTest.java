package dev.clpipe.pipeline;

import static dev.clpipe.pipeline.PipelineRuns.convertYaml;
import static dev.clpipe.pipeline.PipelineRuns.filesUnder;
import static dev.clpipe.pipeline.PipelineRuns.json;
import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.run;
import static dev.clpipe.pipeline.PipelineRuns.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.data.TestDataGenerator;
import dev.clpipe.pipeline.stages.BuiltinStages;
import dev.clpipe.testing.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a finished run writes: outputs under any file name, skipped.csv, metrics.json, run.json. */
class PipelineOutputTest {
    @TempDir
    Path temp;

    private static String png(String name) {
        return name.toLowerCase().endsWith(".png") ? name : name + ".png";
    }

    @Test
    void aFolderWithBrokenFilesWritesEveryGoodImageAndListsEveryBadOne() throws Exception {
        Path photos = temp.resolve("photos");
        Map<String, String> expected = TestDataGenerator.generate(photos, 1500); // thousands of images, a dozen kinds of broken files
        Path file = yaml(temp, """
                name: convert
                input: photos
                out: runs
                batch: 37
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                  - {id: write, type: write-images}
                """);
        PipelineRun.Result result = run(plan(file, BuiltinStages.registry()), Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        Path folder = result.folder().path();
        assertTrue(folder.getFileName().toString().matches("convert-\\d{8}-\\d{6}"), folder.toString());

        Set<String> good = expected.entrySet().stream().filter(e -> e.getValue() == null)
                .map(e -> png(e.getKey())).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(good, filesUnder(folder.resolve("images")));

        List<String> skipped = Files.readAllLines(folder.resolve("skipped.csv"));
        assertEquals("file,reason,message", skipped.get(0));
        Map<String, String> bad = expected.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(bad.size(), skipped.size() - 1 + countSymlinkEscapes(bad), skipped.toString());
        for (Map.Entry<String, String> e : bad.entrySet()) {
            if (e.getValue().equals("symlink_escape")) continue; // reported by the walk, checked in the data tests
            assertTrue(skipped.stream().anyMatch(l -> l.startsWith(e.getKey() + "," + e.getValue() + ",")),
                    e + " missing from " + skipped);
        }
        assertEquals(bad.size() - countSymlinkEscapes(bad), result.skipped());

        Schemas.assertRunFolderValid(folder);
        JsonNode metrics = json(folder.resolve("metrics.json"));
        List<String> order = new java.util.ArrayList<>();
        metrics.get("stages").fieldNames().forEachRemaining(order::add);
        assertEquals(List.of("read", "decode", "write"), order);
        assertEquals(good.size(), metrics.get("stages").get("write").get("items").asInt());
        for (String field : List.of("seconds", "items", "items_per_s", "wait_fraction", "worker_seconds", "work_seconds")) {
            assertTrue(metrics.get("stages").get("decode").has(field), field);
        }
        // decode and write run their work on the worker pool and count it there
        assertTrue(metrics.get("stages").get("decode").get("worker_seconds").asDouble() > 0, metrics.toString());
        assertTrue(metrics.get("stages").get("write").get("worker_seconds").asDouble() > 0, metrics.toString());
        JsonNode run = json(folder.resolve("run.json"));
        assertEquals("ok", run.get("status").asText());
        // which codec ran is never silent: the decoder of each format decoded, the encoder of each writing stage
        String jpeg = dev.clpipe.data.DecoderChoice.turboAvailable() ? "libjpeg-turbo" : "imageio";
        assertEquals(jpeg, run.get("decoders").get("JPEG").asText(), run.toString());
        assertEquals("imageio", run.get("decoders").get("PNG").asText(), run.toString());
        assertEquals("png-" + dev.clpipe.data.PngEncoder.deflater() + "-1", run.get("encoders").get("write").asText(), run.toString());
        assertEquals(42, run.get("seed").asInt());
        assertTrue(Files.readString(folder.resolve("config.yaml")).contains("write-images"));
        assertTrue(Files.size(folder.resolve("log.txt")) > 0);
    }

    private static int countSymlinkEscapes(Map<String, String> bad) {
        return (int) bad.values().stream().filter("symlink_escape"::equals).count();
    }

    @Test
    void awkwardFileNamesAreAllWrittenWithoutCollisions() throws Exception {
        Path photos = temp.resolve("photos");
        Files.createDirectories(photos.resolve("sub"));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 6, java.awt.image.BufferedImage.TYPE_INT_RGB);
        List<String> names = List.of("a\\..\\..\\evil.png", "sub\\y.png", "sub/y.png", "new\nline.png", "b.jpg", "b.jpg.png", "B.PNG", "B.png");
        for (int i = 0; i < names.size(); i++) {
            img.setRGB(i, 0, 0xff0000 + i);
            javax.imageio.ImageIO.write(img, names.get(i).endsWith("jpg") ? "jpeg" : "png", photos.resolve(names.get(i)).toFile());
        }
        PipelineRun.Result result = run(plan(convertYaml(temp, "names", ""), BuiltinStages.registry()), Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        assertEquals(new TreeSet<>(List.of("a\\..\\..\\evil.png", "sub\\y.png", "sub/y.png", "new\nline.png", "b.jpg.png.png", "b.jpg.png",
                "B.PNG.png", "B.png")), filesUnder(result.folder().path().resolve("images")));
        assertEquals(names.size(), Files.readAllLines(result.folder().path().resolve("completed.txt")).size());
    }

    @Test
    void profilingRecordsEveryKernelLaunchInMetrics() throws Exception {
        Path file = yaml(temp, """
                out: runs
                device: cpu
                batch: 10
                stages:
                  - {id: count, type: counting-source, items: 35}
                  - {id: scale, type: device-scale}
                """);
        StageRegistry registry = BuiltinStages.registry().register(new TestStages.CountingSource()).register(new TestStages.DeviceScale());
        PipelineRun.Result result = PipelineRun.execute(plan(file, registry), ClRuntime::standard,
                new PipelineRun.Options(Optional.empty(), true, List.of("test")));
        Schemas.assertRunFolderValid(result.folder().path());
        JsonNode kernels = json(result.folder().file("metrics.json")).get("kernels");
        JsonNode perKernel = kernels.elements().next();
        assertEquals(4, perKernel.get("scale").get("launches").asInt(), kernels.toString());
        JsonNode run = json(result.folder().file("run.json"));
        assertTrue(run.get("devices").get(0).asText().contains("cpu"), run.toString());
    }
}
