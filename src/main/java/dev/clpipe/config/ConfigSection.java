package dev.clpipe.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Typed, tracked reading of one config map. Stage code reads its keys with defaults, then calls
 * {@link #rejectUnknownKeys()}, which refuses every key that was never asked for (with a
 * "did you mean" hint). A {@code null} value counts as absent, so {@code --set train.lr=} resets
 * a key to its default. Every error names file:line:col, the key path, the expectation and the
 * value found. Not thread-safe: read a config from one thread.
 *
 * <p>A facade: {@link TrackedMap} knows the keys, {@link ScalarReader}, {@link ListReader} and
 * {@link PathReader} type the values, {@link SectionTree} hands out nested sections and
 * {@link SectionErrors} words the errors.
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

    private final TrackedMap keys;
    private final SectionErrors errors;
    private final ScalarReader scalars;
    private final ListReader lists;
    private final PathReader paths;
    private final SectionTree tree;

    /** A section over {@code map}; {@code keyPath} is its dotted path ("" for the root). */
    public ConfigSection(ConfigMap map, String keyPath) {
        this.keys = new TrackedMap(map, keyPath);
        this.errors = new SectionErrors(keys);
        KeyReader reader = new KeyReader(keys, errors);
        this.scalars = new ScalarReader(reader);
        this.lists = new ListReader(reader);
        this.paths = new PathReader(scalars, reader);
        this.tree = new SectionTree(reader);
    }

    // ---- where --------------------------------------------------------------------------

    /** Dotted path of this section, e.g. {@code stages[train]}; "" for the root. */
    public String keyPath() {
        return keys.keyPath();
    }

    /** Dotted path of {@code key} inside this section. */
    public String keyPath(String key) {
        return keys.keyPath(key);
    }

    public Origin origin() {
        return keys.origin();
    }

    /** Where {@code key}'s value was written (the section's origin when absent). */
    public Origin originOf(String key) {
        return keys.originOf(key);
    }

    public ConfigMap node() {
        return keys.node();
    }

    public Set<String> keys() {
        return keys.keys();
    }

    /**
     * True when {@code key} is present with a non-null value. Does not mark it read; its presence
     * is then a choice, so {@link #completed()} does not fill its default in.
     */
    public boolean has(String key) {
        keys.tracker().presenceMatters(key);
        return keys.has(key);
    }

    /** Marks {@code key} as known without reading it (e.g. a key handled elsewhere). */
    public ConfigSection accept(String... keys) {
        Arrays.stream(keys).forEach(this.keys::accept);
        return this;
    }

    /** Attaches a description to {@code key}; shown in {@link #documentation()} and in errors. */
    public ConfigSection describe(String key, String description) {
        keys.describe(key, description);
        return this;
    }

    /** An error located at {@code key} (its value, or the section when absent), for checks stage code makes itself. */
    public ConfigException error(String key, String message) {
        return errors.at(key, message);
    }

    /**
     * Runs {@code factory} (typically a record constructor that validates its fields) and turns an
     * {@link IllegalArgumentException} it throws into a ConfigException located at this section.
     */
    public <T> T create(Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw errors.atSection(String.valueOf(e.getMessage()));
        }
    }

    // ---- nested sections ------------------------------------------------------------------

    /** The map at {@code key}; an empty section (all defaults) when absent. */
    public ConfigSection section(String key) {
        return tree.section(key);
    }

    public Optional<ConfigSection> optionalSection(String key) {
        return tree.optionalSection(key);
    }

    /** The list of maps at {@code key} (e.g. stages); item paths use their {@code id}: {@code stages[train]}. */
    public List<ConfigSection> sectionList(String key) {
        return tree.sectionList(key);
    }

    // ---- strings and choices ---------------------------------------------------------------

    public String string(String key) {
        return scalars.text(key, "a string", null);
    }

    public String string(String key, String defaultValue) {
        return scalars.text(key, "a string", defaultValue);
    }

    public Optional<String> optionalString(String key) {
        return Optional.ofNullable(scalars.optionalText(key, "a string"));
    }

    /** One of {@code choices}, e.g. {@code choice("optimizer", List.of("sgd", "adam"), "sgd")}. */
    public String choice(String key, List<String> choices, String defaultValue) {
        return scalars.choice(key, choices, defaultValue);
    }

    public String choice(String key, List<String> choices) {
        return scalars.choice(key, choices, null);
    }

    /** An enum constant, written in lower case in YAML ({@code ADAM} is written {@code adam}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        return scalars.choice(key, type, defaultValue);
    }

    // ---- numbers and booleans -----------------------------------------------------------------

    public int integer(String key) {
        return scalars.intIn(key, Integer.MIN_VALUE, Integer.MAX_VALUE, null);
    }

    public int integer(String key, int defaultValue) {
        return scalars.intIn(key, Integer.MIN_VALUE, Integer.MAX_VALUE, defaultValue);
    }

    public int intIn(String key, int min, int max) {
        return scalars.intIn(key, min, max, null);
    }

    public int intIn(String key, int min, int max, int defaultValue) {
        return scalars.intIn(key, min, max, defaultValue);
    }

    public OptionalInt optionalInt(String key) {
        return scalars.optionalInt(key).map(OptionalInt::of).orElseGet(OptionalInt::empty);
    }

    public long longValue(String key) {
        return scalars.longValue(key, null);
    }

    public long longValue(String key, long defaultValue) {
        return scalars.longValue(key, defaultValue);
    }

    public double number(String key) {
        return scalars.doubleIn(key, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, null);
    }

    public double number(String key, double defaultValue) {
        return scalars.doubleIn(key, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, defaultValue);
    }

    public double doubleIn(String key, double min, double max) {
        return scalars.doubleIn(key, min, max, false, null);
    }

    public double doubleIn(String key, double min, double max, double defaultValue) {
        return scalars.doubleIn(key, min, max, false, defaultValue);
    }

    /** A finite number greater than zero. */
    public double positiveDouble(String key) {
        return scalars.doubleIn(key, 0, Double.MAX_VALUE, true, null);
    }

    public double positiveDouble(String key, double defaultValue) {
        return scalars.doubleIn(key, 0, Double.MAX_VALUE, true, defaultValue);
    }

    public OptionalDouble optionalDouble(String key) {
        return scalars.optionalNumber(key).map(OptionalDouble::of).orElseGet(OptionalDouble::empty);
    }

    public boolean bool(String key) {
        return scalars.bool(key, null);
    }

    public boolean bool(String key, boolean defaultValue) {
        return scalars.bool(key, defaultValue);
    }

    // ---- lists ------------------------------------------------------------------------------

    public List<Double> doubleList(String key) {
        return lists.doubles(key, null);
    }

    public List<Double> doubleList(String key, List<Double> defaultValue) {
        return lists.doubles(key, defaultValue);
    }

    public List<Integer> intList(String key) {
        return lists.ints(key, null);
    }

    public List<Integer> intList(String key, List<Integer> defaultValue) {
        return lists.ints(key, defaultValue);
    }

    public List<String> stringList(String key) {
        return lists.strings(key, null);
    }

    public List<String> stringList(String key, List<String> defaultValue) {
        return lists.strings(key, defaultValue);
    }

    // ---- paths -----------------------------------------------------------------------------

    /** A path; relative paths are resolved against the folder of the YAML file that wrote the value. */
    public Path path(String key) {
        return paths.path(key);
    }

    /**
     * As {@link #path(String)}; an absent key gives {@code defaultValue} (relative: against the working
     * directory). Either way the path is absolute and recorded, so the run folder's complete config.yaml
     * names it and {@code clpipe run RUN_DIR} resolves it the same from any folder.
     */
    public Path path(String key, Supplier<Path> defaultValue) {
        return optionalPath(key).orElseGet(() -> {
            Path absolute = defaultValue.get().toAbsolutePath().normalize();
            keys.usedPath(key, absolute);
            return absolute;
        });
    }

    /**
     * This section as it was read: every key present, every absent key that was read with a
     * default filled with that default, and every path absolute (what the run folder freezes).
     */
    public ConfigMap completed() {
        return tree.completed();
    }

    public Optional<Path> optionalPath(String key) {
        return paths.optionalPath(key);
    }

    /** A path that must lie inside {@code root} (relative values are resolved against {@code root}). */
    public Path pathInside(String key, Path root) {
        return paths.pathInside(key, root);
    }

    // ---- unknown keys and documentation ----------------------------------------------------------

    /** Throws for every key of this section that was never read, with the nearest known key as a hint. */
    public void rejectUnknownKeys() {
        SectionErrors.throwIfAny(keys.unknownKeys());
    }

    /** {@link #rejectUnknownKeys()} for this section and every section read from it. */
    public void rejectUnknownKeysDeep() {
        SectionErrors.throwIfAny(tree.unknownKeys());
    }

    /** What was read so far from this section and its children: key, expectation, default, description. */
    public List<KeyDoc> documentation() {
        return tree.documentation();
    }

    SectionTree tree() {
        return tree;
    }
}
