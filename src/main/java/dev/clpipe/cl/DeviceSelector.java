package dev.clpipe.cl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the one device string used everywhere ({@code --device}, YAML {@code device:}) into
 * devices. Terms: {@code auto} (best GPU, else accelerator, else CPU), {@code cpu}, {@code gpu},
 * {@code accelerator}, {@code all}, {@code P:D} indices, {@code P:D/N} (device P:D split into N
 * equal sub-devices, {@link SubDevices}), {@code name~TEXT}; comma lists join terms.
 * A term that matches nothing is an error listing what exists: never a silent fallback.
 */
public final class DeviceSelector {
    public static final String SYNTAX = "auto, cpu, gpu, accelerator, all, P:D (e.g. 0:0), P:D/N (0:0 split into N sub-devices), name~TEXT, or a comma list";

    private DeviceSelector() {}

    /** A malformed device string (a usage error, unlike a well-formed one that matches nothing). */
    public static final class SyntaxException extends IllegalArgumentException {
        SyntaxException(String message) {
            super(message);
        }
    }

    /** Refuses a malformed device string without looking for devices (planning, {@code validate}). */
    public static void checkSyntax(String spec) {
        if (spec == null || spec.isBlank()) throw new SyntaxException("empty device string; expected " + SYNTAX);
        for (String raw : spec.split(",")) match(raw.trim(), List.of());
    }

    public static List<ClDevice> select(String spec, List<ClDevice> available) {
        if (spec == null || spec.isBlank()) throw new SyntaxException("empty device string; expected " + SYNTAX);
        Set<ClDevice> chosen = new LinkedHashSet<>();
        for (String raw : spec.split(",")) {
            String term = raw.trim();
            List<ClDevice> matched = match(term, available);
            if (matched.isEmpty()) {
                throw new ClException("no OpenCL device matches '" + term + "'"
                        + (term.equals(spec.trim()) ? "" : " (in --device " + spec + ")")
                        + ". Devices on this machine:\n" + listing(available));
            }
            chosen.addAll(matched);
        }
        return List.copyOf(chosen);
    }

    static List<ClDevice> match(String term, List<ClDevice> available) {
        String lower = term.toLowerCase(Locale.ROOT);
        if (lower.startsWith("name~")) {
            String text = lower.substring(5);
            if (text.isEmpty()) throw new SyntaxException("'name~' needs text after it, e.g. name~pthread");
            return available.stream()
                    .filter(d -> (d.name() + " " + d.vendor() + " " + d.platformName()).toLowerCase(Locale.ROOT).contains(text))
                    .toList();
        }
        if (lower.matches("\\d+:\\d+")) {
            return available.stream().filter(d -> d.address().equals(lower)).toList();
        }
        if (lower.matches("\\d+:\\d+/\\d+")) {
            String[] parts = lower.split("/");
            List<ClDevice> parent = available.stream().filter(d -> d.address().equals(parts[0])).toList();
            return parent.isEmpty() ? parent : SubDevices.split(parent.get(0), Integer.parseInt(parts[1]));
        }
        return switch (lower) {
            case "all" -> available;
            case "cpu" -> ofType(available, DeviceType.CPU);
            case "gpu" -> ofType(available, DeviceType.GPU);
            case "accelerator" -> ofType(available, DeviceType.ACCELERATOR);
            case "auto" -> best(available);
            default -> throw new SyntaxException("unknown device term '" + term + "'; expected " + SYNTAX);
        };
    }

    private static List<ClDevice> ofType(List<ClDevice> available, DeviceType type) {
        return available.stream().filter(d -> d.type() == type).toList();
    }

    /** GPU before accelerator before CPU; among equals the one with most compute units. */
    private static List<ClDevice> best(List<ClDevice> available) {
        return available.stream()
                .min(Comparator.comparingInt((ClDevice d) -> d.type().ordinal())
                        .thenComparing(Comparator.comparingInt(ClDevice::computeUnits).reversed()))
                .map(List::of)
                .orElse(List.of());
    }

    /** The devices as indented lines, for error messages. */
    public static String listing(List<ClDevice> available) {
        if (available.isEmpty()) return "  (none)";
        return available.stream().map(d -> "  " + d.describe()).collect(Collectors.joining("\n"));
    }

}
