package dev.clpipe.face.bench;

import dev.clpipe.face.cluster.Clustering;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.cluster.Finch;
import dev.clpipe.face.io.FaceRecord;
import dev.clpipe.face.io.FacesJsonl;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Does a clustering default hold across photo sets? Composes many differently made sets from one
 * labelled {@code faces.jsonl} (images in a subfolder per person, e.g. the run of
 * {@code face-cluster-identities.yaml}): subsets and the full set of people, 1-20 photos per
 * person, people seen once among others seen often, a skewed set; clusters each with every
 * method at its defaults, and reports mean and worst BCubed F and pairwise F per method
 * (docs/face-clustering.md, "Across sets", quotes its output). No per-set tuning: every method
 * sees each set with the same settings.
 * {@code java -cp target/clpipe.jar dev.clpipe.face.bench.ClusteringAcrossSets RUN/faces.jsonl [SEED]}
 */
public final class ClusteringAcrossSets {
    /** One evaluation set: faces (indices into the labelled pool) and their identities. */
    public record FaceSet(String name, int[] faces) {}

    /** A method under test: name and what it does to a set of descriptors. */
    public record Method(String name, Function<Embeddings, Clustering> run) {}

    /** Per method: the scores of every set, in set order. */
    public record Scores(Method method, double[] bcubed, double[] pairwise) {
        double mean(double[] v) {
            double s = 0;
            for (double x : v) s += x;
            return s / v.length;
        }

        double worst(double[] v) {
            double m = 1;
            for (double x : v) m = Math.min(m, x);
            return m;
        }
    }

    private final Embeddings pool;
    private final int[] identity;
    private final int people;

    public ClusteringAcrossSets(Embeddings pool, int[] identity) {
        this.pool = pool;
        this.identity = identity.clone();
        int m = 0;
        for (int id : identity) m = Math.max(m, id + 1);
        this.people = m;
    }

    public Embeddings pool() {
        return pool;
    }

    /** Identity of each face of the pool, 0..people-1. */
    public int[] identity() {
        return identity.clone();
    }

    public int people() {
        return people;
    }

    /** Pool from a faces.jsonl whose image paths start with a folder per person. */
    public static ClusteringAcrossSets read(Path facesJsonl) throws IOException {
        List<FaceRecord> faces = FacesJsonl.read(facesJsonl);
        Embeddings e = new Embeddings(faces.get(0).embedding().length);
        for (FaceRecord f : faces) e.add(f.embedding());
        return new ClusteringAcrossSets(e, identities(faces));
    }

