package dev.clpipe.spark;

/**
 * The encoded bytes of one input file, as Spark's {@code binaryFile} source delivers them; the
 * Spark variant of the decode stage reads this attachment instead of opening a local path.
 */
public record ImageBytes(byte[] bytes) {}
