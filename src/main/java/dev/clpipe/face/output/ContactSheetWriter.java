package dev.clpipe.face.output;

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

/**
 * Writes {@code clusters.html}: a static contact sheet, one section per cluster (largest
 * first, then the unclustered faces), each face a thumbnail {@code <img>} captioned with its
 * image name and face index. No JavaScript; every file name is HTML-escaped, and relative
 * thumbnail paths are percent-encoded per segment so names with '#', '?', '%' or spaces load.
 */
public final class ContactSheetWriter {
    private ContactSheetWriter() {}

    public static void write(Path file, String title, List<FaceRef> faces, Clustering clustering) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(w, title, faces, clustering);
        }
    }

    public static void write(Writer w, String title, List<FaceRef> faces, Clustering clustering) throws IOException {
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
        order.sort((a, b) -> groups.get(b).size() != groups.get(a).size() ? groups.get(b).size() - groups.get(a).size() : a - b);

        w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html(title) + "</title>\n");
        w.write("<style>body{font-family:sans-serif;margin:1em}section{margin-bottom:1.5em}"
                + "figure{display:inline-block;margin:4px;width:112px;vertical-align:top}"
                + "img{width:112px;height:112px;object-fit:cover;background:#eee}"
                + "figcaption{font-size:10px;overflow-wrap:anywhere}</style></head><body>\n");
        w.write("<h1>" + html(title) + "</h1>\n<p>" + faces.size() + " faces, " + clustering.clusters() + " clusters, "
                + loose.size() + " unclustered.</p>\n");
        for (int c : order) section(w, "cluster-" + c, "Cluster " + c, groups.get(c), faces);
        if (!loose.isEmpty()) section(w, "unclustered", "Unclustered", loose, faces);
        w.write("</body></html>\n");
    }

    private static void section(Writer w, String id, String heading, List<Integer> members, List<FaceRef> faces) throws IOException {
        w.write("<section id=\"" + id + "\"><h2>" + html(heading) + " (" + members.size() + ")</h2>\n");
        for (int i : members) {
            FaceRef f = faces.get(i);
            String caption = f.image() + " #" + f.face();
            w.write("<figure>");
            if (f.thumbnail() != null) {
                w.write("<img src=\"" + html(src(f.thumbnail())) + "\" alt=\"" + html(caption) + "\" loading=\"lazy\">");
            }
            w.write("<figcaption>" + html(caption) + "</figcaption></figure>\n");
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
