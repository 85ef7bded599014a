package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.config.Suggestions;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Stage types by name, as YAML refers to them. */
public final class StageRegistry {
    private final Map<String, StageType> types = new TreeMap<>();

    public StageRegistry register(StageType type) {
        if (types.putIfAbsent(type.name(), type) != null) {
            throw new IllegalStateException("stage type registered twice: " + type.name());
        }
        return this;
    }

    public boolean contains(String name) {
        return types.containsKey(name);
    }

    public Collection<StageType> types() {
        return types.values();
    }

    /** The type named by {@code section}'s {@code type} key, or a config error suggesting the nearest name. */
    StageType typeOf(ConfigSection section) {
        String name = section.describe("type", "stage type, one of " + types.keySet()).string("type");
        StageType type = types.get(name);
        if (type == null) {
            throw section.error("type", "unknown stage type \"" + name + "\"" + Suggestions.hint(name, types.keySet())
                    + " (known: " + String.join(", ", types.keySet()) + ")");
        }
        return type;
    }
}
