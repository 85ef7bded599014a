package dev.clpipe.data;

/**
 * The encoded bytes of one input file when a source has already read them (Spark's
 * {@code binaryFile} source does): the decode stage decodes these instead of opening a path.
 */
public record ImageBytes(byte[] bytes) {}
