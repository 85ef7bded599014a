package dev.clpipe.api;

/**
 * One stage's figures, as in metrics.json {@code stages.<id>}: wall and busy seconds, items handled
 * (job stages: images trained on or scored), items per busy second, share of time spent waiting.
 */
public record StageMetrics(String id, String type, long items, double seconds, double busySeconds, double itemsPerSecond,
        double waitFraction) {}
