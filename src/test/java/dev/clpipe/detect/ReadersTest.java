package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ReadersTest.class.getResource("/detect/" + name).toURI());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    @Test
    void vocXml() throws Exception {
        AnnotatedImage im = VocXmlReader.read(fixture("voc_000001.xml"));
        assertEquals("000001.jpg", im.image());
        assertEquals(353, im.width());
        assertEquals(500, im.height());
        assertEquals(2, im.objects().size()); // the <part> box is not an object
        // 1-based inclusive (48, 240)-(195, 371) -> continuous [47, 239, 195, 371], 148 x 132
        assertEquals(new Annotation("dog", new Box(47, 239, 195, 371), false), im.objects().get(0));
        assertTrue(im.objects().get(1).ignore()); // difficult
    }

    @Test
    void vocErrorsNameTheElement() throws IOException {
        String ok = "<annotation><object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object>";
        String m = message(AnnotationFormatException.class, () -> VocXmlReader.read(write("a.xml",
                ok + "<object><name>dog</name><bndbox><xmin>x</xmin></bndbox></object></annotation>")));
        assertTrue(m.endsWith("a.xml: annotation/object[2]/bndbox/xmin: expected a number >= 0, found 'x'"), m);
        m = message(AnnotationFormatException.class, () -> VocXmlReader.read(write("b.xml",
                "<annotation><object><bndbox/></object></annotation>")));
        assertTrue(m.endsWith("annotation/object[1]/name: missing or empty class name"), m);
        m = message(AnnotationFormatException.class, () -> VocXmlReader.read(write("c.xml", "<annotation>\n<object>\n</annotation>")));
        assertTrue(m.contains("c.xml:3: column"), m);
        m = message(AnnotationFormatException.class, () -> VocXmlReader.read(write("d.xml", "<voc/>")));
        assertTrue(m.endsWith("d.xml: voc: root element must be <annotation>"), m);
        assertEquals(1, VocXmlReader.read(write("ok.xml", ok + "</annotation>")).objects().size());
    }

    @Test
    void vocRefusesExternalEntities() throws IOException {
        Path secret = write("secret.txt", "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE annotation [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<annotation><filename>&xxe;</filename></annotation>";
        String m = message(AnnotationFormatException.class, () -> VocXmlReader.read(write("xxe.xml", xxe)));
        assertTrue(m.contains("xxe.xml:2:") && m.contains("DOCTYPE refused"), m);
        assertFalse(m.contains("TOP-SECRET"), m);
        String external = "<!DOCTYPE annotation SYSTEM \"http://127.0.0.1:9/evil.dtd\"><annotation/>";
        assertThrows(AnnotationFormatException.class, () -> VocXmlReader.read(write("dtd.xml", external)));
    }

    @Test
    void vocRefusesBillionLaughs() throws IOException {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            x.append("<!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                x.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            x.append("\">\n");
        }
        x.append("]>\n<annotation><filename>&lol9;</filename></annotation>");
        long t0 = System.nanoTime();
        String m = message(AnnotationFormatException.class, () -> VocXmlReader.read(write("lol.xml", x.toString())));
        assertTrue(m.contains("DOCTYPE refused"), m);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refusal must be immediate");
    }

    @Test
    void yoloTxt() throws Exception {
        YoloTxtReader r = YoloTxtReader.withNamesFile(fixture("yolo_obj.names"));
        AnnotatedImage im = r.read(fixture("yolo_000001.txt"), "000001.jpg", 400, 200);
        assertEquals(2, im.objects().size());
        // dog: centre (0.5, 0.5) size (0.25, 0.5) of 400x200 -> centre (200, 100), 100 x 100
        assertEquals(new Annotation("dog", new Box(150, 50, 250, 150)), im.objects().get(0));
        assertEquals("car", im.objects().get(1).label());
        assertEquals("1 0.500000 0.500000 0.250000 0.500000", YoloTxtReader.format(1, new Box(150, 50, 250, 150), 400, 200));
    }

    @Test
    void yoloErrorsNameTheLine() throws IOException {
        YoloTxtReader r = new YoloTxtReader(List.of("a", "b"));
        String m = message(AnnotationFormatException.class, () -> r.read(write("1.txt", "0 .5 .5 .1 .1\n0 .5 .5 .1\n"), "i", 10, 10));
        assertTrue(m.endsWith("1.txt:2: expected 'class cx cy w h' (5 fields), found 4 in '0 .5 .5 .1'"), m);
        m = message(AnnotationFormatException.class, () -> r.read(write("2.txt", "\n2 .5 .5 .1 .1\n"), "i", 10, 10));
        assertTrue(m.endsWith("2.txt:2: class 2 is outside 0..1 (2 class names)"), m);
        m = message(AnnotationFormatException.class, () -> r.read(write("3.txt", "0 120 80 30 40\n"), "i", 10, 10));
        assertTrue(m.contains("3.txt:1: value 120 is not relative"), m);
        m = message(AnnotationFormatException.class, () -> r.read(write("4.txt", "zero .5 .5 .1 .1\n"), "i", 10, 10));
        assertTrue(m.endsWith("4.txt:1: not a number in 'zero .5 .5 .1 .1'"), m);
    }

    @Test
    void cocoJson() throws Exception {
        List<AnnotatedImage> ims = CocoJsonReader.read(fixture("coco_instances.json"));
        assertEquals(2, ims.size());
        AnnotatedImage a = ims.get(0);
        assertEquals("a.jpg", a.image());
        assertEquals(640, a.width());
        assertEquals(new Annotation("dog", Box.fromTopLeft(10.5, 20, 100, 50), false), a.objects().get(0));
        assertEquals(Annotation.crowd("person", Box.fromTopLeft(0, 0, 640, 480)), a.objects().get(1)); // iscrowd
        assertEquals(new Annotation("person", Box.fromTopLeft(5, 6, 7, 8)), ims.get(1).objects().get(0));
    }

    @Test
    void cocoErrorsNameTheElement() throws IOException {
        String head = "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\",\"width\":4,\"height\":4}],"
                + "\"categories\":[{\"id\":1,\"name\":\"x\"}],\"annotations\":[";
        String m = message(AnnotationFormatException.class, () -> CocoJsonReader.read(write("a.json",
                head + "{\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3,4]},{\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3]}]}")));
        assertTrue(m.endsWith("a.json: annotations[1].bbox: expected [x, y, w, h], 4 numbers"), m);
        m = message(AnnotationFormatException.class, () -> CocoJsonReader.read(write("b.json",
                head + "{\"image_id\":9,\"category_id\":1,\"bbox\":[1,2,3,4]}]}")));
        assertTrue(m.endsWith("b.json: annotations[0].image_id: no image with id 9"), m);
        m = message(AnnotationFormatException.class, () -> CocoJsonReader.read(write("c.json", "{\"images\": [\n}")));
        assertTrue(m.contains("c.json:2: not valid JSON"), m);
        m = message(AnnotationFormatException.class, () -> CocoJsonReader.read(write("d.json", "{\"images\": []}")));
        assertTrue(m.endsWith("d.json: categories: missing or not an array"), m);
    }

    @Test
    void vispReusesTheDataReader() throws Exception {
        AnnotatedImage im = VispReader.read(fixture("visp_ground_truth_detection.txt"), "solvay.png", 1280, 926);
        assertEquals(2, im.objects().size());
        // rows 376..454, columns 35..114 -> x 35..114, y 376..454
        assertEquals(new Annotation("face", new Box(35, 376, 114, 454)), im.objects().get(0));
        String m = message(IOException.class, () -> VispReader.read(write("bad.txt", "detection_0\n1 2\n"), "i", 1, 1));
        assertTrue(m.contains("bad.txt"), m);
    }
}
