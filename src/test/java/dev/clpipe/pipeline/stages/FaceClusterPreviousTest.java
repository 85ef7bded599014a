package dev.clpipe.pipeline.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.io.ClusterState;
import dev.clpipe.face.output.ClusterFolders;
import dev.clpipe.face.pipeline.FaceCollection;
import dev.clpipe.face.search.Embeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * face-cluster with previous: a second run over the old photos plus new ones keeps every old
 * face's cluster id (read from the first run's cluster-state.jsonl), and its own state holds all
 * faces for a third run; a damaged state file is refused naming file and line.
 */
class FaceClusterPreviousTest {
    @Test
    void aSecondRunKeepsTheClusterIdsOfTheFirstRunsFaces(@TempDir Path dir) throws Exception {
        SyntheticFaces data = SyntheticFaces.generate(400, 3, SyntheticFaces.Spec.faceApi());
        Embeddings e = data.embeddings();
        Path run1 = Files.createDirectories(dir.resolve("run1"));
        Path run2 = Files.createDirectories(dir.resolve("run2"));
        FaceCollection first = collect(e, 0, 250);
        FaceClusterStage.cluster(first, settings(null), run1, FaceClusterStageIvfTest.NO_DEVICE);
        Map<String, String> ids1 = clusters(run1);
        assertEquals(250, ids1.size());
        assertEquals(250, ClusterState.read(run1).size());

        Map<String, Object> m = FaceClusterStage.cluster(collect(e, 0, 400), settings(run1), run2, FaceClusterStageIvfTest.NO_DEVICE);
        Map<String, String> ids2 = clusters(run2);
        for (Map.Entry<String, String> f : ids1.entrySet()) assertEquals(f.getValue(), ids2.get(f.getKey()), "face " + f.getKey() + " kept its id");
        assertEquals(250, m.get("faces_kept_ids"));
        int oldMax = ids1.values().stream().mapToInt(Integer::parseInt).max().orElseThrow();
        long joined = ids2.entrySet().stream().filter(f -> !ids1.containsKey(f.getKey()) && Integer.parseInt(f.getValue()) <= oldMax).count();
        long opened = ids2.entrySet().stream().filter(f -> !ids1.containsKey(f.getKey()) && Integer.parseInt(f.getValue()) > oldMax).count();
        assertTrue(joined > 0 && opened > 0, joined + " new faces joined old clusters, " + opened + " opened new ones");
        assertEquals(400, ClusterState.read(run2.resolve(ClusterState.FILE)).size());

        Files.writeString(dir.resolve("bad.jsonl"), "{\"image\": \"a.jpg\", \"face\": 0, \"cluster\": 1, \"embedding\": [1, 2]}\n{\"image\": \"b.jpg\", \"face\": 0}\n");
        java.io.IOException bad = assertThrows(java.io.IOException.class, () -> ClusterState.read(dir.resolve("bad.jsonl")));
        assertTrue(bad.getMessage().contains("bad.jsonl:2"), bad.getMessage());
        assertThrows(java.io.IOException.class, () -> ClusterState.read(dir.resolve("nothing-here")));
    }

    static FaceClusterStage.Settings settings(Path previous) {
        return new FaceClusterStage.Settings(FaceClusterer.Options.defaults(), 0.02, ClusterFolders.Mode.NONE, false, "t", previous, FaceClusterer.APPROXIMATE_FROM);
    }

    /** Faces [from, to) as images img-N.jpg, one face each. */
    static FaceCollection collect(Embeddings e, int from, int to) {
        FaceCollection c = new FaceCollection();
        for (int i = from; i < to; i++) c.add("img-" + i + ".jpg", 0, null, null, 0.9, e.row(i));
        return c;
    }

    static Map<String, String> clusters(Path run) throws Exception {
        Map<String, String> m = new HashMap<>();
        List<String> lines = Files.readAllLines(run.resolve("clusters.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] p = l.split(",");
            m.put(p[0], p[2]);
        }
        return m;
    }
}
