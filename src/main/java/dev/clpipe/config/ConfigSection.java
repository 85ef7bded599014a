package dev.clpipe.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Typed, tracked reading of one config map. Stage code reads its keys with defaults, then calls
 * {@link #rejectUnknownKeys()}, which refuses every key that was never asked for (with a
 * "did you mean" hint). A {@code null} value counts as absent, so {@code --set train.lr=} resets
 * a key to its default. Every error names file:line:col, the key path, the expectation and the
 * value found. Not thread-safe: read a config from one thread.
 *
 * <pre>{@code
 * ConfigSection train = root.section("train");
 * int epochs = train.describe("epochs", "passes over the training set").intIn("epochs", 1, 100_000, 10);
 * double lr = train.positiveDouble("lr", 0.01);
 * String optimizer = train.choice("optimizer", List.of("sgd", "adam"), "sgd");
 * train.rejectUnknownKeys();
 * }</pre>
 */
public final class ConfigSection {

    private final ConfigMap map;
    private final String keyPath;
    private final KeyTracker tracker = new KeyTracker();
    private final List<ConfigSection> children = new ArrayList<>();
    private final ValueReader values = new ValueReader(this);
    /** Sections handed out, by key, so that reading a section twice shares one tracker. */
    private final Map<String, ConfigSection> sections = new HashMap<>();
    private final Map<String, List<ConfigSection>> sectionLists = new HashMap<>();

    /** A section over {@code map}; {@code keyPath} is its dotted path ("" for the root). */
    public ConfigSection(ConfigMap map, String keyPath) {
        this.map = map;
        this.keyPath = keyPath;
    }

    // ---- where --------------------------------------------------------------------------

    /** Dotted path of this section, e.g. {@code stages[train]}; "" for the root. */
    public String keyPath() {
        return keyPath;
    }

    /** Dotted path of {@code key} inside this section. */
    public String keyPath(String key) {
        return keyPath.isEmpty() ? key : keyPath + "." + key;
    }

    public Origin origin() {
        return map.origin();
    }

    /** Where {@code key}'s value was written (the section's origin when absent). */
    public Origin originOf(String key) {
        ConfigNode n = map.get(key);
        return n != null ? n.origin() : map.origin();
    }

    public ConfigMap node() {
        return map;
    }

    public Set<String> keys() {
        return map.keys();
    }

    /** True when {@code key} is present with a non-null value. Does not mark it read. */
    public boolean has(String key) {
        ConfigNode n = map.get(key);
        return n != null && !(n instanceof ConfigScalar s && s.isNull());
    }

    /** Marks {@code key} as known without reading it (e.g. a key handled elsewhere). */
    public ConfigSection accept(String... keys) {
        Arrays.stream(keys).forEach(tracker::accept);
        return this;
    }

    /** Attaches a description to {@code key}; shown in {@link #documentation()} and in errors. */
    public ConfigSection describe(String key, String description) {
        tracker.describe(key, description);
        return this;
    }

    /** An error located at {@code key} (its value, or the section when absent), for checks stage code makes itself. */
    public ConfigException error(String key, String message) {
        return new ConfigException(originOf(key), keyPath(key), message);
    }

