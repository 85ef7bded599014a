package dev.clpipe.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads a pipeline YAML file: reads it safely, resolves {@code base:} inheritance (one path or
 * a list; later bases win over earlier ones, the file wins over all its bases), then applies
 * the common flags and {@code --set} overrides, in that order.
 *
 * <p>A {@code base:} path is relative to the file that names it and must stay inside that
 * file's folder tree, the top-level file's folder, or one of the configured allowed roots.
 */
public final class ConfigLoader {

    /** Longest chain of bases followed before giving up. */
    static final int MAX_BASE_DEPTH = 32;
    /** Most files read for one load (stops a fan-out of bases that re-include each other many times). */
    static final int MAX_FILES = 256;

    private final YamlReader reader;
    private final List<Path> allowedRoots;

    /** Default limits; bases may come from the top-level file's folder tree only. */
    public ConfigLoader() {
        this(YamlLimits.DEFAULT, List.of());
    }

    /** @param allowedRoots extra folders {@code base:} files may live in (e.g. {@code pipelines/}) */
    public ConfigLoader(YamlLimits limits, List<Path> allowedRoots) {
        this.reader = new YamlReader(limits);
        this.allowedRoots = allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    public Config load(Path file) {
        return load(file, Map.of(), List.of());
    }

    /**
     * @param flags common flags by name without dashes ({@code input, out, device, seed}); null values skipped
     * @param sets  {@code --set} arguments, {@code key.path=value}
     */
    public Config load(Path file, Map<String, String> flags, List<String> sets) {
        List<Path> roots = new ArrayList<>(allowedRoots);
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            roots.add(parent);
        }
        ConfigMap tree = new Resolution(roots).resolve(file);
        tree = Overrides.applyFlags(tree, flags);
        tree = Overrides.applySets(tree, sets);
        return new Config(file, tree);
    }

    /** State of one load: the chain of files being resolved and the number of files read. */
    private final class Resolution {

        private final List<Path> roots;
        private final Deque<Path> chain = new ArrayDeque<>();
        private int files;

        Resolution(List<Path> roots) {
            this.roots = roots;
        }

        ConfigMap resolve(Path file) {
            Path real = realPath(file);
            if (chain.contains(real)) {
                String cycle = chain.stream().map(Path::toString).collect(Collectors.joining(" -> "));
                throw new ConfigException(Origin.ofFile(file), "base", "base files form a cycle: " + cycle + " -> " + real);
            }
            if (chain.size() >= MAX_BASE_DEPTH) {
                throw new ConfigException(Origin.ofFile(file), "base", "more than " + MAX_BASE_DEPTH + " levels of base files");
            }
            if (++files > MAX_FILES) {
                throw new ConfigException(Origin.ofFile(file), "base", "more than " + MAX_FILES + " files read through base:");
            }
            ConfigNode node = reader.read(file);
            if (!(node instanceof ConfigMap map)) {
                throw new ConfigException(node.origin(), "", "expected a map of settings at the top of the file, found "
                        + node.describe());
            }
            if (!map.has("base")) {
                return map;
            }
            chain.addLast(real);
            ConfigMap merged = ConfigMap.empty(map.origin());
            for (ConfigScalar base : baseEntries(map.get("base"))) {
                Path basePath = basePath(file, base, roots);
                merged = ConfigMerger.merge(merged, resolve(basePath));
            }
            chain.removeLast();
            return ConfigMerger.merge(merged, map.without("base"));
        }
    }

    private static List<ConfigScalar> baseEntries(ConfigNode node) {
        List<ConfigNode> items = node instanceof ConfigList l ? l.items() : List.of(node);
        List<ConfigScalar> out = new ArrayList<>();
        for (ConfigNode item : items) {
            if (!(item instanceof ConfigScalar s && s.value() instanceof String)) {
                throw new ConfigException(item.origin(), "base",
                        "expected a file path or a list of file paths, found " + item.describe());
            }
            out.add(s);
        }
        return out;
    }

    private static Path basePath(Path including, ConfigScalar base, List<Path> roots) {
        String value = (String) base.value();
        Path folder = including.getParent() == null ? Path.of("") : including.getParent();
        Path absolute = ConfigPaths.resolveRelative(base.origin(), value, "base");
        List<Path> allowed = new ArrayList<>(roots);
        allowed.add(folder.toAbsolutePath().normalize());
        if (!ConfigPaths.isInsideAny(allowed, absolute)) {
            throw new ConfigException(base.origin(), "base", "base file '" + value
                    + "' is outside the allowed folders " + allowed + "; base files must live beside the pipeline");
        }
        if (!Files.isRegularFile(absolute)) {
            throw new ConfigException(base.origin(), "base", "base file not found: " + absolute);
        }
        // keep the display form relative when the including file was given relatively
        return Path.of(value).isAbsolute() ? absolute : folder.resolve(value).normalize();
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }
}
