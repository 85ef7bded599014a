package dev.clpipe.face.io;

import dev.clpipe.face.align.FaceBox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Given face boxes, one per line: header {@code image,x,y,w,h[,score]}, image = path relative to
 * the input folder with '/' separators, box in pixels (top-left origin). Bad lines are errors
 * naming file and line. No quoting: image paths with commas are refused.
 */
public final class BoxesCsv {
    private BoxesCsv() {}

    public static Map<String, List<FaceBox>> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().toLowerCase(java.util.Locale.ROOT).startsWith("image,x,y,w,h")) {
            throw new IOException(file + ":1: expected the header image,x,y,w,h[,score]");
        }
        Map<String, List<FaceBox>> out = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] f = dev.clpipe.data.Csv.parse(line).toArray(String[]::new); // quoted image names may hold commas
            if (f.length != 5 && f.length != 6) throw new IOException(file + ":" + (i + 1) + ": expected 5 or 6 fields, found " + f.length);
            try {
                double score = f.length == 6 ? Double.parseDouble(f[5]) : 1;
                FaceBox b = new FaceBox(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]), score);
                out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(b);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
