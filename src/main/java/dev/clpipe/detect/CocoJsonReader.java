package dev.clpipe.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO object-detection ground truth ({@code instances_*.json}): {@code images} (id, file_name,
 * width, height), {@code categories} (id, name) and {@code annotations} (image_id, category_id,
 * {@code bbox = [x, y, w, h]} in pixels from the top-left, {@code iscrowd}). Returns one
 * {@link AnnotatedImage} per entry of {@code images}, in file order, with its boxes in annotation
 * order; {@code iscrowd = 1} boxes become {@link Annotation#crowd} (ignored, matched by
 * intersection over detection area) (segmentations are not read). Errors name
 * the file and the element, e.g. {@code annotations[3].bbox}.
 *
 * <p>The whole file is read into a tree; fine up to a few hundred MB (instances_val2017 is 25 MB;
 * train2017 at 450 MB wants a streaming reader, not written yet).
 */
public final class CocoJsonReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CocoJsonReader() {
    }

    /** A COCO file's categories (names, by ascending id: the class order) and its images. */
    public record Contents(List<String> categories, List<AnnotatedImage> images) {
    }

    public static List<AnnotatedImage> read(Path json) throws IOException {
        return readContents(json).images();
    }

    public static Contents readContents(Path json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            long line = e.getLocation() != null ? e.getLocation().getLineNr() : -1;
            throw AnnotationFormatException.atLine(json, (int) line, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw AnnotationFormatException.at(json, "(root)", "expected a JSON object with images, annotations, categories");
        }
        Map<Long, String> categories = new java.util.TreeMap<>();
        JsonNode cats = array(json, root, "categories");
        for (int i = 0; i < cats.size(); i++) {
            String at = "categories[" + i + "]";
            long id = integer(json, cats.get(i), at, "id");
            if (categories.put(id, text(json, cats.get(i), at, "name")) != null) {
                throw AnnotationFormatException.at(json, at + ".id", "duplicate category id " + id);
            }
        }
        Map<Long, ImageEntry> images = new LinkedHashMap<>();
        JsonNode imgs = array(json, root, "images");
        for (int i = 0; i < imgs.size(); i++) {
            String at = "images[" + i + "]";
            JsonNode n = imgs.get(i);
            long id = integer(json, n, at, "id");
            ImageEntry e = new ImageEntry(text(json, n, at, "file_name"), (int) integer(json, n, at, "width"),
                    (int) integer(json, n, at, "height"), new ArrayList<>(), new ArrayList<>());
            if (images.put(id, e) != null) {
                throw AnnotationFormatException.at(json, at + ".id", "duplicate image id " + id);
            }
        }
        JsonNode anns = array(json, root, "annotations");
        for (int i = 0; i < anns.size(); i++) {
            String at = "annotations[" + i + "]";
            JsonNode n = anns.get(i);
            long imageId = integer(json, n, at, "image_id");
            long categoryId = integer(json, n, at, "category_id");
            ImageEntry image = images.get(imageId);
            if (image == null) {
                throw AnnotationFormatException.at(json, at + ".image_id", "no image with id " + imageId);
            }
            String label = categories.get(categoryId);
            if (label == null) {
                throw AnnotationFormatException.at(json, at + ".category_id", "no category with id " + categoryId);
            }
            JsonNode bbox = n.get("bbox");
            if (bbox == null || !bbox.isArray() || bbox.size() != 4 || !allNumbers(bbox)) {
                throw AnnotationFormatException.at(json, at + ".bbox", "expected [x, y, w, h], 4 numbers");
            }
            double w = bbox.get(2).asDouble();
            double h = bbox.get(3).asDouble();
            if (w < 0 || h < 0) {
                throw AnnotationFormatException.at(json, at + ".bbox", "width and height must be >= 0, got " + w + "x" + h);
            }
            JsonNode crowd = n.get("iscrowd");
            Box box = Box.fromTopLeft(bbox.get(0).asDouble(), bbox.get(1).asDouble(), w, h);
            boolean isCrowd = crowd != null && crowd.asInt(0) == 1;
            image.objects().add(isCrowd ? Annotation.crowd(label, box) : new Annotation(label, box));
            image.where().add(json + ": " + at);
        }
        List<AnnotatedImage> out = new ArrayList<>();
        for (ImageEntry e : images.values()) {
            out.add(new AnnotatedImage(e.name(), e.width(), e.height(), e.objects(), e.where()));
        }
        return new Contents(List.copyOf(categories.values()), out);
    }

    private record ImageEntry(String name, int width, int height, List<Annotation> objects, List<String> where) {
    }

    private static boolean allNumbers(JsonNode a) {
        for (JsonNode v : a) {
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode array(Path json, JsonNode root, String key) throws AnnotationFormatException {
        JsonNode a = root.get(key);
        if (a == null || !a.isArray()) {
            throw AnnotationFormatException.at(json, key, "missing or not an array");
        }
        return a;
    }

    private static long integer(Path json, JsonNode n, String at, String key) throws AnnotationFormatException {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw AnnotationFormatException.at(json, at + "." + key, "missing or not an integer");
        }
        return v.asLong();
    }

    private static String text(Path json, JsonNode n, String at, String key) throws AnnotationFormatException {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw AnnotationFormatException.at(json, at + "." + key, "missing or not a non-empty string");
        }
        return v.asText();
    }
}
