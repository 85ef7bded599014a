package dev.clpipe.pipeline.stages;

import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch face detection with {@code device: all} on two PoCL devices, device 1 failing at the
 * second batch: detections.jsonl holds what one device finds, each image once, and metrics.json
 * the per-device shares and the failure. Needs the face-api models and the ViSP photos.
 */
@Tag("multidevice")
class MultiDeviceDetectFacesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private PipelineRun.Result run(String name, Path models, String placement) throws Exception {
        Path yaml = Files.writeString(temp.resolve(name + ".yaml"), """
                name: %s
                input: photos
                out: runs
                batch: 3
                stages:
                  - {type: image-folder}
                  - {type: decode, channels: 0}
                  - {type: detect-faces, id: faces, models: %s, tiling: {scales: [1.5]}, %s}
                """.formatted(name, models, placement));
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry());
        PipelineRun.Result r = PipelineRun.execute(pipeline, Optional.empty(), ClRuntime::standard, List.of("test"));
        assertEquals(PipelineRun.Status.OK, r.status());
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoDevicesOneFailingFindWhatOneDeviceFinds() throws Exception {
        Path models = RealFaceData.models().toAbsolutePath(), visp = RealFaceData.visp().toAbsolutePath();
        Path photos = Files.createDirectories(temp.resolve("photos"));
        for (String f : List.of(RealFaceData.SOLVAY, "Solvay_conference_1927_Version2_640x440.jpg", "Solvay_conference_1927_Version2_1024x705.jpg")) {
            Files.copy(visp.resolve(f), photos.resolve(f));
        }
        Path darknet = visp.resolveSibling("darknet");
        for (String f : List.of("person.jpg", "horses.jpg", "scream.jpg")) Files.copy(darknet.resolve(f), photos.resolve(f));

        List<String> one = Files.readAllLines(run("one", models, "device: \"0:0\"").folder().file("detections.jsonl"));
        PipelineRun.Result both = run("two", models, "device: all, inject_fault: \"1@3\"");
        List<String> two = Files.readAllLines(both.folder().file("detections.jsonl"));
        assertEquals(6, one.size());
        assertEquals(one.size(), two.size());
        int faces = 0;
        for (int i = 0; i < one.size(); i++) {
            JsonNode a = JSON.readTree(one.get(i)), b = JSON.readTree(two.get(i));
            assertEquals(a.get("image"), b.get("image"));
            JsonNode da = a.get("detections"), db = b.get("detections");
            assertEquals(da.size(), db.size(), a.get("image").asText());
            for (int k = 0; k < da.size(); k++) {
                assertEquals(da.get(k).get("score").asDouble(), db.get(k).get("score").asDouble(), 1e-4);
                for (int c = 0; c < 4; c++) assertEquals(da.get(k).get("box").get(c).asDouble(), db.get(k).get("box").get(c).asDouble(), 0.5);
            }
            faces += da.size();
        }
        assertTrue(faces > 20, "the Solvay photos hold many faces: " + faces);
        Map<String, Object> m = JSON.readValue(both.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> shares = (Map<String, Object>) MetricsJson.stage(m, "faces").get("devices");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) shares.get("devices");
        assertEquals(6, devices.stream().mapToLong(d -> ((Number) d.get("items")).longValue()).sum(), "each image once: " + devices);
        assertTrue(((Number) devices.get(1).get("items")).longValue() > 0, "device 1 worked in the first batch: " + devices);
        assertEquals(1, ((List<?>) shares.get("failures")).size());
    }
}
