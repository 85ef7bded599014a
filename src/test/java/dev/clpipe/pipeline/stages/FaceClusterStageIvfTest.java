package dev.clpipe.pipeline.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.output.ClusterFolders;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.HostBlockScan;
import dev.clpipe.face.search.IvfKnn;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * face-cluster switches to the IVF graph on the device from {@code approximate_from} faces: below
 * it the exact path runs and no device is opened; the IVF path clusters exactly like the exact
 * one when every cell is probed, and nearly so with the default probes.
 */
class FaceClusterStageIvfTest {
    /** A device supplier that fails the test when the stage asks for a device. */
    static final Supplier<ClContext> NO_DEVICE = () -> {
        throw new AssertionError("the exact path opened a device");
    };

    @Test
    void belowTheSwitchTheExactPathRunsWithoutADevice(@TempDir Path dir) throws Exception {
        Embeddings e = SyntheticFaces.generate(600, 4, SyntheticFaces.Spec.faceApi()).embeddings();
        Map<String, Object> m = FaceClusterStage.cluster(FaceClusterPreviousTest.collect(e, 0, 600), settings(601), dir, NO_DEVICE);
        assertEquals("exact", m.get("knn_graph"));
    }

    @Test
    void probingEveryCellTheIvfPathClustersExactlyLikeTheExactPath() {
        Embeddings e = SyntheticFaces.generate(1500, 9, SyntheticFaces.Spec.faceApi()).embeddings();
        FaceClusterer.Options o = FaceClusterer.Options.defaults();
        int[] exact = new FaceClusterer(KnnSearch.defaults()).cluster(e, o).clustering().labels();
        FaceClusterer ivf = new FaceClusterer(KnnSearch.defaults(), new IvfKnn(new HostBlockScan(2), new IvfKnn.Options(10, 10, 4, 20, 1)), 1000);
        assertTrue(ivf.approximates(e.size()));
        assertArrayEquals(exact, ivf.cluster(e, o).clustering().labels());
    }

    @Test
    void fromTheSwitchTheStageClustersOnTheDeviceNearlyAsTheExactPath(@TempDir Path dir) throws Exception {
        int n = TestDevices.underOclgrind() ? 300 : 2000;
        Embeddings e = SyntheticFaces.generate(n, 7, SyntheticFaces.Spec.faceApi()).embeddings();
        Path exactRun = Files.createDirectories(dir.resolve("exact"));
        Path ivfRun = Files.createDirectories(dir.resolve("ivf"));
        FaceClusterStage.cluster(FaceClusterPreviousTest.collect(e, 0, n), settings(n + 1), exactRun, NO_DEVICE);
        Map<String, Object> m = FaceClusterStage.cluster(FaceClusterPreviousTest.collect(e, 0, n), settings(n / 2), ivfRun, TestDevices::context);
        assertEquals("ivf", m.get("knn_graph"));
        Map<String, String> exact = FaceClusterPreviousTest.clusters(exactRun);
        Map<String, String> ivf = FaceClusterPreviousTest.clusters(ivfRun);
        int[] a = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = Integer.parseInt(exact.get("img-" + i + ".jpg"));
            b[i] = Integer.parseInt(ivf.get("img-" + i + ".jpg"));
        }
        double f = ClusterScores.of(a, b).bcubed().f1();
        assertTrue(f >= 0.97, "IVF clusters against exact ones: BCubed F " + f);
    }

    private static FaceClusterStage.Settings settings(int approximateFrom) {
        return new FaceClusterStage.Settings(FaceClusterer.Options.defaults(), 0.02, ClusterFolders.Mode.NONE, false, "t", null, approximateFrom);
    }
}
