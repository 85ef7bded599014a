package dev.clpipe.face.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.cluster.Clustering;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactSheetWriterTest {
    private static String sheet(List<FaceRef> faces, Clustering c) throws Exception {
        StringWriter w = new StringWriter();
        ContactSheetWriter.write(w, "Party <2026>", faces, c);
        return w.toString();
    }

    @Test
    void everyFileNameIsEscapedAndNoScriptSurvives() throws Exception {
        String evil = "<script>alert('x')</script>&\".jpg";
        String html = sheet(List.of(new FaceRef(evil, 0, "thumbs/" + evil)), new Clustering(new int[] {0}, 1));
        assertFalse(html.contains("<script"), html);
        assertFalse(html.toLowerCase().contains("javascript"), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;.jpg #0"), html);
        assertTrue(html.contains("<title>Party &lt;2026&gt;</title>"), html);
    }

    @Test
    void relativePathsArePercentEncodedAndDataUrisPassThrough() throws Exception {
        String uri = ContactSheetWriter.dataUri(new byte[] {1, 2, 3}, "image/png");
        assertEquals("data:image/png;base64,AQID", uri);
        String html = sheet(List.of(new FaceRef("a#1 b?.jpg", 0, "t/a#1 b?%.jpg"), new FaceRef("c.jpg", 0, uri)),
                new Clustering(new int[] {0, 0}, 1));
        assertTrue(html.contains("src=\"t/a%231%20b%3F%25.jpg\""), html);
        assertTrue(html.contains("src=\"data:image/png;base64,AQID\""), html);
    }

    @Test
    void sectionsGoLargestFirstWithUnclusteredLast() throws Exception {
        List<FaceRef> faces = List.of(new FaceRef("a", 0, "a.jpg"), new FaceRef("b", 0, "b.jpg"), new FaceRef("c", 0, "c.jpg"),
                new FaceRef("d", 0, "d.jpg"));
        String html = sheet(faces, new Clustering(new int[] {0, 1, 1, -1}, 2));
        int c1 = html.indexOf("id=\"cluster-1\"");
        int c0 = html.indexOf("id=\"cluster-0\"");
        int loose = html.indexOf("id=\"unclustered\"");
        assertTrue(c1 > 0 && c1 < c0 && c0 < loose, html);
        assertTrue(html.contains("Cluster 1 (2)"));
        assertTrue(html.contains("4 faces, 2 clusters, 1 unclustered."));
    }
}
