package dev.clpipe.cl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Typed builder for a program's {@code -D} build options, so options are written one way
 * ({@code -DNAME=value}, in the order set) and a name set twice is a bug caught here rather than a
 * silently redefined macro. {@link #spec} pairs them with the kernel file.
 */
public final class Defines {
    private final Map<String, String> values = new LinkedHashMap<>();

    public static Defines of() {
        return new Defines();
    }

    public Defines set(String name, int value) {
        return put(name, Integer.toString(value));
    }

    public Defines set(String name, boolean value) {
        return put(name, value ? "1" : "0");
    }

    private Defines put(String name, String value) {
        if (!name.matches("[A-Z_][A-Z0-9_]*")) throw new IllegalArgumentException("not a macro name: " + name);
        if (values.putIfAbsent(name, value) != null) throw new IllegalArgumentException("-D" + name + " set twice");
        return this;
    }

    public ProgramSpec spec(String file) {
        return new ProgramSpec(file, toString());
    }

    @Override
    public String toString() {
        StringJoiner options = new StringJoiner(" ");
        values.forEach((name, value) -> options.add("-D" + name + "=" + value));
        return options.toString();
    }
}
