/**
 * clpipe as a library: load a pipeline YAML, run it, read typed results.
 *
 * <pre>{@code
 * PipelineFile file = Pipelines.load(Path.of("pipelines/convert-folder.yaml"));
 * RunResult result = file.run(RunOptions.defaults()
 *         .withInput(Path.of("data/photos"))
 *         .withOut(Path.of("runs"))
 *         .withSet("batch=8"));
 * if (result.status() == RunStatus.OK) {
 *     for (StageMetrics stage : result.stages()) System.out.println(stage.id() + " " + stage.itemsPerSecond());
 *     result.outputs().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>The same run folder as {@code clpipe run} is written (config.yaml, run.json, metrics.json,
 * log.txt, skipped.csv, outputs). Errors are exceptions: {@link dev.clpipe.config.ConfigException}
 * for a bad config (the CLI's exit 2), {@link dev.clpipe.pipeline.MissingInputException} for a
 * missing input (exit 4), {@link dev.clpipe.cl.ClException} for a device problem (exit 3),
 * {@link dev.clpipe.pipeline.PluginException} for an unusable plug-in jar (exit 2); a stage that
 * fails while running rethrows its exception after run.json records {@code failed}.
 *
 * <p>Logging: clpipe logs through the Log4j 2 API and leaves its configuration to the
 * application. Only clpipe's own command-line entry point selects its bundled
 * {@code clpipe-log4j2.xml}; the jar carries no {@code log4j2.xml}. Each run folder's
 * {@code log.txt} is written whatever the application's configuration.
 *
 * <p>Depends on pipeline, config and cl (never on cli).
 */
package dev.clpipe.api;
