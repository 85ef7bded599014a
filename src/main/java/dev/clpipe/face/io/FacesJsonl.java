package dev.clpipe.face.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public {@code faces.jsonl} format (DESIGN.md): one JSON object per face,
 * {@code {"image": …, "face": i, "box": [x,y,w,h], "score": s, "embedding": [128 floats]}}.
 * Reading checks every field and names file and line on a bad one.
 */
public final class FacesJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FacesJsonl() {}

    /** The JSON object of one face, fields in the documented order. */
    public static Map<String, Object> line(FaceRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", r.image());
        m.put("face", r.face());
        m.put("box", new double[] {round(r.box()[0]), round(r.box()[1]), round(r.box()[2]), round(r.box()[3])});
        m.put("score", r.score());
        m.put("embedding", r.embedding());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    public static List<FaceRecord> read(Path file) throws IOException {
        List<FaceRecord> out = new ArrayList<>();
        int[] dim = {-1};
        forEachLine(file, (n, where) -> {
            FaceRecord r = parse(n, where);
            if (dim[0] < 0) dim[0] = r.embedding().length;
            if (r.embedding().length != dim[0]) {
                throw new IOException(where + ": embedding has " + r.embedding().length + " values, earlier lines have " + dim[0]);
            }
            out.add(r);
        });
        return out;
    }

    /** One parsed line of a JSONL file and where it is ("file:line"). */
    interface Line {
        void accept(JsonNode node, String where) throws IOException;
    }

    /** Parses each non-blank line of a JSONL file; a line that is not JSON is refused naming file and line. */
    static void forEachLine(Path file, Line line) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int lineNo = 0;
            while ((text = in.readLine()) != null) {
                lineNo++;
                if (text.isBlank()) continue;
                String where = file + ":" + lineNo;
                JsonNode n;
                try {
                    n = JSON.readTree(text);
                } catch (IOException e) {
                    throw new IOException(where + ": not a JSON object: " + e.getMessage());
                }
                line.accept(n, where);
            }
        }
    }

    private static FaceRecord parse(JsonNode n, String where) throws IOException {
        if (!n.isObject()) throw new IOException(where + ": expected a JSON object");
        JsonNode image = n.get("image"), face = n.get("face"), box = n.get("box"), score = n.get("score"), emb = n.get("embedding");
        if (image == null || !image.isTextual()) throw new IOException(where + ": field 'image' must be a string");
        if (face == null || !face.canConvertToInt() || face.asInt() < 0) throw new IOException(where + ": field 'face' must be an integer >= 0");
        if (box == null || !box.isArray() || box.size() != 4) throw new IOException(where + ": field 'box' must be [x, y, w, h]");
        if (emb == null || !emb.isArray() || emb.size() == 0) throw new IOException(where + ": field 'embedding' must be a non-empty array");
        double[] b = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!box.get(i).isNumber()) throw new IOException(where + ": box[" + i + "] is not a number");
            b[i] = box.get(i).asDouble();
        }
        float[] e = new float[emb.size()];
        for (int i = 0; i < e.length; i++) {
            if (!emb.get(i).isNumber()) throw new IOException(where + ": embedding[" + i + "] is not a number");
            e[i] = (float) emb.get(i).asDouble();
            if (!Float.isFinite(e[i])) throw new IOException(where + ": embedding[" + i + "] is not finite");
        }
        double s = score == null || !score.isNumber() ? 1 : score.asDouble();
        return new FaceRecord(image.asText(), face.asInt(), b, s, e);
    }
}
