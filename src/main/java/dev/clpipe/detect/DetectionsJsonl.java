package dev.clpipe.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public {@code detections.jsonl} format (see DESIGN.md), one image per line:
 * {@code {"image": "rel/path.jpg", "width": W, "height": H, "detections": [{"label": "face",
 * "score": 0.93, "box": [x, y, w, h]}]}}, pixels, origin top-left. {@link #toJson} builds a line
 * for {@code dev.clpipe.data.JsonlSink}; {@link #read} reads a file back (e.g. to evaluate it).
 */
public final class DetectionsJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One parsed line. */
    public record Entry(String image, int width, int height, List<Detection> detections) {
    }

    private DetectionsJsonl() {
    }

    public static Map<String, Object> toJson(String image, int width, int height, List<Detection> detections) {
        List<Object> list = new ArrayList<>();
        for (Detection d : detections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", d.label());
            m.put("score", d.score());
            double[] box = d.box().toTopLeft();
            for (int i = 0; i < box.length; i++) box[i] = Math.round(box[i] * 100) / 100.0; // 0.01 px: finer is noise
            m.put("box", box);
            list.add(m);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("image", image);
        line.put("width", width);
        line.put("height", height);
        line.put("detections", list);
        return line;
    }

    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (!line.isBlank()) {
                    out.add(parse(file, no, line));
                }
            }
        }
        return out;
    }

    private static Entry parse(Path file, int no, String line) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw AnnotationFormatException.atLine(file, no, "not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.path("image").isTextual() || !n.path("width").canConvertToInt()
                || !n.path("height").canConvertToInt() || !n.path("detections").isArray()) {
            throw AnnotationFormatException.atLine(file, no, "expected {\"image\", \"width\", \"height\", \"detections\": [...]}");
        }
        List<Detection> dets = new ArrayList<>();
        int i = 0;
        for (JsonNode d : n.get("detections")) {
            JsonNode box = d.path("box");
            if (!d.path("label").isTextual() || !d.path("score").isNumber() || !box.isArray() || box.size() != 4) {
                throw AnnotationFormatException.atLine(file, no, "detections[" + i + "]: expected {\"label\", \"score\", \"box\": [x, y, w, h]}");
            }
            try {
                dets.add(new Detection(d.get("label").asText(), d.get("score").asDouble(), Box.fromTopLeft(
                        box.get(0).asDouble(), box.get(1).asDouble(), box.get(2).asDouble(), box.get(3).asDouble())));
            } catch (IllegalArgumentException e) {
                throw AnnotationFormatException.atLine(file, no, "detections[" + i + "]: " + e.getMessage());
            }
            i++;
        }
        return new Entry(n.get("image").asText(), n.get("width").asInt(), n.get("height").asInt(), dets);
    }
}
