package dev.clpipe.pipeline.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * What the several-device tests of the face stages share: six real photos (three of the Solvay
 * conference, three of darknet's), a pipeline over them with a batch of 3, and the check of an item
 * stage's device shares in metrics.json after one of two devices failed.
 */
final class PhotoPoolRuns {
    /** Photos in the folder {@link #photos} makes. */
    static final int PHOTOS = 6;

    private PhotoPoolRuns() {}

    /** A folder of the six photos inside {@code temp}. */
    static Path photos(Path temp) throws Exception {
        Path visp = RealFaceData.visp().toAbsolutePath();
        Path photos = Files.createDirectories(temp.resolve("photos"));
        for (String f : List.of(RealFaceData.SOLVAY, "Solvay_conference_1927_Version2_640x440.jpg", "Solvay_conference_1927_Version2_1024x705.jpg")) {
            Files.copy(visp.resolve(f), photos.resolve(f));
        }
        Path darknet = visp.resolveSibling("darknet");
        for (String f : List.of("person.jpg", "horses.jpg", "scream.jpg")) Files.copy(darknet.resolve(f), photos.resolve(f));
        return photos;
    }

    /** Runs {@code stages} (YAML list items) after image-folder over {@code temp}/photos, batch 3; it must end OK. */
    static PipelineRun.Result run(Path temp, String name, String stages) throws Exception {
        Path yaml = Files.writeString(temp.resolve(name + ".yaml"), """
                name: %s
                input: photos
                out: runs
                batch: 3
                stages:
                  - {type: image-folder}
                %s""".formatted(name, stages.indent(2)));
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry());
        PipelineRun.Result r = PipelineRun.execute(pipeline, Optional.empty(), ClRuntime::standard, List.of("test"));
        assertEquals(PipelineRun.Status.OK, r.status());
        return r;
    }

    /** Stage {@code id}'s device shares: two devices, every photo once, device 1 worked, one failure. */
    @SuppressWarnings("unchecked")
    static void assertOneOfTwoFailed(PipelineRun.Result run, String id) throws Exception {
        Map<String, Object> m = new ObjectMapper().readValue(run.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> shares = (Map<String, Object>) MetricsJson.stage(m, id).get("devices");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) shares.get("devices");
        assertEquals(2, devices.size());
        assertEquals(PHOTOS, devices.stream().mapToLong(d -> ((Number) d.get("items")).longValue()).sum(), "each photo once: " + devices);
        assertTrue(((Number) devices.get(1).get("items")).longValue() > 0, "device 1 worked before it failed: " + devices);
        assertEquals(1, ((List<?>) shares.get("failures")).size());
    }
}
