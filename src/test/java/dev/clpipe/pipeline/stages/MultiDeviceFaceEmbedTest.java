package dev.clpipe.pipeline.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.pipeline.PipelineRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    private List<String> faces(String name, Path models, String placement) throws Exception {
        PipelineRun.Result r = PhotoPoolRuns.run(temp, name, """
                - {type: decode, channels: 3}
                - {type: detect-faces, models: %s, device: "0:0", tiling: {scales: [1.5]}}
                - {type: face-embed, id: embed, model: face-api, models: %s, thumbnail: 0, %s}
                """.formatted(models, models, placement));
        if (name.equals("two")) PhotoPoolRuns.assertOneOfTwoFailed(r, "embed");
        return Files.readAllLines(r.folder().file("faces.jsonl"));
    }

    @Test
    void twoDevicesOneFailingEmbedWhatOneDeviceEmbeds() throws Exception {
        Path models = RealFaceData.models().toAbsolutePath();
        PhotoPoolRuns.photos(temp);
        List<String> one = faces("one", models, "device: \"0:0\"");
        List<String> two = faces("two", models, "device: all, inject_fault: \"1@3\"");
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
    }
}
