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
        List<String> labels = labels(entries);
        List<Map<String, Object>> images = new ArrayList<>(), annotations = new ArrayList<>(), categories = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) { // LinkedHashMap: Map.of's key order changes from one JVM to the next
            Map<String, Object> category = new LinkedHashMap<>();
            category.put("id", c + 1);
            category.put("name", labels.get(c));
            categories.add(category);
        }
        for (int i = 0; i < entries.size(); i++) {
            DetectionsJsonl.Entry e = entries.get(i);
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("id", i + 1);
            image.put("file_name", e.image());
            image.put("width", e.width());
            image.put("height", e.height());
            images.add(image);
            for (Detection d : e.detections()) {
                double[] box = d.box().toTopLeft();
                for (int k = 0; k < 4; k++) box[k] = Math.round(box[k] * 100) / 100.0;
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("id", annotations.size() + 1);
                a.put("image_id", i + 1);
                a.put("category_id", labels.indexOf(d.label()) + 1);
                a.put("bbox", box);
                a.put("area", Math.round(box[2] * box[3] * 100) / 100.0);
                a.put("iscrowd", 0);
                a.put("score", d.score());
                annotations.add(a);
            }
        }
        Map<String, Object> coco = new LinkedHashMap<>();
        coco.put("images", images);
        coco.put("categories", categories);
        coco.put("annotations", annotations);
        AtomicFiles.write(file, true, JSON.writeValueAsBytes(coco));
    }

    /**
     * Writes {@code folder/classes.names} and one {@code .txt} per image (named after the image's
     * path with {@code .txt} for its extension, sub-folders kept), an empty file for an image without detections.
     */
    public static void writeYolo(List<DetectionsJsonl.Entry> entries, Path folder) throws IOException {
        List<String> labels = labels(entries);
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve("classes.names"), true, (String.join("\n", labels) + (labels.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
        for (DetectionsJsonl.Entry e : entries) {
            StringBuilder text = new StringBuilder();
            for (Detection d : e.detections()) {
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
