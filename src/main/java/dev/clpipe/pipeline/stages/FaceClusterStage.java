package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.AtomicFiles;
import dev.clpipe.data.ImageRef;
import dev.clpipe.face.align.ImageFaces;
import dev.clpipe.face.cluster.Clustering;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.cluster.NearDuplicates;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.output.ClusterFolders;
import dev.clpipe.face.output.ClustersCsvWriter;
import dev.clpipe.face.output.ContactSheetWriter;
import dev.clpipe.face.output.FaceRef;
import dev.clpipe.face.pipeline.FaceCollection;
import dev.clpipe.face.io.ClusterState;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.DeviceBlockScan;
import dev.clpipe.face.search.IvfKnn;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code type: face-cluster}: gathers the faces of a stream (after face-embed) and, at the end,
 * clusters them: {@code clusters.csv} ({@code image,face,cluster}, -1 unclustered), a folder per
 * cluster under {@code clusters/} (links or copies of the images), {@code clusters.html} with
 * face thumbnails per cluster, and metrics.json {@code clustering} (with pairwise / BCubed /
 * NMI scores when {@code identities: folders} says the first subfolder names the person).
 */
public final class FaceClusterStage implements StageType {
    @Override
    public String name() {
        return "face-cluster";
    }

    @Override
    public String summary() {
        return "cluster embedded faces; writes clusters.csv, clusters.html and a folder per cluster";
    }

    /** The clustering keys, read and validated at plan time. */
    record Settings(FaceClusterer.Options options, double dedupe, ClusterFolders.Mode folders, boolean identities, String title, Path previous,
                    int approximateFrom) {}

    static Settings read(ConfigSection s, PipelineSettings pipeline) {
        FaceClusterer.Method method = switch (s.describe("method", "chinese-whispers, dbscan, average, single, complete (linkage), finch or rank-order")
                .choice("method", List.of("chinese-whispers", "dbscan", "average", "single", "complete", "finch", "rank-order"), "chinese-whispers")) {
            case "finch" -> FaceClusterer.Method.FINCH;
            case "rank-order" -> FaceClusterer.Method.RANK_ORDER;
            case "dbscan" -> FaceClusterer.Method.DBSCAN;
            case "average" -> FaceClusterer.Method.AVERAGE;
            case "single" -> FaceClusterer.Method.SINGLE;
            case "complete" -> FaceClusterer.Method.COMPLETE;
            default -> FaceClusterer.Method.CHINESE_WHISPERS;
        };
        s.describe("threshold", "distance threshold (default 0.34, face-api's calibrated one), or auto (read off each set: docs/face-clustering.md)");
        double threshold;
        String t = s.has("threshold") ? s.string("threshold") : "";
        if (t.equals("auto")) {
            threshold = Double.NaN;
        } else if (t.isEmpty()) {
            threshold = FaceClusterer.CALIBRATED_THRESHOLD;
        } else {
            threshold = s.doubleIn("threshold", 1e-6, 10);
        }
        int k = s.describe("k", "neighbours per face in the k-NN graph").intIn("k", 1, 10000, 48);
        String weights = s.describe("weights", "chinese whispers edge weights: linear (1 - d / 2t) or unit (dlib's)").choice("weights", List.of("linear", "unit"), "linear");
        int minPts = s.describe("min_pts", "DBSCAN: faces within the threshold for a core face (itself included)").intIn("min_pts", 1, 10000, 2);
        double dedupe = s.describe("dedupe", "collapse faces closer than this before clustering (0 = off)").doubleIn("dedupe", 0, 0.5, 0.02);
        String folders = s.describe("folders", "a folder per cluster: link, copy or none").choice("folders", List.of("link", "copy", "none"), "link");
        String ids = s.describe("identities", "folders: the first subfolder names the person; scores go to metrics.json")
                .choice("identities", List.of("none", "folders"), "none");
        String title = s.describe("title", "contact sheet title").string("title", pipeline.name());
        Path previous = s.describe("previous", "an earlier face-cluster run folder (or its " + ClusterState.FILE
                + "): its faces keep their cluster ids, new faces join them or get new ids (chinese-whispers only)").optionalPath("previous").orElse(null);
        if (previous != null && method != FaceClusterer.Method.CHINESE_WHISPERS) throw s.error("previous", "continuing an earlier run needs method chinese-whispers");
        int approximateFrom = s.describe("approximate_from", "from this many faces on, the k-NN graph is the approximate IVF search on the pipeline's device"
                + " (docs/face-clustering.md, \"A million faces\"); below it the exact host search").intIn("approximate_from", 2, Integer.MAX_VALUE, FaceClusterer.APPROXIMATE_FROM);
        return new Settings(new FaceClusterer.Options(method, threshold, k, minPts, pipeline.seed(),
                weights.equals("unit") ? dev.clpipe.face.cluster.ChineseWhispers.Weighting.UNIT : dev.clpipe.face.cluster.ChineseWhispers.Weighting.LINEAR), dedupe,
                ClusterFolders.Mode.valueOf(folders.toUpperCase(Locale.ROOT)), ids.equals("folders"), title, previous, approximateFrom);
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Settings settings = read(s, pipeline);
        return new StagePlan.OfStage(id, name(), context -> new Collector(context, settings), true);
    }

