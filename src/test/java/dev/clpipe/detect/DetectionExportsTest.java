package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COCO JSON and YOLO txt exports read back (with clpipe's own readers) to the boxes of detections.jsonl. */
class DetectionExportsTest {
    private static final List<DetectionsJsonl.Entry> ENTRIES = List.of(
            new DetectionsJsonl.Entry("a/one.jpg", 640, 480, List.of(new Detection("face", 0.93, Box.fromTopLeft(10.5, 20.25, 100, 50)),
                    new Detection("cat", 0.5, Box.fromTopLeft(300, 200, 40.4, 60.6)))),
            new DetectionsJsonl.Entry("two.png", 200, 100, List.of()));

    @Test
    void cocoReadsBackToTheSameBoxes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("detections-coco.json");
        DetectionExports.writeCoco(ENTRIES, file);
        List<AnnotatedImage> back = CocoJsonReader.read(file);
        assertEquals(2, back.size());
        assertEquals("a/one.jpg", back.get(0).image());
        assertEquals(List.of("face", "cat"), back.get(0).objects().stream().map(Annotation::label).toList());
        for (int i = 0; i < 2; i++) {
            double[] want = ENTRIES.get(0).detections().get(i).box().toTopLeft(), got = back.get(0).objects().get(i).box().toTopLeft();
            for (int k = 0; k < 4; k++) assertEquals(want[k], got[k], 0.005);
        }
        assertEquals(List.of(), back.get(1).objects());
        // the same bytes from every JVM (a Spark driver's export must equal clpipe run's): keys in a fixed order
        assertEquals(true, Files.readString(file).contains("{\n    \"id\" : 1,\n    \"name\" : \"face\"\n  }"), Files.readString(file));
    }

    @Test
    void yoloReadsBackToTheSameBoxes(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("yolo");
        DetectionExports.writeYolo(ENTRIES, folder);
        assertEquals(List.of("face", "cat"), Files.readAllLines(folder.resolve("classes.names")));
        YoloTxtReader reader = YoloTxtReader.withNamesFile(folder.resolve("classes.names"));
        AnnotatedImage one = reader.read(folder.resolve("a/one.txt"), "a/one.jpg", 640, 480);
        assertEquals(List.of("face", "cat"), one.objects().stream().map(Annotation::label).toList());
        for (int i = 0; i < 2; i++) {
            double[] want = ENTRIES.get(0).detections().get(i).box().toTopLeft(), got = one.objects().get(i).box().toTopLeft();
            for (int k = 0; k < 4; k++) assertEquals(want[k], got[k], 0.01);
        }
        assertEquals("", Files.readString(folder.resolve("two.txt")), "an image without detections has an empty file");
    }
}
