package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPathsTest {

    @TempDir
    Path dir;

    @Test
    void resolveInsideAcceptsInnerPaths() {
        assertEquals(dir.resolve("a/b.txt"), ConfigPaths.resolveInside(dir, "a/b.txt"));
        assertEquals(dir.resolve("b.txt"), ConfigPaths.resolveInside(dir, "a/../b.txt"));
        assertEquals(dir.resolve("x"), ConfigPaths.resolveInside(dir, dir.resolve("x").toString()));
    }

    @Test
    void resolveInsideRefusesEscapes() {
        for (String bad : List.of("../x", "../../etc/passwd", "a/../../x", "/etc/passwd")) {
            String msg = assertThrows(ConfigException.class, () -> ConfigPaths.resolveInside(dir, bad)).getMessage();
            assertTrue(msg.contains("path '" + bad + "' escapes the allowed folder " + dir), msg);
        }
    }

    @Test
    void prefixSiblingIsNotInside() {
        assertFalse(ConfigPaths.isInside(dir.resolve("data"), dir.resolve("data-secret/x")));
    }

    @Test
    void symlinkOutIsNotInside() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertFalse(ConfigPaths.isInside(root, root.resolve("link/file.txt")));
        assertThrows(ConfigException.class, () -> ConfigPaths.resolveInside(root, "link/new/file"));
    }

    @Test
    void emptyAndNulPathsAreRefused() {
        assertThrows(ConfigException.class, () -> ConfigPaths.resolveInside(dir, ""));
        String msg = assertThrows(ConfigException.class, () -> ConfigPaths.resolveInside(dir, "a\0b")).getMessage();
        assertTrue(msg.contains("expected a path"), msg);
    }

    @Test
    void resolveRelativeUsesTheYamlFilesFolder() {
        Path yaml = dir.resolve("pipelines/x.yaml");
        assertEquals(dir.resolve("pipelines/data"), ConfigPaths.resolveRelative(yaml, "data"));
        assertEquals(dir.resolve("d"), ConfigPaths.resolveRelative(yaml, "../d"));
        assertEquals(Path.of("/abs/p"), ConfigPaths.resolveRelative(yaml, "/abs/p"));
        assertEquals(Path.of("rel").toAbsolutePath(), ConfigPaths.resolveRelative(Origin.of("--set x=rel"), "rel", "x"));
    }
}