    /** Gathers faces (writing thumbnails as they come), clusters at the end. */
    static final class Collector implements Stage {
        private final StageContext context;
        private final Settings settings;
        private final FaceCollection faces = new FaceCollection();

        Collector(StageContext context, Settings settings) {
            this.context = context;
            this.settings = settings;
        }

        @Override
        public List<Item> process(List<Item> batch) throws Exception {
            for (Item item : batch) {
                ImageFaces found = item.find(ImageFaces.class).orElse(null);
                if (found == null) continue;
                Path source = item.find(ImageRef.class).map(ImageRef::absolute).orElse(null);
                for (int f = 0; f < found.faces().size(); f++) {
                    String thumb = null;
                    byte[] jpeg = found.thumbnails().get(f);
                    if (jpeg.length > 0) {
                        thumb = String.format(Locale.ROOT, "thumbs/%07d.jpg", faces.size());
                        AtomicFiles.write(context.runFolder().file(thumb), true, jpeg);
                    }
                    faces.add(item.id(), f, source, thumb, found.faces().get(f).box().score(), found.faces().get(f).descriptor());
                }
            }
            return batch;
        }

        @Override
        public List<Item> finish() throws Exception {
            Map<String, Object> report = cluster(faces, settings, context.runFolder().path(), context::device);
            context.metrics().put("clustering", report);
            return List.of();
        }
    }

    /** FINCH and rank-order build their own graphs with the exact search. */
    private static boolean exactOnly(FaceClusterer.Method m) {
        return m == FaceClusterer.Method.FINCH || m == FaceClusterer.Method.RANK_ORDER;
    }

    /** The photo as a link from the run folder: relative when both sit under one root, else absolute. */
    private static String relativeLink(Path runDir, Path photo) {
        try {
            return runDir.toAbsolutePath().normalize().relativize(photo.toAbsolutePath().normalize()).toString();
        } catch (IllegalArgumentException e) {
            return photo.toAbsolutePath().toString();
        }
    }

