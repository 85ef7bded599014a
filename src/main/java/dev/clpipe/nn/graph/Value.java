package dev.clpipe.nn.graph;

import dev.clpipe.nn.Shape;
/** A node's output while a graph is being built: the handle later nodes take as input. */
public record Value(int node, Shape dims) {}
