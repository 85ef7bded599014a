package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.search.Embeddings;
import org.junit.jupiter.api.Test;

class FaceClustererTest {
    @Test
    void everyMethodClustersASyntheticFolderWell() {
        SyntheticFaces f = SyntheticFaces.generate(1200, 2);
        for (FaceClusterer.Method m : FaceClusterer.Method.values()) {
            FaceClusterer.Options o = FaceClusterer.Options.defaults().withMethod(m).withThreshold(m == FaceClusterer.Method.COMPLETE ? 0.7 : 0.6);
            FaceClusterer.Result r = FaceClusterer.defaults().cluster(f.embeddings(), o);
            double bf = ClusterScores.of(f.identity(), r.clustering().labels()).bcubed().f1();
            assertTrue(bf > 0.85, m + " BCubed F " + bf);
        }
    }

    @Test
    void autoPicksAnAdaptiveThresholdAndTinyInputsWork() {
        SyntheticFaces f = SyntheticFaces.generate(800, 4, SyntheticFaces.Spec.event());
        FaceClusterer.Result r = FaceClusterer.defaults().cluster(f.embeddings(), FaceClusterer.Options.defaults().withThreshold(Double.NaN));
        assertTrue(r.threshold() < 0.55, "event threshold " + r.threshold());
        assertEquals(1, FaceClusterer.defaults().cluster(Embeddings.of(new float[] {1, 2}), FaceClusterer.Options.defaults()).clustering().clusters());
        assertEquals(0, FaceClusterer.defaults().cluster(new Embeddings(2), FaceClusterer.Options.defaults()).clustering().size());
        assertThrows(IllegalArgumentException.class, () -> FaceClusterer.Options.defaults().withThreshold(-1));
    }
}
