package dev.clpipe.config;

/**
 * One node of a loaded config tree. Nodes are immutable and each knows its {@link Origin}.
 */
public sealed interface ConfigNode permits ConfigMap, ConfigList, ConfigScalar {

    Origin origin();

    /** How to name this node in an error's "found ..." part, e.g. {@code "fast"} or {@code a list}. */
    String describe();

    /** The same tree with every node's origin replaced (used for command-line overrides). */
    ConfigNode withOrigin(Origin origin);

    /** Plain Java value: {@code Map<String,Object>} (ordered), {@code List<Object>}, String, Long, Double, Boolean or null. */
    Object plain();
}
