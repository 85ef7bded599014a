package dev.clpipe.nn.graph;

/** A node's output while a graph is being built: the handle later nodes take as input. */
public record Value(int node, Dims dims) {}
