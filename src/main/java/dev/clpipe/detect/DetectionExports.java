package dev.clpipe.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.data.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Detections in the two formats other tools read, made from {@code detections.jsonl} entries:
 * COCO results JSON ({@code images}, {@code categories}, {@code annotations} with {@code bbox =
 * [x, y, w, h]} in pixels and {@code score}; what {@link CocoJsonReader} reads) and YOLO/darknet
 * label files (one {@code .txt} per image, {@code class cx cy w h} relative to the image size,
 * class names one a line in {@code classes.names}; what {@link YoloTxtReader} reads; scores are in
 * the COCO file only).
 */
public final class DetectionExports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DetectionExports() {
    }

    /** Writes the COCO JSON file atomically; category ids count from 1 in order of first appearance. */
    public static void writeCoco(List<DetectionsJsonl.Entry> entries, Path file) throws IOException {
        coco(rows(entries), labels(entries), true, file);
    }

    /**
     * Ground truth as a COCO annotation file (no scores; crowd objects with {@code iscrowd: 1}):
     * category ids 1..n in the order of {@code classes} (the class order a detector trained on it uses).
     */
    public static void writeCocoTruth(List<AnnotatedImage> images, List<String> classes, Path file) throws IOException {
        coco(truthRows(images, classes), classes, false, file);
    }

    /**
     * Writes {@code folder/classes.names} and one {@code .txt} per image (named after the image's
     * path with {@code .txt} for its extension, sub-folders kept), an empty file for an image without detections.
     */
    public static void writeYolo(List<DetectionsJsonl.Entry> entries, Path folder) throws IOException {
        yolo(rows(entries), labels(entries), folder);
    }

    /** Ground truth as YOLO label files, as {@link #writeYolo}, class indices in the order of {@code classes}. */
    public static void writeYoloTruth(List<AnnotatedImage> images, List<String> classes, Path folder) throws IOException {
        yolo(truthRows(images, classes), classes, folder);
    }

    /** One image's boxes whatever they come from (ground truth: score 1, not written). */
    private record Row(String image, int width, int height, List<Detection> boxes, List<Boolean> crowd) {
    }

    private static List<Row> rows(List<DetectionsJsonl.Entry> entries) {
        return entries.stream().map(e -> new Row(e.image(), e.width(), e.height(), e.detections(), e.detections().stream().map(d -> false).toList())).toList();
    }

    private static List<Row> truthRows(List<AnnotatedImage> images, List<String> classes) {
        List<Row> rows = new ArrayList<>();
        for (AnnotatedImage a : images) {
            for (Annotation o : a.objects()) {
                if (!classes.contains(o.label())) throw new IllegalArgumentException(a.image() + ": label " + o.label() + " is not one of " + classes);
            }
            rows.add(new Row(a.image(), a.width(), a.height(), a.objects().stream().map(o -> new Detection(o.label(), 1, o.box())).toList(),
                    a.objects().stream().map(Annotation::crowd).toList()));
        }
        return rows;
    }

    private static void coco(List<Row> rows, List<String> labels, boolean scores, Path file) throws IOException {
        List<Map<String, Object>> images = new ArrayList<>(), annotations = new ArrayList<>(), categories = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) categories.add(Map.of("id", c + 1, "name", labels.get(c)));
        for (int i = 0; i < rows.size(); i++) {
            Row e = rows.get(i);
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("id", i + 1);
            image.put("file_name", e.image());
            image.put("width", e.width());
            image.put("height", e.height());
            images.add(image);
            for (int k = 0; k < e.boxes().size(); k++) {
                Detection d = e.boxes().get(k);
                double[] box = d.box().toTopLeft();
                for (int j = 0; j < 4; j++) box[j] = Math.round(box[j] * 100) / 100.0;
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("id", annotations.size() + 1);
                a.put("image_id", i + 1);
                a.put("category_id", labels.indexOf(d.label()) + 1);
                a.put("bbox", box);
                a.put("area", Math.round(box[2] * box[3] * 100) / 100.0);
                a.put("iscrowd", e.crowd().get(k) ? 1 : 0);
                if (scores) a.put("score", d.score());
                annotations.add(a);
            }
        }
        Map<String, Object> coco = new LinkedHashMap<>();
        coco.put("images", images);
        coco.put("categories", categories);
        coco.put("annotations", annotations);
        AtomicFiles.write(file, true, JSON.writeValueAsBytes(coco));
    }

    private static void yolo(List<Row> rows, List<String> labels, Path folder) throws IOException {
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve("classes.names"), true, (String.join("\n", labels) + (labels.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
        for (Row e : rows) {
            StringBuilder text = new StringBuilder();
            for (Detection d : e.boxes()) {
                double[] c = d.box().toCentre();
                text.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", labels.indexOf(d.label()),
                        c[0] / e.width(), c[1] / e.height(), c[2] / e.width(), c[3] / e.height()));
            }
            Path txt = folder.resolve(e.image().replaceFirst("\\.[^./\\\\]*$", "") + ".txt").normalize();
            if (!txt.startsWith(folder.normalize())) throw new IOException("image name " + e.image() + " leaves the YOLO folder " + folder);
            Files.createDirectories(txt.getParent());
            AtomicFiles.write(txt, true, text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> labels(List<DetectionsJsonl.Entry> entries) {
        List<String> labels = new ArrayList<>();
        for (DetectionsJsonl.Entry e : entries) for (Detection d : e.detections()) if (!labels.contains(d.label())) labels.add(d.label());
        return labels;
    }
}
