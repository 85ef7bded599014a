package dev.clpipe.pipeline.stages;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.detect.DetectionsJsonl;
import dev.clpipe.detect.face.FaceDetections;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageRegistry;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detect-faces stage through the pipeline runner on a folder with the Solvay photo, a broken
 * file and a tiny grey image: detections.jsonl lines, the FaceDetections attachment a later stage
 * reads, drawn copies, skipped.csv and the ground-truth metrics. Needs models and data.
 */
class DetectFacesStageTest {
    @TempDir
    Path temp;

    /** A later stage (as face embedding will be): records the attachment it finds on each item. */
    static final Map<String, FaceDetections> SEEN = new ConcurrentHashMap<>();

    static final class Consumer implements StageType {
        public String name() {
            return "record-faces";
        }

        public String summary() {
            return "test: records FaceDetections";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            return new StagePlan.OfStage(id, name(), context -> batch -> {
                for (Item item : batch) SEEN.put(item.id(), item.get(FaceDetections.class));
                return batch;
            });
        }
    }

    @Test
    void writesDetectionsAttachesThemAndScoresTheGroundTruth() throws Exception {
        Path models = RealFaceData.models().toAbsolutePath(), visp = RealFaceData.visp().toAbsolutePath();
        Path photos = Files.createDirectories(temp.resolve("photos"));
        Files.copy(visp.resolve(RealFaceData.SOLVAY), photos.resolve(RealFaceData.SOLVAY));
        Files.write(photos.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        java.awt.image.BufferedImage tiny = new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(tiny, "png", photos.resolve("tiny.png").toFile());
        Path yaml = Files.writeString(temp.resolve("faces.yaml"), """
                input: photos
                out: runs
                device: cpu
                batch: 4
                stages:
                  - {type: image-folder}
                  - {type: decode, channels: 0}
                  - type: detect-faces
                    id: faces
                    models: %s
                    tiling: {scales: [1.5]}
                    draw: drawn
                    ground_truth: {format: visp, file: %s, image: %s}
                  - {type: record-faces}
                """.formatted(models, visp.resolve("ground_truth_detection.txt"), RealFaceData.SOLVAY));
        StageRegistry registry = BuiltinStages.registry().register(new Consumer());
        PipelineRun.Result result = PipelineRun.execute(Pipeline.plan(new ConfigLoader().load(yaml), registry), Optional.empty(),
                ClRuntime::standard, List.of("test"));
        assertEquals(PipelineRun.Status.OK, result.status());
        assertEquals(1, result.skipped(), "the broken file is skipped, not fatal");

        List<DetectionsJsonl.Entry> lines = DetectionsJsonl.read(result.folder().file("detections.jsonl"));
        assertEquals(2, lines.size());
        DetectionsJsonl.Entry solvay = lines.stream().filter(e -> e.image().equals(RealFaceData.SOLVAY)).findFirst().orElseThrow();
        assertEquals(1280, solvay.width());
        assertEquals(926, solvay.height());
        assertTrue(solvay.detections().size() >= 27, "faces found: " + solvay.detections().size());
        List<dev.clpipe.detect.Detection> attached = SEEN.get(RealFaceData.SOLVAY).faces();
        assertEquals(attached.size(), solvay.detections().size(), "the attachment holds what the file says");
        for (int i = 0; i < attached.size(); i++) { // the file rounds boxes to 0.01 px
            assertEquals(attached.get(i).score(), solvay.detections().get(i).score(), "score " + i);
            double[] inFile = solvay.detections().get(i).box().toTopLeft(), held = attached.get(i).box().toTopLeft();
            for (int k = 0; k < 4; k++) assertEquals(held[k], inFile[k], 0.0051, "box " + i);
            for (int k = 0; k < 4; k++) assertEquals(inFile[k], Math.round(inFile[k] * 100) / 100.0, 1e-9, "0.01 px in the file");
        }
        assertEquals(List.of(), SEEN.get("tiny.png").faces());
        assertEquals(lines.size(), dev.clpipe.detect.CocoJsonReader.read(result.folder().file("detections-coco.json")).size(), "COCO export beside");
        assertTrue(Files.isRegularFile(result.folder().file("yolo").resolve("classes.names")), "YOLO export beside");
        assertTrue(Files.isRegularFile(result.folder().file("drawn").resolve(RealFaceData.SOLVAY)));

        Schemas.assertRunFolderValid(result.folder().path());
        JsonNode metrics = MetricsJson.stage(new ObjectMapper().readTree(result.folder().file("metrics.json").toFile()), "faces").get("evaluation");
        assertEquals(30, metrics.get("ground_truth").asInt());
        assertTrue(metrics.get("ap50").asDouble() >= 0.9, metrics.toString());
        assertTrue(metrics.get("recall").asDouble() >= 0.9, metrics.toString());
    }
}
