package dev.clpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages depend downward only (DESIGN.md's table, top to bottom). {@code nn.ops} is its own
 * layer below {@code augment}: it depends on {@code tensor} and {@code cl} only, so the augment
 * kernels can be launched from it like every other kernel. {@code config} (no dependencies) sits
 * below the packages that read YAML; {@code api} (the plug-in API) beside {@code spark};
 * {@code javaop} (Aparapi plug-in ops) beside {@code augment}. Packages on one layer do not
 * import each other. Read from the sources' import lines (same-package use needs no import).
 */
class PackageLayersTest {
    static final List<Set<String>> LAYERS = List.of(
            Set.of("cli"),
            Set.of("spark", "api"),
            Set.of("pipeline"),
            Set.of("bench"),
            Set.of("config"),
            Set.of("style", "face", "detect"),
            Set.of("nn"),
            Set.of("augment", "javaop"),
            Set.of("nn.ops"),
            Set.of("data"),
            Set.of("report"),
            Set.of("tensor"),
            Set.of("cl"));

    /** Upward imports that exist and are to be removed; the test fails when one disappears, so the list only shrinks. */
    static final Set<String> KNOWN = Set.of("report -> data (dev.clpipe.data.AtomicFiles)");

    private static final Path ROOT = Path.of("src", "main", "java", "dev", "clpipe");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.clpipe\\.([a-z]+)(\\.ops)?(?:\\.[a-z][a-zA-Z0-9]*)*\\.([A-Z][A-Za-z0-9]*)", Pattern.MULTILINE);

    @Test
    void packagesDependDownwardOnly() throws IOException {
        Set<String> violations = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = layerName(ROOT.relativize(file));
                int fromLayer = layer(from, file);
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String to = "nn".equals(m.group(1)) && m.group(2) != null ? "nn.ops" : m.group(1);
                    if (to.equals(from)) continue;
                    if (layer(to, file) <= fromLayer) {
                        violations.add(from + " -> " + to + " (" + m.group().replaceFirst("^import (static )?", "") + ")");
                    }
                }
            }
        }
        Set<String> unexpected = new TreeSet<>(violations);
        unexpected.removeAll(KNOWN);
        assertEquals(Set.of(), unexpected, "imports that point up or sideways; layers: " + LAYERS);
        Set<String> gone = new TreeSet<>(KNOWN);
        gone.removeAll(violations);
        assertEquals(Set.of(), gone, "fixed: drop from KNOWN");
    }

    private static String layerName(Path relative) {
        String top = relative.getName(0).toString();
        boolean ops = top.equals("nn") && relative.getNameCount() > 2 && relative.getName(1).toString().equals("ops");
        return ops ? "nn.ops" : relative.getNameCount() == 1 ? "" : top;
    }

    private static int layer(String name, Path file) {
        for (int i = 0; i < LAYERS.size(); i++) if (LAYERS.get(i).contains(name)) return i;
        assertTrue(false, "package " + name + " (" + file + ") has no layer in PackageLayersTest.LAYERS");
        return -1;
    }
}
