package dev.clpipe.face.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.cluster.Clustering;
import dev.clpipe.face.search.KnnSearch;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The set compositions say what they hold, and the scores tell a right clustering from a wrong one. */
class ClusteringAcrossSetsTest {
    @Test
    void setsAreComposedAsNamedAndScoredPerMethod() {
        SyntheticFaces f = SyntheticFaces.generate(2000, 5);
        ClusteringAcrossSets study = new ClusteringAcrossSets(f.embeddings(), f.identity());
        List<ClusteringAcrossSets.FaceSet> sets = study.standardSets(42);
        assertTrue(sets.size() >= 15, "sets: " + sets.size());
        for (ClusteringAcrossSets.FaceSet s : sets) {
            Set<Integer> distinct = new HashSet<>();
            for (int i : s.faces()) assertTrue(distinct.add(i), s.name() + " repeats face " + i);
            Map<Integer, Integer> perPerson = new HashMap<>();
            for (int i : s.faces()) perPerson.merge(f.identity()[i], 1, Integer::sum);
            if (s.name().contains("1 photo(s) each")) assertTrue(perPerson.values().stream().allMatch(c -> c == 1), s.name());
            if (s.name().startsWith("5 random people")) assertEquals(5, perPerson.size(), s.name());
        }
        List<ClusteringAcrossSets.Method> methods = List.of(
                new ClusteringAcrossSets.Method("all apart", e -> Clustering.relabel(range(e.size()))),
                new ClusteringAcrossSets.Method("all together", e -> new Clustering(new int[e.size()], 1)));
        List<ClusteringAcrossSets.Scores> scores = study.evaluate(sets.subList(0, 3), methods);
        for (ClusteringAcrossSets.Scores s : scores) for (double b : s.bcubed()) assertTrue(b > 0 && b < 1, s.method().name() + " " + b);
        String table = ClusteringAcrossSets.table(sets.subList(0, 3), scores);
        assertTrue(table.contains("| all apart |") && table.contains("mean BCubed F"), table);
        assertTrue(ClusteringAcrossSets.standardMethods(KnnSearch.defaults()).get(0).name().contains("defaults"));
    }

    private static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
