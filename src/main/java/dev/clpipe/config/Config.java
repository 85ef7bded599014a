package dev.clpipe.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A resolved config: the merged tree of one pipeline file with its bases and overrides.
 * Stage code reads it through {@link #root()}; the run folder freezes it with {@link #write(Path)}.
 */
public final class Config {

    private final Path file;
    private final ConfigMap tree;
    private final ConfigSection root;

    public Config(Path file, ConfigMap tree) {
        this.file = file;
        this.tree = tree;
        this.root = new ConfigSection(tree, "");
    }

    /** Loads {@code file} with default limits, no overrides. */
    public static Config load(Path file) {
        return new ConfigLoader().load(file);
    }

    /** The file this config was loaded from. */
    public Path file() {
        return file;
    }

    /** The resolved tree (immutable). */
    public ConfigMap tree() {
        return tree;
    }

    /** The root section; the same instance every call, so reads are tracked for unknown-key checks. */
    public ConfigSection root() {
        return root;
    }

    /** A copy with more {@code --set} overrides applied. */
    public Config withSets(List<String> sets) {
        return new Config(file, Overrides.applySets(tree, sets));
    }

    /** A copy with the common flags ({@code input, out, device, seed}) applied. */
    public Config withFlags(Map<String, String> flags) {
        return new Config(file, Overrides.applyFlags(tree, flags));
    }

    /** The resolved config as YAML, keys in source order. */
    public String toYaml() {
        return ConfigWriter.toYaml(tree);
    }

    /** Writes {@link #toYaml()} to {@code target} (e.g. the run folder's {@code config.yaml}). */
    public void write(Path target) {
        try {
            Files.writeString(target, toYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
