package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.CsvSink;
import dev.clpipe.face.align.ImageFaces;
import dev.clpipe.face.verify.RocCurve;
import dev.clpipe.face.verify.Verifier;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code type: face-verify}: 1:1 verification of image pairs. After face-embed, keeps the
 * best-scoring face of every image; at the end reads the pairs CSV ({@code a,b[,same]}, paths
 * relative to the input folder, same = 1/0 or true/false) and writes {@code verify.csv}
 * ({@code a,b,distance,same_person,truth,note}): same person when the Euclidean distance is below
 * the threshold (face-api's 0.6 by default). With truth, metrics.json {@code verification} holds
 * accuracy at the threshold, ROC AUC, the best threshold and the equal error rate. A pair whose
 * image is missing or has no face gets an empty distance and a note, never a guess.
 */
public final class FaceVerifyStage implements StageType {
    @Override
    public String name() {
        return "face-verify";
    }

    @Override
    public String summary() {
        return "1:1 verification of image pairs from a CSV; writes verify.csv (distance, decision) and ROC metrics";
    }

    record Pair(String a, String b, Boolean same, int line) {}

    static List<Pair> readPairs(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().toLowerCase(Locale.ROOT).startsWith("a,b")) {
            throw new IOException(file + ":1: expected the header a,b[,same]");
        }
        List<Pair> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            String[] f = dev.clpipe.data.Csv.parse(l).toArray(String[]::new); // quoted file names may hold commas
            if (f.length != 2 && f.length != 3) throw new IOException(file + ":" + (i + 1) + ": expected 2 or 3 fields, found " + f.length);
            Boolean same = null;
            if (f.length == 3 && !f[2].isBlank()) {
                String v = f[2].strip().toLowerCase(Locale.ROOT);
                if (v.equals("1") || v.equals("true")) same = true;
                else if (v.equals("0") || v.equals("false")) same = false;
                else throw new IOException(file + ":" + (i + 1) + ": same must be 1, 0, true or false, found '" + f[2] + "'");
            }
            out.add(new Pair(f[0].strip(), f[1].strip(), same, i + 1));
        }
        return out;
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path pairsFile = InputPaths.file(s, "pairs", s.describe("pairs", "CSV a,b[,same] of image paths relative to the input folder").path("pairs"), null);
        double threshold = s.describe("threshold", "same person below this distance").doubleIn("threshold", 1e-6, 10, Verifier.FACE_API_THRESHOLD);
        return new StagePlan.OfStage(id, name(), context -> {
            List<Pair> pairs = readPairs(pairsFile);
            Map<String, float[]> best = new ConcurrentHashMap<>();
            return new Stage() {
                @Override
                public List<Item> process(List<Item> batch) {
                    for (Item item : batch) {
                        item.find(ImageFaces.class).filter(f -> !f.faces().isEmpty()).ifPresent(f -> {
                            var top = f.faces().stream().max((p, q) -> Double.compare(p.box().score(), q.box().score())).get();
                            best.put(item.id(), top.descriptor());
                        });
                    }
                    return batch;
                }

                @Override
                public List<Item> finish() throws Exception {
                    Verifier v = new Verifier(threshold);
                    List<Double> d = new ArrayList<>();
                    List<Boolean> truth = new ArrayList<>();
                    int decided = 0, missing = 0;
                    try (CsvSink out = new CsvSink(context.runFolder().file("verify.csv"),
                            List.of("a", "b", "distance", "same_person", "truth", "note"), true)) {
                        for (Pair p : pairs) {
                            float[] a = best.get(p.a()), b = best.get(p.b());
                            String t = p.same() == null ? "" : p.same() ? "1" : "0";
                            if (a == null || b == null) {
                                missing++;
                                out.row(p.a(), p.b(), "", "", t, "no face found in " + (a == null ? p.a() : p.b()) + " (pairs line " + p.line() + ")");
                                continue;
                            }
                            double dist = Verifier.distance(a, b);
                            decided++;
                            out.row(p.a(), p.b(), String.format(Locale.ROOT, "%.4f", dist), v.samePerson(a, b) ? "1" : "0", t, "");
                            if (p.same() != null) {
                                d.add(dist);
                                truth.add(p.same());
                            }
                        }
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pairs", pairs.size());
                    m.put("decided", decided);
                    m.put("without_face", missing);
                    m.put("threshold", threshold);
                    if (truth.contains(true) && truth.contains(false)) {
                        double[] dd = d.stream().mapToDouble(Double::doubleValue).toArray();
                        boolean[] tt = new boolean[truth.size()];
                        for (int i = 0; i < tt.length; i++) tt[i] = truth.get(i);
                        RocCurve roc = new RocCurve(dd, tt);
                        m.put("accuracy", roc.accuracyAt(threshold));
                        m.put("auc", roc.auc());
                        m.put("best_threshold", roc.bestThreshold());
                        m.put("accuracy_at_best", roc.accuracyAt(roc.bestThreshold()));
                        m.put("eer", roc.equalErrorRate());
                    }
                    context.metrics().put("verification", m);
                    return List.of();
                }
            };
        }, true);
    }
}