    /**
     * Runs {@code factory} (typically a record constructor that validates its fields) and turns an
     * {@link IllegalArgumentException} it throws into a ConfigException located at this section.
     */
    public <T> T create(Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(map.origin(), keyPath, String.valueOf(e.getMessage()));
        }
    }

    // ---- nested sections ------------------------------------------------------------------

    /** The map at {@code key}; an empty section (all defaults) when absent. */
    public ConfigSection section(String key) {
        return optionalSection(key).orElseGet(() -> sections.computeIfAbsent(key,
                k -> child(ConfigMap.empty(originOf(k)), keyPath(k))));
    }

    public Optional<ConfigSection> optionalSection(String key) {
        record(key, "a map", "{}");
        ConfigNode n = value(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!(n instanceof ConfigMap m)) {
            throw wrong(key, "a map of settings", n);
        }
        return Optional.of(sections.computeIfAbsent(key, k -> child(m, keyPath(k))));
    }

    /** The list of maps at {@code key} (e.g. stages); item paths use their {@code id}: {@code stages[train]}. */
    public List<ConfigSection> sectionList(String key) {
        List<ConfigSection> known = sectionLists.get(key);
        if (known != null) {
            return known;
        }
        record(key, "a list of maps", "[]");
        ConfigNode n = value(key);
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof ConfigList list)) {
            throw wrong(key, "a list of maps", n);
        }
        List<ConfigSection> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigNode item = list.get(i);
            String id = Overrides.idOf(item);
            String itemPath = keyPath(key) + "[" + (id != null ? id : String.valueOf(i)) + "]";
            if (!(item instanceof ConfigMap m)) {
                throw new ConfigException(item.origin(), itemPath, "expected a map of settings, found " + item.describe());
            }
            out.add(child(m, itemPath));
        }
        sectionLists.put(key, List.copyOf(out));
        return sectionLists.get(key);
    }

    // ---- strings and choices ---------------------------------------------------------------

    public String string(String key) {
        return readString(key, null);
    }

    public String string(String key, String defaultValue) {
        return readString(key, defaultValue);
    }

    public Optional<String> optionalString(String key) {
        return Optional.ofNullable(readString(key, null, false));
    }

    /** One of {@code choices}, e.g. {@code choice("optimizer", List.of("sgd", "adam"), "sgd")}. */
    public String choice(String key, List<String> choices, String defaultValue) {
        String expected = "one of " + String.join(", ", choices);
        record(key, expected, defaultValue);
        ConfigNode n = value(key);
        if (n == null) {
            return require(key, expected, defaultValue);
        }
        String s = scalarText(key, expected, n);
        if (!choices.contains(s)) {
            throw new ConfigException(n.origin(), keyPath(key), "expected " + expected(key, expected) + ", found "
                    + n.describe() + Suggestions.hint(s, choices));
        }
        return s;
    }

    public String choice(String key, List<String> choices) {
        return choice(key, choices, null);
    }

    /** An enum constant, written in lower case in YAML ({@code ADAM} is written {@code adam}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Function<E, String> name = e -> e.name().toLowerCase(Locale.ROOT);
        List<String> names = Arrays.stream(type.getEnumConstants()).map(name).toList();
        String s = choice(key, names, defaultValue == null ? null : name.apply(defaultValue));
        return type.getEnumConstants()[names.indexOf(s)];
    }

    // ---- numbers and booleans (see ValueReader) -----------------------------------------------

    public int integer(String key) {
        return values.intIn(key, Integer.MIN_VALUE, Integer.MAX_VALUE, null);
    }

    public int integer(String key, int defaultValue) {
        return values.intIn(key, Integer.MIN_VALUE, Integer.MAX_VALUE, defaultValue);
    }

    public int intIn(String key, int min, int max) {
        return values.intIn(key, min, max, null);
    }

    public int intIn(String key, int min, int max, int defaultValue) {
        return values.intIn(key, min, max, defaultValue);
    }

    public OptionalInt optionalInt(String key) {
        return has(key) ? OptionalInt.of(integer(key)) : absentInt(key);
    }

    public long longValue(String key) {
        return values.longValue(key, null);
    }

    public long longValue(String key, long defaultValue) {
        return values.longValue(key, defaultValue);
    }

    public double number(String key) {
        return values.doubleIn(key, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, null);
    }

    public double number(String key, double defaultValue) {
        return values.doubleIn(key, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, defaultValue);
    }

    public double doubleIn(String key, double min, double max) {
        return values.doubleIn(key, min, max, false, null);
    }

    public double doubleIn(String key, double min, double max, double defaultValue) {
        return values.doubleIn(key, min, max, false, defaultValue);
    }

    /** A finite number greater than zero. */
    public double positiveDouble(String key) {
        return values.doubleIn(key, 0, Double.MAX_VALUE, true, null);
    }

    public double positiveDouble(String key, double defaultValue) {
        return values.doubleIn(key, 0, Double.MAX_VALUE, true, defaultValue);
    }

    public OptionalDouble optionalDouble(String key) {
        if (has(key)) {
            return OptionalDouble.of(number(key));
        }
        record(key, "a number", "none");
        return OptionalDouble.empty();
    }

    public boolean bool(String key) {
        return values.bool(key, null);
    }

    public boolean bool(String key, boolean defaultValue) {
        return values.bool(key, defaultValue);
    }

    // ---- lists ------------------------------------------------------------------------------

    public List<Double> doubleList(String key) {
        return doubleList(key, null);
    }

    public List<Double> doubleList(String key, List<Double> defaultValue) {
        return values.list(key, "a list of numbers", defaultValue, ValueReader::numberItem);
    }

    public List<Integer> intList(String key) {
        return intList(key, null);
    }

    public List<Integer> intList(String key, List<Integer> defaultValue) {
        return values.list(key, "a list of integers", defaultValue, ValueReader::intItem);
    }

    public List<String> stringList(String key) {
        return stringList(key, null);
    }

    public List<String> stringList(String key, List<String> defaultValue) {
        return values.list(key, "a list of strings", defaultValue, ValueReader::stringItem);
    }

    // ---- paths -----------------------------------------------------------------------------

    /** A path; relative paths are resolved against the folder of the YAML file that wrote the value. */
    public Path path(String key) {
        String s = readString(key, null, true, "a path");
        return ConfigPaths.resolveRelative(originOf(key), s, keyPath(key));
    }

    /** As {@link #path(String)}; an absent key gives {@code defaultValue} resolved against the working directory. */
    public Path path(String key, String defaultValue) {
        return optionalPath(key).orElseGet(() -> Path.of(defaultValue).toAbsolutePath().normalize());
    }

    public Optional<Path> optionalPath(String key) {
        return has(key) ? Optional.of(path(key)) : absentPath(key);
    }

    /** A path that must lie inside {@code root} (relative values are resolved against {@code root}). */
    public Path pathInside(String key, Path root) {
        String s = readString(key, null, true, "a path inside " + root);
        return ConfigPaths.resolveInside(root, s, originOf(key), keyPath(key));
    }

    // ---- unknown keys and documentation ----------------------------------------------------------

    /** Throws for every key of this section that was never read, with the nearest known key as a hint. */
    public void rejectUnknownKeys() {
        List<ConfigProblem> problems = tracker.unknownKeys(map, this::keyPath);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** {@link #rejectUnknownKeys()} for this section and every section read from it. */
    public void rejectUnknownKeysDeep() {
        List<ConfigProblem> problems = new ArrayList<>();
        collectUnknown(problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** What was read so far from this section and its children: key, expectation, default, description. */
    public List<KeyDoc> documentation() {
        List<KeyDoc> out = new ArrayList<>(tracker.documentation(this::keyPath));
        children.forEach(c -> out.addAll(c.documentation()));
        return out;
    }

    // ---- internals shared with ValueReader ----------------------------------------------------

    /** The value at {@code key}, null when absent or null; marks the key as read. */
    ConfigNode value(String key) {
        tracker.accept(key);
        ConfigNode n = map.get(key);
        return n instanceof ConfigScalar s && s.isNull() ? null : n;
    }

    void record(String key, String expected, Object defaultValue) {
        tracker.record(key, expected, defaultValue);
    }

    /** The default, or an error saying the key is missing when there is none. */
    <T> T require(String key, String expected, T defaultValue) {
        if (defaultValue == null) {
            throw new ConfigException(map.origin(), keyPath(key),
                    "expected " + expected(key, expected) + ", found nothing (the key is missing)");
        }
        return defaultValue;
    }

    ConfigException wrong(String key, String expected, ConfigNode found) {
        return new ConfigException(found.origin(), keyPath(key),
                "expected " + expected(key, expected) + ", found " + found.describe());
    }

    private String expected(String key, String expected) {
        String d = tracker.description(key);
        return d.isEmpty() ? expected : expected + " (" + d + ")";
    }

    private String readString(String key, String defaultValue) {
        return readString(key, defaultValue, true);
    }

    private String readString(String key, String defaultValue, boolean required) {
        return readString(key, defaultValue, required, "a string");
    }

    private String readString(String key, String defaultValue, boolean required, String expected) {
        record(key, expected, required ? defaultValue : "none");
        ConfigNode n = value(key);
        if (n == null) {
            return required ? require(key, expected, defaultValue) : null;
        }
        return scalarText(key, expected, n);
    }

    /** Text of a non-null scalar (numbers and booleans as written); maps and lists are errors. */
    private String scalarText(String key, String expected, ConfigNode n) {
        if (n instanceof ConfigScalar s) {
            return s.value() instanceof String str ? str : s.text();
        }
        throw wrong(key, expected, n);
    }

    private OptionalInt absentInt(String key) {
        record(key, "an integer", "none");
        return OptionalInt.empty();
    }

    private Optional<Path> absentPath(String key) {
        record(key, "a path", "none");
        return Optional.empty();
    }

    private ConfigSection child(ConfigMap m, String path) {
        ConfigSection c = new ConfigSection(m, path);
        children.add(c);
        return c;
    }

    private void collectUnknown(List<ConfigProblem> problems) {
        problems.addAll(tracker.unknownKeys(map, this::keyPath));
        children.forEach(c -> c.collectUnknown(problems));
    }
}
