package dev.clpipe.api;

/** A stage of a validated pipeline: its id and YAML type. */
public record StagePlanInfo(String id, String type) {}
