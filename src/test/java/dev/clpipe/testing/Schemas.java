package dev.clpipe.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks clpipe's public JSON outputs against the JSON Schemas in {@code docs/schemas/} (draft
 * 2020-12, networknt validator): tests that already make a run folder or bench rows call these.
 */
public final class Schemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FOLDER = Path.of("docs", "schemas");
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    private Schemas() {}

    /** The problems of {@code json} against {@code docs/schemas/NAME.schema.json}; empty when it conforms. */
    public static List<String> problems(String name, JsonNode json) {
        Schema schema = LOADED.computeIfAbsent(name, Schemas::load);
        return schema.validate(json).stream().map(Error::toString).toList();
    }

    /** Fails with every problem listed when {@code json} does not conform to schema {@code name}. */
    public static void assertValid(String name, JsonNode json) {
        List<String> problems = problems(name, json);
        if (!problems.isEmpty()) throw new AssertionError(name + ".schema.json: " + problems + "\nin " + json.toPrettyString());
    }

    /** Checks a JSON file against schema {@code name}. */
    public static void assertValid(String name, Path file) {
        try {
            assertValid(name, JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks a run folder's metrics.json and run.json. */
    public static void assertRunFolderValid(Path runFolder) {
        assertValid("metrics", runFolder.resolve("metrics.json"));
        assertValid("run", runFolder.resolve("run.json"));
    }

    private static Schema load(String name) {
        Path file = FOLDER.resolve(name + ".schema.json");
        try {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
