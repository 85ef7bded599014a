package dev.clpipe.face.output;

import dev.clpipe.face.cluster.Clustering;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code clusters.csv}: header {@code image,face,cluster}, one row per face, cluster
 * -1 for unclustered. Fields are quoted per RFC 4180 when they hold a comma, quote, CR or LF
 * (or leading/trailing spaces), with quotes doubled; lines end in CRLF as RFC 4180 says.
 */
public final class ClustersCsvWriter {
    private ClustersCsvWriter() {}

    public static void write(Path file, List<FaceRef> faces, Clustering clustering) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(w, faces, clustering);
        }
    }

    public static void write(Writer w, List<FaceRef> faces, Clustering clustering) throws IOException {
        if (faces.size() != clustering.size()) {
            throw new IllegalArgumentException(faces.size() + " faces but " + clustering.size() + " cluster labels");
        }
        w.write("image,face,cluster\r\n");
        for (int i = 0; i < faces.size(); i++) {
            FaceRef f = faces.get(i);
            w.write(escape(f.image()));
            w.write(',');
            w.write(Integer.toString(f.face()));
            w.write(',');
            w.write(Integer.toString(clustering.label(i)));
            w.write("\r\n");
        }
    }

    /** RFC 4180 field escaping. */
    public static String escape(String field) {
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0 || (!field.isEmpty() && (field.charAt(0) == ' ' || field.charAt(field.length() - 1) == ' '));
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
