package dev.clpipe.face.output;

import dev.clpipe.face.cluster.ClusterTriage;
import dev.clpipe.face.cluster.Clustering;
import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code clusters.html}: a static contact sheet, one section per cluster, then the
 * unclustered faces; each face a thumbnail {@code <img>} captioned with its image name and face
 * index. With a {@link ClusterTriage} the sheet is for checking: clusters loosest first (mean
 * distance to the centre, the suspicious ones on top), each headed by its cohesion and its nearest
 * cluster (a link, marked "merge?" when the centres are closer than the threshold); each face
 * shows its detection score and distance to the centre, outliers are outlined in red and
 * listed, and the caption links to the source photo. Without one: largest cluster first.
 * No JavaScript; every file name is HTML-escaped, and relative paths are percent-encoded per
 * segment so names with '#', '?', '%' or spaces load.
 */
public final class ContactSheetWriter {
    private ContactSheetWriter() {}

    public static void write(Path file, String title, List<FaceRef> faces, Clustering clustering) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(w, title, faces, clustering);
        }
    }

    public static void write(Writer w, String title, List<FaceRef> faces, Clustering clustering) throws IOException {
        write(w, title, faces, clustering, null);
    }

    public static void write(Path file, String title, List<FaceRef> faces, Clustering clustering, ClusterTriage triage) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(w, title, faces, clustering, triage);
        }
    }

    public static void write(Writer w, String title, List<FaceRef> faces, Clustering clustering, ClusterTriage triage) throws IOException {
        if (faces.size() != clustering.size()) {
            throw new IllegalArgumentException(faces.size() + " faces but " + clustering.size() + " cluster labels");
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int c = 0; c < clustering.clusters(); c++) groups.add(new ArrayList<>());
        List<Integer> loose = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            int l = clustering.label(i);
            (l < 0 ? loose : groups.get(l)).add(i);
        }
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < groups.size(); c++) order.add(c);
        if (triage == null) order.sort((a, b) -> groups.get(b).size() != groups.get(a).size() ? groups.get(b).size() - groups.get(a).size() : a - b);
        else order.sort((a, b) -> triage.cohesion(a) != triage.cohesion(b) ? Double.compare(triage.cohesion(b), triage.cohesion(a)) : a - b);

        w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html(title) + "</title>\n");
        w.write("<style>body{font-family:sans-serif;margin:1em}section{margin-bottom:1.5em}"
                + "figure{display:inline-block;margin:4px;width:112px;vertical-align:top}"
                + "img{width:112px;height:112px;object-fit:cover;background:#eee}"
                + "figcaption{font-size:10px;overflow-wrap:anywhere}figure.outlier img{outline:3px solid #d00}"
                + ".merge{color:#a60;font-weight:bold}.outlier-note{color:#d00}</style></head><body>\n");
        w.write("<h1>" + html(title) + "</h1>\n<p>" + faces.size() + " faces, " + clustering.clusters() + " clusters, "
                + loose.size() + " unclustered." + (triage == null ? "" : " Clusters loosest first (mean distance to the centre);"
                + " red outline = outlier; d = distance to the cluster centre, s = detection score.") + "</p>\n");
        for (int c : order) section(w, c, groups.get(c), faces, triage);
        if (!loose.isEmpty()) section(w, -1, loose, faces, null);
        w.write("</body></html>\n");
    }

    private static void section(Writer w, int cluster, List<Integer> members, List<FaceRef> faces, ClusterTriage triage) throws IOException {
        String id = cluster < 0 ? "unclustered" : "cluster-" + cluster;
        w.write("<section id=\"" + id + "\"><h2>" + (cluster < 0 ? "Unclustered" : "Cluster " + cluster) + " (" + members.size() + ")</h2>\n");
        if (triage != null) {
            StringBuilder p = new StringBuilder(String.format(Locale.ROOT, "<p>cohesion %.3f", triage.cohesion(cluster)));
            int near = triage.nearestCluster(cluster);
            if (near >= 0) {
                p.append(String.format(Locale.ROOT, "; nearest <a href=\"#cluster-%d\">cluster %d</a> at %.3f", near, near, triage.nearestDistance(cluster)));
                if (triage.suggestMerge(cluster)) p.append(" <span class=\"merge\">merge?</span>");
            }
            long outliers = members.stream().filter(triage::outlier).count();
            if (outliers > 0) p.append("; <span class=\"outlier-note\">").append(outliers).append(" outlier(s)</span>");
            w.write(p.append("</p>\n").toString());
        }
        for (int i : members) {
            FaceRef f = faces.get(i);
            String caption = f.image() + " #" + f.face();
            boolean out = triage != null && triage.outlier(i);
            w.write(out ? "<figure class=\"outlier\">" : "<figure>");
            if (f.thumbnail() != null) {
                w.write("<img src=\"" + html(src(f.thumbnail())) + "\" alt=\"" + html(caption) + "\" loading=\"lazy\">");
            }
            String text = f.photo() == null ? html(caption) : "<a href=\"" + html(src(f.photo())) + "\">" + html(caption) + "</a>";
            StringBuilder facts = new StringBuilder();
            if (!Double.isNaN(f.score())) facts.append(String.format(Locale.ROOT, "s %.2f", f.score()));
            if (triage != null && !Double.isNaN(triage.centreDistance(i))) {
                facts.append(facts.length() > 0 ? " " : "").append(String.format(Locale.ROOT, "d %.3f", triage.centreDistance(i)));
            }
            if (out) facts.append(" outlier");
            w.write("<figcaption>" + text + (facts.length() > 0 ? "<br>" + facts : "") + "</figcaption></figure>\n");
        }
        w.write("</section>\n");
    }

    /** A data URI for an image's bytes, e.g. {@code dataUri(jpegBytes, "image/jpeg")}. */
    public static String dataUri(byte[] bytes, String mime) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Data URIs pass through; relative paths are percent-encoded segment by segment ('/' kept). */
    static String src(String thumbnail) {
        if (thumbnail.startsWith("data:")) return thumbnail;
        String[] parts = thumbnail.replace('\\', '/').split("/", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append('/');
            b.append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }
}
