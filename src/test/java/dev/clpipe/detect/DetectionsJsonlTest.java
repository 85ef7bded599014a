package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionsJsonlTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip() throws Exception {
        Detection d = new Detection("face", 0.93, Box.fromTopLeft(10, 20, 30, 40));
        String line = new ObjectMapper().writeValueAsString(DetectionsJsonl.toJson("a/b.jpg", 640, 480, List.of(d)));
        assertEquals("{\"image\":\"a/b.jpg\",\"width\":640,\"height\":480,\"detections\":"
                + "[{\"label\":\"face\",\"score\":0.93,\"box\":[10.0,20.0,30.0,40.0]}]}", line);
        Path f = Files.writeString(dir.resolve("detections.jsonl"), line + "\n\n" + line + "\n");
        List<DetectionsJsonl.Entry> back = DetectionsJsonl.read(f);
        assertEquals(2, back.size());
        assertEquals(new DetectionsJsonl.Entry("a/b.jpg", 640, 480, List.of(d)), back.get(0));
    }

    @Test
    void errorsNameTheLine() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.jsonl"), "{\"image\":\"a\",\"width\":1,\"height\":1,\"detections\":[]}\n"
                + "{\"image\":\"b\",\"width\":1,\"height\":1,\"detections\":[{\"label\":\"x\",\"score\":2,\"box\":[0,0,1,1]}]}\n");
        String m = assertThrows(AnnotationFormatException.class, () -> DetectionsJsonl.read(f)).getMessage();
        assertTrue(m.contains("bad.jsonl:2: detections[0]: detection score must be within [0, 1]"), m);
    }
}
