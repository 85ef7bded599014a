package dev.clpipe.pipeline.stages;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.face.identity.IdentitySetBuilder;
import dev.clpipe.face.io.FaceRecord;
import dev.clpipe.face.io.FacesJsonl;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.testing.TestDevices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * face-boxes → face-embed → face-cluster → face-verify through the pipeline runner, on real faces
 * (4 people of the Solvay photo, 4 augmented photos each, built by {@link IdentitySetBuilder})
 * with bad input mixed in: a grey image without a face, a tiny face box, six exact duplicates
 * and a file name that needs HTML escaping. The device runs the real face-api nets.
 */
@Tag("kernel")
class FaceStagesTest {
    @TempDir
    Path temp;

    @Test
    void embedsClustersAndVerifiesRealFacesAndReportsBadInput() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(!TestDevices.underOclgrind(), "whole networks are too slow for Oclgrind");
        Path models = RealFaceData.models().toAbsolutePath(), visp = RealFaceData.visp().toAbsolutePath();
        List<Integer> skip = new ArrayList<>(IntStream.range(0, 30).boxed().toList());
        skip.removeAll(List.of(1, 4, 8, 15)); // four people, visibly different
        Path set = temp.resolve("set");
        IdentitySetBuilder.build(visp.resolve(RealFaceData.SOLVAY), visp.resolve("ground_truth_detection.txt"), skip, 4, 7, set);
        Path ids = set.resolve("identities");
        List<String> boxes = new ArrayList<>(Files.readAllLines(ids.resolve("boxes.csv")));
        String first = boxes.get(1); // person-01/v01.jpg,x,y,w,h
        String rest = first.substring(first.indexOf(','));
        for (int k = 0; k < 6; k++) { // exact duplicates of one photo
            Files.copy(ids.resolve("person-02/v01.jpg"), ids.resolve("person-02/dup" + k + ".jpg"));
            boxes.add("person-02/dup" + k + ".jpg" + boxes.get(5).substring(boxes.get(5).indexOf(',')));
        }
        Files.copy(ids.resolve("person-01/v01.jpg"), ids.resolve("person-01/x&<y>.jpg"));
        boxes.add("person-01/x&<y>.jpg" + rest);
        boxes.add("person-01/v02.jpg,3,3,6,6"); // a second, tiny "face"
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                ids.resolve("person-03/grey.png").toFile());
        Files.write(ids.resolve("boxes.csv"), boxes, StandardCharsets.UTF_8);

        Path yaml = Files.writeString(temp.resolve("faces.yaml"), """
                input: set/identities
                out: runs
                device: cpu
                batch: 8
                stages:
                  - {type: image-folder}
                  - {type: decode, channels: 0}
                  - {type: face-boxes, from: csv, file: set/identities/boxes.csv}
                  - {type: face-embed, model: face-api, models: %s, min_face_size: 12}
                  - {type: face-cluster, identities: folders, folders: link}
                  - {type: face-verify, pairs: set/identities/pairs.csv}
                """.formatted(models));
        PipelineRun.Result result = PipelineRun.execute(Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry()),
                Optional.empty(), ClRuntime::standard, List.of("test"));
        assertEquals(PipelineRun.Status.OK, result.status());

        Schemas.assertRunFolderValid(result.folder().path());
        JsonNode metrics = new ObjectMapper().readTree(result.folder().file("metrics.json").toFile());
        JsonNode faces = MetricsJson.stage(metrics, "face-embed").get("faces");
        assertEquals(24, faces.get("images").asInt(), faces.toString());
        assertEquals(23, faces.get("faces").asInt(), faces.toString());
        assertEquals(1, faces.get("images_without_faces").asInt(), "the grey image");
        assertEquals(1, faces.get("faces_rejected").asInt(), "the tiny box");
        assertTrue(Files.readString(result.folder().file("faces-rejected.csv")).contains("smaller than min_face_size 12"));

        List<FaceRecord> lines = FacesJsonl.read(result.folder().file("faces.jsonl"));
        assertEquals(23, lines.size());
        assertTrue(lines.stream().allMatch(r -> r.embedding().length == 128 && r.box().length == 4));

        JsonNode c = MetricsJson.stage(metrics, "face-cluster").get("clustering");
        assertTrue(c.get("near_duplicates").asInt() >= 6, c.toString());
        JsonNode scores = c.get("scores");
        assertTrue(scores.get("bcubed").get("f1").asDouble() >= 0.8, c.toString());
        assertTrue(scores.get("pairwise").get("f1").asDouble() >= 0.7, c.toString());
        List<String> csv = Files.readAllLines(result.folder().file("clusters.csv"));
        assertEquals("image,face,cluster", csv.get(0));
        assertEquals(24, csv.size());
        String html = Files.readString(result.folder().file("clusters.html"));
        assertTrue(html.contains("x&amp;&lt;y&gt;.jpg"), "file names are escaped");
        assertFalse(html.contains("x&<y>"), "no raw file name in the page");
        assertTrue(Files.isSymbolicLink(result.folder().file("clusters").resolve("cluster-0").toFile().listFiles()[0].toPath()));

        JsonNode v = MetricsJson.stage(metrics, "face-verify").get("verification");
        assertEquals(24, v.get("pairs").asInt(), v.toString());
        assertEquals(24, v.get("decided").asInt(), v.toString());
        assertTrue(v.get("auc").asDouble() >= 0.9, v.toString());
        assertEquals(25, Files.readAllLines(result.folder().file("verify.csv")).size());
    }
}
