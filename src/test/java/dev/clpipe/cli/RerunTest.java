package dev.clpipe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.data.TestDataGenerator;
import dev.clpipe.testing.Schemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clpipe run RUN_DIR} reruns a run from its frozen config.yaml into a new run folder and
 * gives the same outputs; the config.yaml names every default and absolute paths, so it reruns
 * wherever it sits (copied elsewhere too).
 */
class RerunTest {
    @TempDir
    Path temp;

    private static ExitCode clpipe(String... args) {
        return Main.standard(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(args);
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }

    private static Path onlyRunFolder(Path runs, List<Path> except) throws IOException {
        try (Stream<Path> list = Files.list(runs)) {
            List<Path> fresh = list.filter(p -> !except.contains(p)).toList();
            assertEquals(1, fresh.size(), fresh.toString());
            return fresh.get(0);
        }
    }

    @Test
    void aRunFolderRerunsIntoANewFolderWithTheSameOutputs() throws Exception {
        Path exp = Files.createDirectories(temp.resolve("exp"));
        TestDataGenerator.generate(exp.resolve("photos"), 6);
        Path yaml = Files.writeString(exp.resolve("convert.yaml"), """
                name: convert
                input: photos
                out: runs
                batch: 5
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - {type: augment, variants: 2, output_size: [16, 16], ops: {mirror: {horizontal: 0.5}}}
                  - {type: write-images}
                """);
        assertEquals(ExitCode.OK, clpipe("run", yaml.toString(), "--device", "cpu"));
        Path runs = exp.resolve("runs");
        Path first = onlyRunFolder(runs, List.of());
        Schemas.assertRunFolderValid(first);
        String frozen = Files.readString(first.resolve("config.yaml"));
        assertTrue(frozen.contains("input: " + exp.resolve("photos").toAbsolutePath().normalize()), frozen);

        assertEquals(ExitCode.OK, clpipe("run", first.toString()));
        Path second = onlyRunFolder(runs, List.of(first));
        assertNotEquals(first, second);
        Map<String, byte[]> a = files(first.resolve("images")), b = files(second.resolve("images"));
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.size() >= 10, "images written: " + a.size());
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name);
        assertEquals(new java.util.TreeSet<>(Files.readAllLines(first.resolve("skipped.csv"))), new java.util.TreeSet<>(Files.readAllLines(second.resolve("skipped.csv"))),
                "the same files skipped for the same reasons (in the order the workers finished)");
        JsonNode run = new ObjectMapper().readTree(second.resolve("run.json").toFile());
        assertEquals(first.toAbsolutePath().normalize().toString(), run.get("rerun_of").asText());
        assertEquals(frozen, Files.readString(second.resolve("config.yaml")), "a rerun freezes the same config");

        Path copy = Files.createDirectories(temp.resolve("elsewhere")).resolve("config.yaml");
        Files.copy(first.resolve("config.yaml"), copy);
        assertEquals(ExitCode.OK, clpipe("validate", copy.toString()), "the frozen config plans from any folder");
    }
}