    /**
     * Clusters the collected faces and writes every output into {@code runDir}; returns the metrics.
     * {@code device} is opened only when the set reaches {@code approximate_from} faces (IVF graph).
     */
    static Map<String, Object> cluster(FaceCollection faces, Settings settings, Path runDir, Supplier<ClContext> device) throws Exception {
        KnnSearch search = KnnSearch.defaults();
        NearDuplicates.Collapse dup = NearDuplicates.collapse(faces.embeddings(), settings.dedupe(), search);
        ClusterState earlier = settings.previous() == null ? null : ClusterState.read(settings.previous());
        int graphed = earlier == null ? dup.kept().size() : earlier.size() + (int) java.util.stream.IntStream.range(0, faces.size())
                .filter(i -> !earlier.index().containsKey(ClusterState.key(faces.image(i), faces.face(i)))).count();
        boolean approximate = graphed >= settings.approximateFrom() && !exactOnly(settings.options().method());
        FaceClusterer.Result r;
        Clustering c;
        int kept = 0;
        try (DeviceBlockScan scan = approximate ? new DeviceBlockScan(device.get()) : null) {
            FaceClusterer clusterer = approximate
                    ? new FaceClusterer(search, new IvfKnn(scan, IvfKnn.Options.defaults()), settings.approximateFrom()) : new FaceClusterer(search);
            if (earlier == null) {
                r = clusterer.cluster(dup.kept(), settings.options());
                c = dup.expand(r.clustering());
            } else {
                c = continued(faces, earlier, settings.options(), clusterer);
                r = new FaceClusterer.Result(c, settings.options().threshold(), 0);
                kept = (int) java.util.stream.IntStream.range(0, faces.size())
                        .filter(i -> earlier.index().containsKey(ClusterState.key(faces.image(i), faces.face(i)))).count();
            }
        }
        writeState(runDir.resolve(ClusterState.FILE), faces, c, earlier);

        List<FaceRef> refs = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            Path photo = faces.source(i);
            refs.add(new FaceRef(faces.image(i), faces.face(i), faces.thumbnail(i), faces.score(i), photo == null ? null : relativeLink(runDir, photo)));
        }
        ClustersCsvWriter.write(runDir.resolve("clusters.csv"), refs, c);
        ContactSheetWriter.write(runDir.resolve("clusters.html"), settings.title(), refs, c,
                dev.clpipe.face.cluster.ClusterTriage.of(faces.embeddings(), c, r.threshold(), search));
        List<Path> sources = faces.sources();
        int links = sources.contains(null) ? 0 : ClusterFolders.write(runDir.resolve("clusters"), sources, c, settings.folders());

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", settings.options().method().name().toLowerCase(Locale.ROOT));
        m.put("threshold", r.threshold());
        m.put("threshold_auto", Double.isNaN(settings.options().threshold()));
        m.put("faces", faces.size());
        m.put("near_duplicates", dup.duplicates());
        m.put("clusters", c.clusters());
        m.put("unclustered", c.unclustered());
        m.put("truncated_rows", r.truncatedRows());
        m.put("knn_graph", approximate ? "ivf" : "exact");
        if (earlier != null) {
            m.put("previous", settings.previous().toString());
            m.put("previous_faces", earlier.size());
            m.put("faces_kept_ids", kept);
        }
        m.put("folder_entries", links);
        if (settings.identities()) {
            List<String> names = new ArrayList<>();
            int[] truth = faces.identitiesFromFolders(names);
            if (java.util.Arrays.stream(truth).anyMatch(v -> v < 0)) {
                m.put("scores", "not computed: some images are not inside a person subfolder");
            } else {
                ClusterScores sc = ClusterScores.of(truth, c.labels());
                Map<String, Object> scores = new LinkedHashMap<>();
                scores.put("pairwise", Map.of("precision", sc.pairwise().precision(), "recall", sc.pairwise().recall(), "f1", sc.pairwise().f1()));
                scores.put("bcubed", Map.of("precision", sc.bcubed().precision(), "recall", sc.bcubed().recall(), "f1", sc.bcubed().f1()));
                scores.put("nmi", sc.nmi());
                scores.put("clusters", sc.clusters());
                scores.put("identities", sc.identities());
                m.put("scores", scores);
            }
        }
        return m;
    }

    /** Labels of this run's faces continuing {@code earlier}: faces it holds keep their ids, the others are added. */
    private static Clustering continued(FaceCollection faces, ClusterState earlier, FaceClusterer.Options options, FaceClusterer clusterer) {
        Map<String, Integer> index = earlier.index();
        int[] labels = new int[faces.size()];
        List<Integer> fresh = new ArrayList<>();
        Embeddings all = faces.embeddings();
        Embeddings added = new Embeddings(all.dim());
        for (int i = 0; i < faces.size(); i++) {
            Integer j = index.get(ClusterState.key(faces.image(i), faces.face(i)));
            if (j != null) {
                labels[i] = earlier.clusters()[j];
            } else {
                fresh.add(i);
                added.add(all.row(i));
            }
        }
        int[] got = clusterer.continueFrom(earlier.embeddings(), earlier.clusters(), added, options);
        for (int f = 0; f < got.length; f++) labels[fresh.get(f)] = got[f];
        int clusters = 0;
        for (int l : earlier.clusters()) clusters = Math.max(clusters, l + 1);
        for (int l : labels) clusters = Math.max(clusters, l + 1);
        return new Clustering(labels, clusters);
    }

    /** The state the next run continues from: earlier faces this run did not see, then this run's faces. */
    private static void writeState(Path file, FaceCollection faces, Clustering c, ClusterState earlier) throws java.io.IOException {
        List<String> images = new ArrayList<>();
        List<Integer> faceNo = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Embeddings all = faces.embeddings();
        Embeddings e = new Embeddings(all.dim(), Math.max(1, faces.size()));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < faces.size(); i++) seen.add(ClusterState.key(faces.image(i), faces.face(i)));
        if (earlier != null) {
            for (int j = 0; j < earlier.size(); j++) {
                if (seen.contains(ClusterState.key(earlier.images().get(j), earlier.faces()[j]))) continue;
                images.add(earlier.images().get(j));
                faceNo.add(earlier.faces()[j]);
                labels.add(earlier.clusters()[j]);
                e.add(earlier.embeddings().row(j));
            }
        }
        for (int i = 0; i < faces.size(); i++) {
            images.add(faces.image(i));
            faceNo.add(faces.face(i));
            labels.add(c.label(i));
            e.add(all.row(i));
        }
        new ClusterState(images, faceNo.stream().mapToInt(Integer::intValue).toArray(), labels.stream().mapToInt(Integer::intValue).toArray(), e)
                .write(file);
    }
}
