package dev.clpipe.api;

/** How a run ended, as run.json's {@code status}. */
public enum RunStatus { OK, FAILED, INTERRUPTED }
