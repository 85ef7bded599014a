package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void classNames() throws IOException {
        assertEquals(List.of("person", "bicycle", "traffic light"),
                Annotations.readClassNames(write("coco.names", "person\nbicycle\r\n traffic light \n\n")));
        assertEquals(List.of("crane", "bird", "crane"), Annotations.readClassNames(write("9k.names", "crane\nbird\ncrane")));
        String gap = assertThrows(IOException.class,
                () -> Annotations.readClassNames(write("g.names", "a\n\nb\n"))).getMessage();
        assertTrue(gap.endsWith("g.names:2: empty class name"), gap);
        assertThrows(IOException.class, () -> Annotations.readClassNames(write("e.names", "\n")));
    }

    @Test
    void vispDetectionsAreRowColumnCorners() throws IOException {
        Path f = write("gt.txt", "detection_0\n376 35\n376 114\n454 35\n454 114\ndetection_1\n488 499\n488 555\n"
                + "544 499\n544 555\n");
        List<Box> boxes = Annotations.readVispDetections(f);
        assertEquals(2, boxes.size());
        assertArrayEquals(new double[] {35, 376, 79, 78}, boxes.get(0).toArray());
        assertArrayEquals(new double[] {499, 488, 56, 56}, boxes.get(1).toArray());
    }

    @Test
    void vispDetectionsErrorsNameTheLine() throws IOException {
        String m = assertThrows(IOException.class, () -> Annotations.readVispDetections(
                write("bad.txt", "detection_0\n1 2\n3 4\ndetection_1\n"))).getMessage();
        assertTrue(m.endsWith("bad.txt:4: previous detection has 2 corners, expected 4"), m);
        assertThrows(IOException.class, () -> Annotations.readVispDetections(write("n.txt", "detection_0\n1 x\n")));
        assertThrows(IOException.class, () -> Annotations.readVispDetections(write("o.txt", "5 6\n")));
        assertThrows(IOException.class, () -> Annotations.readVispDetections(write("p.txt", "detection_0\n1 2\n")));
    }

    @Test
    void boxAround() {
        assertArrayEquals(new double[] {1, 2, 4, 6}, Box.around(5, 2, 1, 8).toArray());
        assertThrows(IllegalArgumentException.class, () -> Box.around(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new Box(0, 0, -1, 1));
    }
}
