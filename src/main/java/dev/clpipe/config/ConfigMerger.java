package dev.clpipe.config;

/**
 * Deep merge for {@code base:} inheritance: maps merge key by key, everything else (lists,
 * scalars, a map replacing a scalar) is replaced by the child. Keys keep the base's order;
 * keys new in the child follow.
 */
public final class ConfigMerger {

    private ConfigMerger() {
    }

    public static ConfigMap merge(ConfigMap base, ConfigMap child) {
        ConfigMap result = new ConfigMap(base.entries(), base.keyOrigins(), child.origin());
        for (String key : child.keys()) {
            ConfigNode c = child.get(key);
            ConfigNode b = base.get(key);
            ConfigNode merged = b instanceof ConfigMap bm && c instanceof ConfigMap cm ? merge(bm, cm) : c;
            result = result.with(key, merged, child.keyOrigin(key));
        }
        return result;
    }
}
