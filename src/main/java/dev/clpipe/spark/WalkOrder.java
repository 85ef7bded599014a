package dev.clpipe.spark;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Numbers the input files in the order {@code clpipe run} walks a folder (depth first, names
 * sorted within each folder), so item indices, and so counter-based randomness, match the
 * one-machine run. Built on the driver from the file listing Spark already holds there.
 */
final class WalkOrder {
    /** Compares relative paths folder level by folder level, as the walker's sorted listings do. */
    static final Comparator<String> ORDER = (a, b) -> {
        String[] x = a.split("/");
        String[] y = b.split("/");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].compareTo(y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    };

    private WalkOrder() {}

    /**
     * @param files      the qualified URIs Spark listed ({@code Dataset.inputFiles()})
     * @param rootPrefix the qualified input folder followed by '/'
     * @return relative path → index, for the files the one-machine source would read
     */
    static Map<String, Long> index(String[] files, String rootPrefix, BinaryFileInput input) {
        List<String> relative = new ArrayList<>();
        for (String uri : files) {
            String path = new org.apache.hadoop.fs.Path(URI.create(uri)).toString();
            if (!path.startsWith(rootPrefix)) continue;
            String rel = path.substring(rootPrefix.length());
            if (wanted(rel, input.extensions())) relative.add(rel);
        }
        relative.sort(ORDER);
        Map<String, Long> index = new HashMap<>(relative.size() * 2);
        for (int i = 0; i < relative.size(); i++) index.put(relative.get(i), (long) i);
        return index;
    }

    private static boolean wanted(String rel, List<String> extensions) {
        for (String part : rel.split("/")) if (part.startsWith(".")) return false;
        int dot = rel.lastIndexOf('.');
        return dot > rel.lastIndexOf('/') + 1 && extensions.contains(rel.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
