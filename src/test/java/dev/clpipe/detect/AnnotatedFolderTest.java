package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.data.HeldOut;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.PngEncoder;
import dev.clpipe.data.SkippedReport;
import dev.clpipe.detect.scenes.SceneFolders;
import dev.clpipe.detect.scenes.SceneSpec;
import dev.clpipe.detect.scenes.TestDigits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Annotated folders in the three formats: layouts, class order, the held-out split by path hash,
 * and bad input, each an error naming the file and the line or element.
 */
class AnnotatedFolderTest {
    private static final java.util.Set<String> EXT = ImageFolderSource.DEFAULT_EXTENSIONS;

    private static void png(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new PngEncoder(1).encode(ImageData.blank(w, h, 1)));
    }

    private static AnnotatedFolder.Splits read(Path root, AnnotatedFolder.Format f) throws IOException {
        return AnnotatedFolder.read(root, f, List.of(), 0.25, EXT, new SkippedReport());
    }

    @Test
    void theYoloExportReadsBackAsTheCocoOneWithinItsSixDecimals(@TempDir Path dir) throws Exception {
        var digits = TestDigits.fake(100);
        SceneSpec spec = new SceneSpec(40, 48, 1, 3, 14, 24, 0.1, 64);
        SceneFolders.write(digits, digits, spec, 3, 20, 6, "yolo", dir.resolve("yolo"));
        SceneFolders.write(digits, digits, spec, 3, 20, 6, "coco", dir.resolve("coco"));
        AnnotatedFolder.Splits yolo = read(dir.resolve("yolo"), AnnotatedFolder.Format.AUTO), coco = read(dir.resolve("coco"), AnnotatedFolder.Format.AUTO);
        assertEquals(AnnotatedFolder.Format.YOLO, yolo.format());
        assertEquals(AnnotatedFolder.Format.COCO, coco.format());
        assertEquals(SceneFolders.DIGITS, yolo.classes());
        assertEquals(SceneFolders.DIGITS, coco.classes());
        assertEquals(20, yolo.train().count());
        assertEquals(6, coco.test().count());
        int boxes = 0;
        for (int i = 0; i < 20; i++) {
            AnnotatedImage c = coco.train().known().get(i);
            AnnotatedImage y = yolo.train().objects(i, c.width(), c.height());
            assertEquals(c.objects().size(), y.objects().size());
            for (int k = 0; k < c.objects().size(); k++) {
                Box a = c.objects().get(k).box(), b = y.objects().get(k).box();
                assertEquals(c.objects().get(k).label(), y.objects().get(k).label());
                double rounding = 1e-6 * Math.max(c.width(), c.height());
                assertEquals(a.x1(), b.x1(), rounding);
                assertEquals(a.y2(), b.y2(), rounding);
                assertEquals(a.x1(), Math.rint(a.x1()), 0, "COCO keeps the generated integer boxes exactly");
                boxes++;
            }
        }
        assertTrue(boxes >= 20);
    }

    @Test
    void oneFolderIsSplitByPathHashAndAddingImagesMovesNoneOfTheOld(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("voc");
        for (int i = 0; i < 40; i++) {
            png(root.resolve("JPEGImages/im" + i + ".png"), 20, 10);
            voc(root.resolve("Annotations/im" + i + ".xml"), i % 2 == 0 ? "dog" : "cat", 2, 2, 8, 9);
        }
        AnnotatedFolder.Splits s = read(root, AnnotatedFolder.Format.AUTO);
        assertEquals(AnnotatedFolder.Format.VOC, s.format());
        assertEquals(List.of("cat", "dog"), s.classes());
        for (var e : s.test().images().entries()) assertTrue(HeldOut.position(e.file()) < 0.25, e.file());
        for (var e : s.train().images().entries()) assertTrue(HeldOut.position(e.file()) >= 0.25, e.file());
        assertEquals(40, s.train().count() + s.test().count());
        List<String> before = s.test().images().entries().stream().map(e -> e.file()).toList();
        for (int i = 40; i < 60; i++) {
            png(root.resolve("JPEGImages/im" + i + ".png"), 20, 10);
            voc(root.resolve("Annotations/im" + i + ".xml"), "dog", 2, 2, 8, 9);
        }
        List<String> after = read(root, AnnotatedFolder.Format.VOC).test().images().entries().stream().map(e -> e.file()).toList();
        assertTrue(after.containsAll(before), "old test images stay in test: " + before + " vs " + after);
        AnnotatedImage first = s.train().objects(0, 20, 10);
        assertEquals(new Box(1, 1, 8, 9), first.objects().get(0).box(), "VOC corners are 1-based inclusive");
    }

    private static void voc(Path xml, String name, int x1, int y1, int x2, int y2) throws IOException {
        Files.createDirectories(xml.getParent());
        Files.writeString(xml, "<annotation><size><width>20</width><height>10</height></size><object><name>" + name
                + "</name><bndbox><xmin>" + x1 + "</xmin><ymin>" + y1 + "</ymin><xmax>" + x2 + "</xmax><ymax>" + y2 + "</ymax></bndbox></object></annotation>");
    }

    /** A YOLO folder, train/ and test/, of two images 20x10 each: a.png with a good label file, train's b.png with {@code bLabels}. */
    private static Path yolo(Path dir, String bLabels) throws IOException {
        Path root = dir.resolve("y");
        for (String split : List.of("train", "test")) {
            png(root.resolve(split + "/images/a.png"), 20, 10);
            png(root.resolve(split + "/images/b.png"), 20, 10);
            Files.createDirectories(root.resolve(split + "/labels"));
            Files.writeString(root.resolve(split + "/labels/a.txt"), "0 0.5 0.5 0.2 0.2\n");
            Files.writeString(root.resolve(split + "/labels/b.txt"), split.equals("train") ? bLabels : "1 0.5 0.5 0.1 0.1\n");
        }
        Files.writeString(root.resolve("classes.names"), "cat\ndog\n");
        return root;
    }

    private static AnnotatedImage objectsOf(AnnotatedFolder.Splits s, String name) throws IOException {
        for (AnnotatedFolder.Split split : List.of(s.train(), s.test())) {
            for (int i = 0; i < split.count(); i++) if (split.images().entries().get(i).file().equals(name)) return split.objects(i, 20, 10);
        }
        throw new AssertionError(name + " in neither split");
    }

    @Test
    void aMalformedYoloLineNamesFileAndLine(@TempDir Path dir) throws Exception {
        AnnotatedFolder.Splits s = AnnotatedFolder.read(yolo(dir, "1 0.5 0.5 0.1 0.1\n1 0.5 0.5 0.1\n"), AnnotatedFolder.Format.AUTO, List.of(), 0.5, EXT, new SkippedReport());
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class, () -> objectsOf(s, "images/b.png"));
        assertTrue(e.getMessage().matches(".*labels/b\\.txt:2: expected 'class cx cy w h'.*"), e.getMessage());
    }

    @Test
    void aYoloBoxOutsideTheImageNamesFileAndLine(@TempDir Path dir) throws Exception {
        AnnotatedFolder.Splits s = AnnotatedFolder.read(yolo(dir, "\n0 0.95 0.5 0.5 0.2\n"), AnnotatedFolder.Format.YOLO, List.of(), 0.5, EXT, new SkippedReport());
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class, () -> objectsOf(s, "images/b.png"));
        assertTrue(e.getMessage().matches(".*labels/b\\.txt:2: box \\[14\\.0, 4\\.0, 24\\.0, 6\\.0\\] reaches outside the 20x10 image images/b\\.png"), e.getMessage());
    }

    @Test
    void aLabelFileWithoutItsImageIsNamed(@TempDir Path dir) throws Exception {
        Path root = yolo(dir, "0 0.5 0.5 0.1 0.1\n");
        Files.writeString(root.resolve("test/labels/gone.txt"), "0 0.5 0.5 0.1 0.1\n");
        IOException e = assertThrows(IOException.class, () -> read(root, AnnotatedFolder.Format.AUTO));
        assertTrue(e.getMessage().contains("1 label file(s) name a missing image: labels/gone.txt"), e.getMessage());
    }

    @Test
    void aCocoBoxOutsideTheImageAndAMissingImageAreNamed(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("c");
        png(root.resolve("images/a.png"), 20, 10);
        png(root.resolve("images/b.png"), 20, 10);
        String coco = """
                {"images": [{"id": 1, "file_name": "images/a.png", "width": 20, "height": 10},
                            {"id": 2, "file_name": "b.png", "width": 20, "height": 10}%s],
                 "categories": [{"id": 3, "name": "dog"}, {"id": 1, "name": "cat"}],
                 "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 5, 5]},
                                 {"id": 2, "image_id": 1, "category_id": 3, "bbox": [10, 2, 15, 5]}]}
                """;
        Files.writeString(root.resolve("annotations.json"), coco.formatted(""));
        double between = (HeldOut.position("images/a.png") + HeldOut.position("images/b.png")) / 2; // one image in each split
        AnnotatedFolder.Splits s = AnnotatedFolder.read(root, AnnotatedFolder.Format.AUTO, List.of(), between, EXT, new SkippedReport());
        assertEquals(List.of("cat", "dog"), s.classes(), "category id order");
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class, () -> objectsOf(s, "images/a.png"));
        assertTrue(e.getMessage().endsWith("annotations.json: annotations[1]: box [10.0, 2.0, 25.0, 7.0] reaches outside the 20x10 image images/a.png"), e.getMessage());
        Files.writeString(root.resolve("annotations.json"), coco.formatted(", {\"id\": 3, \"file_name\": \"images/c.png\", \"width\": 20, \"height\": 10}"));
        IOException missing = assertThrows(IOException.class, () -> AnnotatedFolder.read(root, AnnotatedFolder.Format.COCO, List.of(), between, EXT, new SkippedReport()));
        assertTrue(missing.getMessage().contains("names 1 image(s) missing under") && missing.getMessage().endsWith("images/c.png (images[2])"), missing.getMessage());
    }
}
