package dev.clpipe.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A YAML sequence. */
public record ConfigList(List<ConfigNode> items, Origin origin) implements ConfigNode {

    public ConfigList {
        items = List.copyOf(items);
        Objects.requireNonNull(origin, "origin");
    }

    public int size() {
        return items.size();
    }

    public ConfigNode get(int index) {
        return items.get(index);
    }

    /** A copy with item {@code index} replaced. */
    public ConfigList with(int index, ConfigNode item) {
        List<ConfigNode> copy = new ArrayList<>(items);
        copy.set(index, item);
        return new ConfigList(copy, origin);
    }

    @Override
    public String describe() {
        return "a list";
    }

    @Override
    public ConfigNode withOrigin(Origin newOrigin) {
        return new ConfigList(items.stream().map(i -> i.withOrigin(newOrigin)).toList(), newOrigin);
    }

    @Override
    public Object plain() {
        List<Object> out = new ArrayList<>(items.size());
        for (ConfigNode item : items) {
            out.add(item.plain());
        }
        return out;
    }
}
