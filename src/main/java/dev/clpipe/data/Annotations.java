package dev.clpipe.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Readers for the small annotation files shipped with the sample datasets (see datasets/README.md). */
public final class Annotations {
    private Annotations() {
    }

    /**
     * A darknet-style class-name list ({@code coco.names}, {@code voc.names}): one name per line,
     * class index = line number from 0. Surrounding blanks and trailing empty lines are dropped;
     * an empty line in the middle is an error naming the file and line. Names may repeat
     * (darknet's {@code 9k.names} has WordNet homonyms such as two "crane"s).
     */
    public static List<String> readClassNames(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        List<String> names = new ArrayList<>(end);
        for (int i = 0; i < end; i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty()) {
                throw new IOException(file + ":" + (i + 1) + ": empty class name");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IOException(file + ": no class names");
        }
        return List.copyOf(names);
    }

    /**
     * ViSP's face ground truth ({@code ground_truth_detection.txt} next to the Solvay photo): for
     * each box a {@code detection_N} line, then four corner lines {@code row col}. Returns the
     * boxes in file order, in pixels (x = column, y = row).
     */
    public static List<Box> readVispDetections(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        List<Box> boxes = new ArrayList<>();
        double[] corners = null;
        int filled = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("detection_")) {
                if (corners != null) {
                    throw new IOException(file + ":" + (i + 1) + ": previous detection has " + filled / 2
                            + " corners, expected 4");
                }
                corners = new double[8];
                filled = 0;
                continue;
            }
            String[] parts = line.split("\\s+");
            if (corners == null || parts.length != 2) {
                throw new IOException(file + ":" + (i + 1) + ": expected 'detection_N' or 'row col', found '"
                        + line + "'");
            }
            try {
                corners[filled++] = Double.parseDouble(parts[1]); // x = column
                corners[filled++] = Double.parseDouble(parts[0]); // y = row
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a number in '" + line + "'");
            }
            if (filled == 8) {
                boxes.add(Box.around(corners));
                corners = null;
            }
        }
        if (corners != null) {
            throw new IOException(file + ": last detection has " + filled / 2 + " corners, expected 4");
        }
        return List.copyOf(boxes);
    }
}
