package dev.clpipe.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns SnakeYAML's composed nodes into {@link ConfigNode}s: refuses custom tags and duplicate
 * keys (collecting all such problems), expands aliases and {@code <<} merge keys under a node
 * budget, and types scalars with {@link ScalarParser}.
 */
final class NodeConverter {

    private static final Set<Tag> SAFE_TAGS = Set.of(Tag.NULL, Tag.BOOL, Tag.INT, Tag.FLOAT, Tag.STR,
            Tag.MAP, Tag.SEQ, Tag.MERGE, Tag.TIMESTAMP);
    private static final String STANDARD_PREFIX = "tag:yaml.org,2002:";

    private final YamlLimits limits;
    private final Path file;
    private final String source;
    private final Resolver resolver = new Resolver();
    private final Map<Node, Boolean> onPath = new IdentityHashMap<>();
    private final List<ConfigProblem> problems = new ArrayList<>();
    private int nodes;

    NodeConverter(YamlLimits limits, Path file, String source) {
        this.limits = limits;
        this.file = file;
        this.source = source;
    }

    ConfigNode convert(Node root) {
        ConfigNode result = convert(root, "", 0);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return result;
    }

    private ConfigNode convert(Node node, String path, int depth) {
        Origin origin = origin(node);
        if (++nodes > limits.maxNodes()) {
            throw new ConfigException(origin, path, "refused: the document expands to more than "
                    + limits.maxNodes() + " values (alias bomb?)");
        }
        if (depth > limits.maxDepth()) {
            throw new ConfigException(origin, path,
                    "refused: maps and lists nested deeper than " + limits.maxDepth() + " levels");
        }
        if (!SAFE_TAGS.contains(node.getTag())) {
            problems.add(new ConfigProblem(origin, path, "refused unsafe YAML tag '" + show(node.getTag())
                    + "': custom tags are not allowed in configs"));
            return new ConfigScalar(null, "", origin);
        }
        if (onPath.put(node, Boolean.TRUE) != null) {
            throw new ConfigException(origin, path, "refused: an alias refers to a map or list containing itself");
        }
        try {
            return switch (node.getNodeId()) {
                case scalar -> scalar((ScalarNode) node, path, origin);
                case sequence -> sequence((SequenceNode) node, path, depth, origin);
                case mapping -> mapping((MappingNode) node, path, depth, origin);
                default -> throw new ConfigException(origin, path, "unsupported YAML node");
            };
        } finally {
            onPath.remove(node);
        }
    }

    private ConfigNode scalar(ScalarNode node, String path, Origin origin) {
        String text = node.getValue();
        Tag tag = node.getTag();
        boolean implicit = node.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                && tag.equals(resolver.resolve(NodeId.scalar, text, true));
        if (implicit) {
            return new ConfigScalar(ScalarParser.plain(text), text, origin);
        }
        if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
            return new ConfigScalar(text, text, origin);
        }
        Object value = explicit(tag, text);
        if (value == null && !(tag.equals(Tag.NULL) && ScalarParser.isNull(text))) {
            problems.add(new ConfigProblem(origin, path,
                    "'" + text + "' does not match its tag '" + show(tag) + "'"));
        }
        return new ConfigScalar(value, text, origin);
    }

    private static Object explicit(Tag tag, String text) {
        if (tag.equals(Tag.BOOL)) {
            return ScalarParser.bool(text);
        }
        if (tag.equals(Tag.INT)) {
            return ScalarParser.integer(text);
        }
        if (tag.equals(Tag.FLOAT)) {
            Object i = ScalarParser.integer(text);
            return i instanceof Long l ? Double.valueOf(l) : ScalarParser.floating(text);
        }
        return null;
    }

    private ConfigNode sequence(SequenceNode node, String path, int depth, Origin origin) {
        List<ConfigNode> items = new ArrayList<>();
        List<Node> values = node.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(convert(values.get(i), path + "[" + i + "]", depth + 1));
        }
        return new ConfigList(items, origin);
    }

    private ConfigNode mapping(MappingNode node, String path, int depth, Origin origin) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Map<String, Origin> keyOrigins = new LinkedHashMap<>();
        Map<String, Origin> explicitKeys = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                merge(tuple.getValueNode(), path, depth, entries, keyOrigins);
            }
        }
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                continue;
            }
            Origin keyOrigin = origin(keyNode);
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                problems.add(new ConfigProblem(keyOrigin, path, "keys must be plain words, found " + keyKind(keyNode)));
                continue;
            }
            if (!SAFE_TAGS.contains(keyNode.getTag())) {
                problems.add(new ConfigProblem(keyOrigin, path, "refused unsafe YAML tag '"
                        + show(keyNode.getTag()) + "': custom tags are not allowed in configs"));
                continue;
            }
            String key = scalarKey.getValue();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            Origin first = explicitKeys.put(key, keyOrigin);
            if (first != null) {
                problems.add(new ConfigProblem(keyOrigin, keyPath,
                        "duplicate key '" + key + "' (first written at line " + first.line() + ")"));
                continue;
            }
            entries.put(key, convert(tuple.getValueNode(), keyPath, depth + 1));
            keyOrigins.put(key, keyOrigin);
        }
        return new ConfigMap(entries, keyOrigins, origin);
    }

    /** YAML merge key: keys of the merged map(s) that the mapping does not set itself. */
    private void merge(Node value, String path, int depth, Map<String, ConfigNode> entries,
            Map<String, Origin> keyOrigins) {
        List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
        for (Node src : sources) {
            ConfigNode converted = convert(src, path, depth);
            if (!(converted instanceof ConfigMap map)) {
                problems.add(new ConfigProblem(origin(src), path, "'<<' must refer to a map, found " + converted.describe()));
                continue;
            }
            map.entries().forEach((k, v) -> {
                if (!entries.containsKey(k)) {
                    entries.put(k, v);
                    keyOrigins.put(k, map.keyOrigin(k));
                }
            });
        }
    }

    private Origin origin(Node node) {
        return YamlReader.at(node.getStartMark(), file, source);
    }

    private static String keyKind(Node node) {
        return node.getNodeId() == NodeId.sequence ? "a list" : "a map";
    }

    private static String show(Tag tag) {
        String v = tag.getValue();
        return v.startsWith(STANDARD_PREFIX) ? "!!" + v.substring(STANDARD_PREFIX.length()) : v;
    }
}
