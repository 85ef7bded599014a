package dev.clpipe.face.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.face.align.FaceBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** faces.jsonl round trip and the errors that name file and line, for faces.jsonl and boxes CSV. */
class FacesFilesTest {
    @TempDir
    Path temp;

    @Test
    void facesJsonlRoundTripsInTheDocumentedFieldOrder() throws IOException {
        FaceRecord r = new FaceRecord("a/b c.jpg", 2, new double[] {1.234, 5, 6.5, 7}, 0.9, new float[] {0.5f, -0.25f});
        String line = new ObjectMapper().writeValueAsString(FacesJsonl.line(r));
        assertEquals("{\"image\":\"a/b c.jpg\",\"face\":2,\"box\":[1.23,5.0,6.5,7.0],\"score\":0.9,\"embedding\":[0.5,-0.25]}", line);
        Path f = Files.writeString(temp.resolve("faces.jsonl"), line + "\n\n" + line + "\n");
        List<FaceRecord> back = FacesJsonl.read(f);
        assertEquals(2, back.size());
        assertArrayEquals(new float[] {0.5f, -0.25f}, back.get(1).embedding());
        assertEquals("a/b c.jpg", back.get(0).image());
    }

    @Test
    void badFacesLinesNameFileAndLine() throws IOException {
        String ok = "{\"image\":\"x.jpg\",\"face\":0,\"box\":[0,0,1,1],\"score\":1,\"embedding\":[1,2]}";
        Map<String, String> cases = Map.of(
                ok + "\n{\"image\":\"x.jpg\",\"face\":0,\"box\":[0,0,1],\"embedding\":[1,2]}", ":2: field 'box'",
                ok + "\n" + ok.replace("[1,2]", "[1,2,3]"), ":2: embedding has 3 values, earlier lines have 2",
                "{not json", ":1: not a JSON object",
                ok.replace("\"face\":0", "\"face\":-1"), ":1: field 'face'");
        int k = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = Files.writeString(temp.resolve("bad" + k++ + ".jsonl"), c.getKey());
            IOException e = assertThrows(IOException.class, () -> FacesJsonl.read(f));
            assertTrue(e.getMessage().contains(f + c.getValue()), e.getMessage());
        }
    }

    @Test
    void boxesCsvGroupsByImageAndRejectsBadLines() throws IOException {
        Path f = Files.writeString(temp.resolve("boxes.csv"), "image,x,y,w,h,score\na.jpg,1,2,3,4\na.jpg,5,6,7,8,0.5\nb/c.png,0,0,10,10\n");
        Map<String, List<FaceBox>> m = BoxesCsv.read(f);
        assertEquals(2, m.get("a.jpg").size());
        assertEquals(new FaceBox(5, 6, 7, 8, 0.5), m.get("a.jpg").get(1));
        assertEquals(1.0, m.get("b/c.png").get(0).score());
        Path bad = Files.writeString(temp.resolve("bad.csv"), "image,x,y,w,h\na.jpg,1,2,0,4\n");
        IOException e = assertThrows(IOException.class, () -> BoxesCsv.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ":2: face box must have a positive size"), e.getMessage());
        Path header = Files.writeString(temp.resolve("h.csv"), "file,x\n");
        assertTrue(assertThrows(IOException.class, () -> BoxesCsv.read(header)).getMessage().contains(":1: expected the header"));
    }
}
