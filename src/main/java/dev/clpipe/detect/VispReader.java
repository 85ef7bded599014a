package dev.clpipe.detect;

import dev.clpipe.data.Annotations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ViSP's face ground truth ({@code ground_truth_detection.txt}: blocks {@code detection_N} then
 * four corner lines {@code row col}), parsed by {@link Annotations#readVispDetections} and
 * returned as {@link Annotation}s with one label (default {@code "face"}).
 */
public final class VispReader {
    private VispReader() {
    }

    public static AnnotatedImage read(Path file, String image, int width, int height) throws IOException {
        return read(file, image, width, height, "face");
    }

    public static AnnotatedImage read(Path file, String image, int width, int height, String label) throws IOException {
        List<Annotation> objects = new ArrayList<>();
        for (dev.clpipe.data.Box b : Annotations.readVispDetections(file)) {
            objects.add(new Annotation(label, Box.of(b)));
        }
        return new AnnotatedImage(image, width, height, objects);
    }
}
