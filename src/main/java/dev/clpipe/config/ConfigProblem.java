package dev.clpipe.config;

import java.util.Objects;

/**
 * One thing wrong with a config: where, which key, and what.
 *
 * @param origin  file:line:col or override text
 * @param keyPath dotted key path such as {@code train.lr} or {@code stages[train].lr}; empty for the whole file
 * @param message what was expected and what was found
 */
public record ConfigProblem(Origin origin, String keyPath, String message) {

    public ConfigProblem {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return keyPath.isEmpty() ? origin + ": " + message : origin + ": " + keyPath + ": " + message;
    }
}
