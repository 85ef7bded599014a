package dev.clpipe.face.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.face.cluster.Clustering;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClustersCsvWriterTest {
    @Test
    void writesHeaderRowsAndMinusOneForUnclustered(@TempDir Path dir) throws Exception {
        List<FaceRef> faces = List.of(new FaceRef("a.jpg", 0, null), new FaceRef("a.jpg", 1, null), new FaceRef("sub/b.png", 0, null));
        Path out = dir.resolve("clusters.csv");
        ClustersCsvWriter.write(out, faces, new Clustering(new int[] {0, -1, 0}, 1));
        assertEquals("image,face,cluster\r\na.jpg,0,0\r\na.jpg,1,-1\r\nsub/b.png,0,0\r\n", Files.readString(out));
    }

    @Test
    void escapesCommasQuotesNewlinesAndEdgeSpaces() throws Exception {
        StringWriter w = new StringWriter();
        List<FaceRef> faces = List.of(new FaceRef("x,y.jpg", 0, null), new FaceRef("say \"hi\".jpg", 2, null),
                new FaceRef("two\nlines.jpg", 0, null), new FaceRef(" pad.jpg", 0, null));
        ClustersCsvWriter.write(w, faces, new Clustering(new int[] {0, 1, 1, 0}, 2));
        assertEquals("image,face,cluster\r\n\"x,y.jpg\",0,0\r\n\"say \"\"hi\"\".jpg\",2,1\r\n\"two\nlines.jpg\",0,1\r\n\" pad.jpg\",0,0\r\n",
                w.toString());
    }

    @Test
    void refusesMismatchedCounts() {
        assertThrows(IllegalArgumentException.class,
                () -> ClustersCsvWriter.write(new StringWriter(), List.of(new FaceRef("a", 0, null)), new Clustering(new int[] {0, 0}, 1)));
    }
}
