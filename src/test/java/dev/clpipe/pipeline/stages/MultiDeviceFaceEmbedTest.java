package dev.clpipe.pipeline.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.testing.MetricsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * face-embed with {@code device: all} on two PoCL devices, device 1 failing at its third piece:
 * faces.jsonl holds what one device writes (every face once, in order, the same descriptors), and
 * metrics.json the per-device shares and the failure. The faces come from detect-faces on one
 * device in both runs. Needs the face-api models and the ViSP photos.
 */
@Tag("multidevice")
class MultiDeviceFaceEmbedTest {
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
                  - {type: decode, channels: 3}
                  - {type: detect-faces, models: %s, device: "0:0", tiling: {scales: [1.5]}}
                  - {type: face-embed, id: embed, model: face-api, models: %s, thumbnail: 0, %s}
                """.formatted(name, models, models, placement));
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry());
        PipelineRun.Result r = PipelineRun.execute(pipeline, Optional.empty(), ClRuntime::standard, List.of("test"));
        assertEquals(PipelineRun.Status.OK, r.status());
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoDevicesOneFailingEmbedWhatOneDeviceEmbeds() throws Exception {
        Path models = RealFaceData.models().toAbsolutePath(), visp = RealFaceData.visp().toAbsolutePath();
        Path photos = Files.createDirectories(temp.resolve("photos"));
        for (String f : List.of(RealFaceData.SOLVAY, "Solvay_conference_1927_Version2_640x440.jpg")) Files.copy(visp.resolve(f), photos.resolve(f));
        Path darknet = visp.resolveSibling("darknet");
        for (String f : List.of("person.jpg", "horses.jpg", "scream.jpg", "dog.jpg")) Files.copy(darknet.resolve(f), photos.resolve(f));

        List<String> one = Files.readAllLines(run("one", models, "device: \"0:0\"").folder().file("faces.jsonl"));
        PipelineRun.Result both = run("two", models, "device: all, inject_fault: \"1@3\"");
        List<String> two = Files.readAllLines(both.folder().file("faces.jsonl"));
        assertTrue(one.size() > 20, "the Solvay photos hold many faces: " + one.size());
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) {
            JsonNode a = JSON.readTree(one.get(i)), b = JSON.readTree(two.get(i));
            assertEquals(a.get("image"), b.get("image"));
            assertEquals(a.get("face"), b.get("face"));
            assertEquals(a.get("box"), b.get("box"));
            JsonNode ea = a.get("embedding"), eb = b.get("embedding");
            assertEquals(ea.size(), eb.size());
            for (int k = 0; k < ea.size(); k++) assertEquals(ea.get(k).asDouble(), eb.get(k).asDouble(), 1e-4, a.get("image") + " face " + a.get("face"));
        }
        Map<String, Object> m = JSON.readValue(both.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> shares = (Map<String, Object>) MetricsJson.stage(m, "embed").get("devices");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) shares.get("devices");
        assertEquals(6, devices.stream().mapToLong(d -> ((Number) d.get("items")).longValue()).sum(), "each image once: " + devices);
        assertTrue(((Number) devices.get(1).get("items")).longValue() > 0, "device 1 worked before it failed: " + devices);
        assertEquals(1, ((List<?>) shares.get("failures")).size());
    }
}
