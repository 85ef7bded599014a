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
        return PhotoPoolRuns.run(temp, name, """
                - {type: decode, channels: 0}
                - {type: detect-faces, id: faces, models: %s, tiling: {scales: [1.5]}, %s}
                """.formatted(models, placement));
    }

    @Test
    void twoDevicesOneFailingFindWhatOneDeviceFinds() throws Exception {
        Path models = RealFaceData.models().toAbsolutePath();
        PhotoPoolRuns.photos(temp);
        List<String> one = Files.readAllLines(run("one", models, "device: \"0:0\"").folder().file("detections.jsonl"));
        PipelineRun.Result both = run("two", models, "device: all, inject_fault: \"1@3\"");
        List<String> two = Files.readAllLines(both.folder().file("detections.jsonl"));
        assertEquals(PhotoPoolRuns.PHOTOS, one.size());
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
        PhotoPoolRuns.assertOneOfTwoFailed(both, "faces");
    }
}
