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

    /**
     * Cluster 0: faces at x = 0, 0.1, 0.2 and 1.0 (centre 0.325: distances 0.325, 0.225, 0.125, 0.675; median
     * 0.275, MAD 0.1, so 0.675 > 0.575 is an outlier); cluster 1: 3.0, 3.1 (centre 3.05, cohesion 0.05);
     * cluster 2: 3.3 (centre 0.25 from cluster 1's: merge? at threshold 0.34). Loosest first: 0, then 1 and 2.
     */
    @Test
    void triageShowsScoresDistancesOutliersMergesAndPhotoLinks() throws Exception {
        dev.clpipe.face.search.Embeddings e = dev.clpipe.face.search.Embeddings.of(new float[] {0}, new float[] {0.1f}, new float[] {0.2f},
                new float[] {1.0f}, new float[] {3.0f}, new float[] {3.1f}, new float[] {3.3f});
        Clustering c = new Clustering(new int[] {0, 0, 0, 0, 1, 1, 2}, 3);
        dev.clpipe.face.cluster.ClusterTriage t = dev.clpipe.face.cluster.ClusterTriage.of(e, c, 0.34, dev.clpipe.face.search.KnnSearch.defaults());
        assertEquals(0.325, t.centreDistance(0), 1e-6);
        assertTrue(t.outlier(3) && !t.outlier(0) && !t.outlier(1) && !t.outlier(2), "x = 1.0 is the outlier");
        assertEquals(0.05, t.cohesion(1), 1e-6);
        assertEquals(2, t.nearestCluster(1));
        assertTrue(t.suggestMerge(2) && !t.suggestMerge(0), "3.3 vs centre 3.05");
        List<FaceRef> faces = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) faces.add(new FaceRef("p" + i + ".jpg", 0, "t" + i + ".jpg", 0.5 + i / 20.0, "../photos/p<" + i + "> #.jpg"));
        StringWriter w = new StringWriter();
        ContactSheetWriter.write(w, "t", faces, c, t);
        String html = w.toString();
        assertTrue(html.indexOf("id=\"cluster-0\"") < html.indexOf("id=\"cluster-1\""), "loosest first");
        assertTrue(html.contains("<figure class=\"outlier\"><img src=\"t3.jpg\""), html);
        assertTrue(html.contains("s 0.65 d 0.675 outlier"), html);
        assertTrue(html.contains("nearest <a href=\"#cluster-2\">cluster 2</a> at 0.250 <span class=\"merge\">merge?</span>"), html);
        assertTrue(html.contains("<a href=\"../photos/p%3C0%3E%20%23.jpg\">p0.jpg #0</a>"), html);
        assertFalse(html.contains("<script"), html);
    }
}
