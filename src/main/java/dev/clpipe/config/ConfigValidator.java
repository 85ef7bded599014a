package dev.clpipe.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of several independent checks (e.g. one per stage) so that
 * {@code clpipe validate} reports them all at once instead of only the first.
 *
 * <pre>{@code
 * ConfigValidator v = new ConfigValidator();
 * for (ConfigSection s : root.sectionList("stages")) v.check(() -> registry.read(s));
 * v.check(root::rejectUnknownKeysDeep);
 * v.throwIfAny();
 * }</pre>
 */
public final class ConfigValidator {

    private final List<ConfigProblem> problems = new ArrayList<>();

    /** Runs {@code check}; a ConfigException it throws is recorded instead of propagated. */
    public ConfigValidator check(Runnable check) {
        try {
            check.run();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        return this;
    }

    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