    /** The person of each face: the first folder of its image path, numbered in order of appearance. */
    static int[] identities(List<FaceRecord> faces) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        int[] truth = new int[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            String img = faces.get(i).image();
            truth[i] = ids.computeIfAbsent(img.substring(0, Math.max(0, img.indexOf('/'))), k -> ids.size());
        }
        return truth;
    }

    /** The standard compositions (deterministic for a seed). */
    public List<FaceSet> standardSets(long seed) {
        List<FaceSet> sets = new ArrayList<>();
        List<List<Integer>> byPerson = byPerson();
        int all = people;
        sets.add(compose("all " + all + " people, all photos", byPerson, range(all), p -> Integer.MAX_VALUE, seed));
        sets.add(compose("first 29 people (Solvay only)", byPerson, range(Math.min(29, all)), p -> Integer.MAX_VALUE, seed));
        for (int n : new int[] {3, 5, 10, 20}) {
            if (n >= all) continue;
            for (int s = 0; s < 2; s++) {
                sets.add(compose(n + " random people, all photos (draw " + s + ")", byPerson, pick(all, n, seed + 31L * n + s), p -> Integer.MAX_VALUE, seed + s));
            }
        }
        for (int k : new int[] {1, 2, 3, 5, 12}) sets.add(compose("all people, " + k + " photo(s) each", byPerson, range(all), p -> k, seed + k));
        for (int s = 0; s < 3; s++) {
            SplittableRandom r = new SplittableRandom(seed * 7 + s);
            int[] counts = new int[all];
            for (int p = 0; p < all; p++) counts[p] = 1 + r.nextInt(20);
            sets.add(compose("all people, 1-20 photos each (draw " + s + ")", byPerson, range(all), p -> counts[p], seed + 100 + s));
        }
        for (int s = 0; s < 2; s++) {
            int[] main = pick(all, 10, seed + 500 + s);
            boolean[] isMain = new boolean[all];
            for (int p : main) isMain[p] = true;
            sets.add(compose("10 people x all photos + " + (all - 10) + " distractors seen once (draw " + s + ")", byPerson, range(all),
                    p -> isMain[p] ? Integer.MAX_VALUE : 1, seed + 600 + s));
        }
        sets.add(compose("skewed: 1 person all photos, others 1-3", byPerson, range(all), p -> p == 0 ? Integer.MAX_VALUE : 1 + (p % 3), seed + 700));
        return sets;
    }

    /** Scores every method on every set. */
    public List<Scores> evaluate(List<FaceSet> sets, List<Method> methods) {
        List<Scores> out = new ArrayList<>();
        for (Method m : methods) {
            double[] b = new double[sets.size()], pw = new double[sets.size()];
            for (int s = 0; s < sets.size(); s++) {
                FaceSet set = sets.get(s);
                Embeddings e = new Embeddings(pool.dim(), set.faces().length);
                int[] truth = new int[set.faces().length];
                for (int i = 0; i < truth.length; i++) {
                    e.add(pool.row(set.faces()[i]));
                    truth[i] = identity[set.faces()[i]];
                }
                ClusterScores sc = ClusterScores.of(truth, m.run().apply(e).labels());
                b[s] = sc.bcubed().f1();
                pw[s] = sc.pairwise().f1();
            }
            out.add(new Scores(m, b, pw));
        }
        return out;
    }

    /** The defaults, every method at the adaptive and at the calibrated threshold, FINCH's own partitions, a few other settings. */
    public static List<Method> standardMethods(KnnSearch search) {
        List<Method> m = new ArrayList<>();
        FaceClusterer fc = new FaceClusterer(search);
        FaceClusterer.Options d = FaceClusterer.Options.defaults();
        m.add(new Method("**defaults** (chinese whispers, linear weights, 0.34)", e -> fc.cluster(e, d).clustering()));
        double t0 = FaceClusterer.CALIBRATED_THRESHOLD;
        for (FaceClusterer.Method method : FaceClusterer.Method.values()) {
            String name = method.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            FaceClusterer.Options unit = d.withMethod(method).withWeighting(dev.clpipe.face.cluster.ChineseWhispers.Weighting.UNIT);
            m.add(new Method(name + ", auto threshold", e -> fc.cluster(e, unit.withThreshold(Double.NaN)).clustering()));
            m.add(new Method(name + ", " + t0, e -> fc.cluster(e, unit.withThreshold(t0)).clustering()));
        }
        for (double t : new double[] {0.36, 0.38}) m.add(new Method("chinese whispers linear, " + t, e -> fc.cluster(e, d.withThreshold(t)).clustering()));
        for (double t : new double[] {0.4, 0.45}) m.add(new Method("average, " + t, e -> fc.cluster(e, d.withMethod(FaceClusterer.Method.AVERAGE).withThreshold(t)).clustering()));
        m.add(new Method("complete, 0.6", e -> fc.cluster(e, d.withMethod(FaceClusterer.Method.COMPLETE).withThreshold(0.6)).clustering()));
        for (int level = 1; level <= 3; level++) {
            int l = level;
            m.add(new Method("finch (paper, no threshold), partition " + level, e -> {
                List<Clustering> p = new Finch(search, Double.POSITIVE_INFINITY).partitions(e);
                return p.get(Math.min(l, p.size()) - 1);
            }));
        }
        return m;
    }

    /** Markdown: one row per method, mean and worst of BCubed F and pairwise F. */
    public static String table(List<FaceSet> sets, List<Scores> scores) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| method (%d sets) | mean BCubed F | worst BCubed F | mean pairwise F | worst pairwise F |%n", sets.size()));
        sb.append("|---|---|---|---|---|\n");
        for (Scores s : scores) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n", s.method().name(), s.mean(s.bcubed()), s.worst(s.bcubed()),
                    s.mean(s.pairwise()), s.worst(s.pairwise())));
        }
        return sb.toString();
    }

    /** Markdown: BCubed F per set (rows) and method (columns). */
    public static String perSet(List<FaceSet> sets, List<Scores> scores) {
        StringBuilder sb = new StringBuilder("| set | faces |");
        for (Scores s : scores) sb.append(' ').append(s.method().name()).append(" |");
        sb.append("\n|---|---|").append("---|".repeat(scores.size())).append('\n');
        for (int i = 0; i < sets.size(); i++) {
            sb.append("| ").append(sets.get(i).name()).append(" | ").append(sets.get(i).faces().length).append(" |");
            for (Scores s : scores) sb.append(String.format(Locale.ROOT, " %.3f |", s.bcubed()[i]));
            sb.append('\n');
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        ClusteringAcrossSets study = read(Path.of(args[0]));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        List<FaceSet> sets = study.standardSets(seed);
        List<Method> methods = standardMethods(KnnSearch.defaults());
        if (args.length > 2) methods = methods.stream().filter(m -> m.name().matches(args[2])).toList();
        List<Scores> scores = study.evaluate(sets, methods);
        System.out.println(table(sets, scores));
        System.out.println(perSet(sets, scores));
    }

    private List<List<Integer>> byPerson() {
        List<List<Integer>> out = new ArrayList<>();
        for (int p = 0; p < people; p++) out.add(new ArrayList<>());
        for (int i = 0; i < identity.length; i++) out.get(identity[i]).add(i);
        return out;
    }

    private FaceSet compose(String name, List<List<Integer>> byPerson, int[] persons, java.util.function.IntUnaryOperator photos, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Integer> faces = new ArrayList<>();
        for (int p : persons) {
            List<Integer> own = new ArrayList<>(byPerson.get(p));
            shuffle(own, r);
            faces.addAll(own.subList(0, Math.min(own.size(), photos.applyAsInt(p))));
        }
        shuffle(faces, r);
        return new FaceSet(name, faces.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static int[] pick(int n, int k, long seed) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(i);
        shuffle(all, new SplittableRandom(seed));
        return all.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }

    private static <T> void shuffle(List<T> list, SplittableRandom r) {
        for (int i = list.size() - 1; i > 0; i--) java.util.Collections.swap(list, i, r.nextInt(i + 1));
    }
}
