/**
 * YAML pipeline files to typed, validated settings.
 *
 * <p>{@link dev.clpipe.config.ConfigLoader} reads a file safely ({@link dev.clpipe.config.YamlReader}:
 * no custom tags, no duplicate keys, limits on size, depth and aliases), resolves {@code base:}
 * inheritance ({@link dev.clpipe.config.ConfigMerger}, with {@link dev.clpipe.config.ConfigPaths}
 * refusing bases outside the pipeline folders) and applies {@code --set} overrides and the common
 * flags ({@link dev.clpipe.config.Overrides}). Every node keeps its {@link dev.clpipe.config.Origin}.
 *
 * <p>Stage code reads its section through {@link dev.clpipe.config.ConfigSection}:
 * <pre>{@code
 * Config config = new ConfigLoader().load(file, Map.of("seed", "7"), List.of("train.lr=0.05"));
 * ConfigSection train = config.root().section("train");
 * int epochs = train.describe("epochs", "passes over the data").intIn("epochs", 1, 100_000, 10);
 * double lr = train.positiveDouble("lr", 0.01);
 * String optimizer = train.choice("optimizer", List.of("sgd", "adam"), "sgd");
 * train.rejectUnknownKeys();          // "unknown key 'epocs' ...; did you mean 'epochs'?"
 * config.write(runDir.resolve("config.yaml"));
 * }</pre>
 *
 * <p>All errors are {@link dev.clpipe.config.ConfigException}s whose message reads
 * {@code file:line:col: key.path: expected ..., found ...}, one problem per line.
 */
package dev.clpipe.config;
