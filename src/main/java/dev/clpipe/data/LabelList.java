package dev.clpipe.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A label list as a {@link LabelledFolder}: CSV rows {@code file,label} (an optional header row
 * {@code file,label}) or JSONL objects {@code {"file": ..., "label": ...}}; files are relative to
 * {@code imagesRoot}. Classes are the distinct labels, sorted (numerically when all are integers).
 * Files the list names but that do not exist stop the run: an IOException naming the first few
 * with their line numbers.
 */
public final class LabelList {
    private static final int NAMED_MISSING = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelList() {}

    private record Row(int line, String file, String label) {}

    public static LabelledFolder read(Path list, Path imagesRoot) throws IOException {
        List<Row> rows = list.getFileName().toString().toLowerCase().endsWith(".jsonl") ? jsonl(list) : csv(list);
        if (rows.isEmpty()) throw new IOException(list + ": the label list has no rows (expected file,label per line)");
        TreeSet<String> distinct = new TreeSet<>();
        rows.forEach(r -> distinct.add(r.label()));
        List<String> classes = new ArrayList<>(distinct);
        if (classes.stream().allMatch(c -> c.matches("-?\\d{1,9}"))) classes.sort(Comparator.comparingInt(Integer::parseInt));
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
        List<LabelledFolder.Entry> entries = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int missingCount = 0;
        for (Row r : rows) {
            Path file = imagesRoot.resolve(r.file()).normalize();
            if (!Files.isRegularFile(file)) {
                if (missingCount++ < NAMED_MISSING) missing.add(r.file() + " (line " + r.line() + ")");
                continue;
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            entries.add(new LabelledFolder.Entry(r.file().replace('\\', '/'), file, index.get(r.label()), a.size(), a.lastModifiedTime().toMillis()));
        }
        if (missingCount > 0) {
            throw new IOException(list + " names " + missingCount + " file(s) missing under " + imagesRoot + ": " + String.join(", ", missing)
                    + (missingCount > NAMED_MISSING ? ", ..." : ""));
        }
        return new LabelledFolder(imagesRoot, classes, entries, List.of());
    }

    private static List<Row> csv(Path list) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                List<String> f = Csv.parse(line.strip());
                if (n == 1 && f.get(0).equalsIgnoreCase("file")) continue;
                if (f.size() != 2 || f.get(0).isBlank() || f.get(1).isBlank()) {
                    throw new IOException(list + ":" + n + ": expected file,label, found \"" + line + "\"");
                }
                rows.add(new Row(n, f.get(0).strip(), f.get(1).strip()));
            }
        }
        return rows;
    }

    private static List<Row> jsonl(Path list) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode o;
            try {
                o = JSON.readTree(lines.get(i));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException(list + ":" + (i + 1) + ": not a JSON object: " + e.getOriginalMessage());
            }
            if (o == null || !o.hasNonNull("file") || !o.hasNonNull("label")) {
                throw new IOException(list + ":" + (i + 1) + ": expected {\"file\": ..., \"label\": ...}");
            }
            rows.add(new Row(i + 1, o.get("file").asText(), o.get("label").asText()));
        }
        return rows;
    }
}
