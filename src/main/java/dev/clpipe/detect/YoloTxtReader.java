package dev.clpipe.detect;

import dev.clpipe.data.Annotations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * YOLO/darknet label files: one {@code .txt} per image, one object per line
 * {@code class cx cy w h}, class an index into a class-name file ({@code obj.names}, one name a
 * line, read with {@link Annotations#readClassNames}), the four numbers relative to the image
 * size (0..1). Blank lines are skipped. Boxes come back in pixels of the given image size, clipped
 * to the image; a box reaching more than a pixel beyond the image is an error naming the line
 * (the annotation does not fit the image: wrong image, or wrong label file).
 */
public final class YoloTxtReader {
    private final List<String> classNames;

    public YoloTxtReader(List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("class-name list is empty");
        }
        this.classNames = List.copyOf(classNames);
    }

    /** With the class names read from a darknet-style names file. */
    public static YoloTxtReader withNamesFile(Path namesFile) throws IOException {
        return new YoloTxtReader(Annotations.readClassNames(namesFile));
    }

    /** Reads the labels of one {@code width x height} image. */
    public AnnotatedImage read(Path txt, String image, int width, int height) throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("YOLO labels are relative: the image size is needed, got " + width + "x" + height);
        }
        List<String> lines = Files.readAllLines(txt, StandardCharsets.UTF_8);
        List<Annotation> objects = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 5) {
                throw AnnotationFormatException.atLine(txt, i + 1, "expected 'class cx cy w h' (5 fields), found "
                        + f.length + " in '" + line + "'");
            }
            int cls;
            double[] v = new double[4];
            try {
                cls = Integer.parseInt(f[0]);
                for (int k = 0; k < 4; k++) {
                    v[k] = Double.parseDouble(f[k + 1]);
                }
            } catch (NumberFormatException e) {
                throw AnnotationFormatException.atLine(txt, i + 1, "not a number in '" + line + "'");
            }
            if (cls < 0 || cls >= classNames.size()) {
                throw AnnotationFormatException.atLine(txt, i + 1, "class " + cls + " is outside 0.."
                        + (classNames.size() - 1) + " (" + classNames.size() + " class names)");
            }
            for (int k = 0; k < 4; k++) {
                if (!(v[k] >= 0 && v[k] <= 1)) {
                    throw AnnotationFormatException.atLine(txt, i + 1, "value " + f[k + 1]
                            + " is not relative (0..1); YOLO labels are fractions of the image size");
                }
            }
            Box full = Box.fromCentre(v[0], v[1], v[2], v[3]).toPixels(width, height);
            if (full.x1() < -1 || full.y1() < -1 || full.x2() > width + 1 || full.y2() > height + 1) {
                throw AnnotationFormatException.atLine(txt, i + 1, String.format(java.util.Locale.ROOT,
                        "box [%.1f, %.1f, %.1f, %.1f] reaches outside the %dx%d image %s", full.x1(), full.y1(), full.x2(), full.y2(), width, height, image));
            }
            objects.add(new Annotation(classNames.get(cls), full.clip(width, height)));
            where.add(txt + ":" + (i + 1));
        }
        return new AnnotatedImage(image, width, height, objects, where);
    }

    /** One line of a YOLO label file for a box in pixels: {@code class cx cy w h}, relative, 6 decimals. */
    public static String format(int classIndex, Box pixels, int width, int height) {
        double[] c = pixels.toRelative(width, height).toCentre();
        return String.format(java.util.Locale.ROOT, "%d %.6f %.6f %.6f %.6f", classIndex, c[0], c[1], c[2], c[3]);
    }
}
