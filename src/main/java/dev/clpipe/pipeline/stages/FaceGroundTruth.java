package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.detect.AnnotatedImage;
import dev.clpipe.detect.CocoJsonReader;
import dev.clpipe.detect.VispReader;
import dev.clpipe.pipeline.InputPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ground_truth} section of {@code detect-faces}: {@code format: visp} (ViSP's
 * {@code ground_truth_detection.txt}, describing the one image named by {@code image}, an item id
 * relative to the input folder) or {@code format: coco} (instances JSON; {@code file_name}s are
 * item ids). Read when the stage opens; only images listed here are evaluated.
 */
record FaceGroundTruth(String format, Path file, String image, String label) {
    static FaceGroundTruth read(ConfigSection s) {
        String format = s.describe("format", "visp or coco").choice("format", List.of("visp", "coco"), "visp");
        Path file = InputPaths.file(s, "file", s.describe("file", "ground-truth file, relative to this YAML file").path("file"), null);
        String image = s.describe("image", "visp: the item id (path under the input folder) the file describes").string("image", "");
        if (format.equals("visp") && image.isEmpty()) throw s.error("image", "format visp needs the image the file describes");
        String label = s.describe("label", "coco: category name of faces").string("label", "face");
        return new FaceGroundTruth(format, file, image, label);
    }

    /** Annotated images by item id. */
    Map<String, AnnotatedImage> load() throws IOException {
        Map<String, AnnotatedImage> out = new LinkedHashMap<>();
        if (format.equals("visp")) {
            out.put(image, VispReader.read(file, image, 0, 0));
        } else {
            for (AnnotatedImage a : CocoJsonReader.read(file)) out.put(a.image(), a);
        }
        return out;
    }
}
