package dev.clpipe.pipeline;

import java.util.List;

/**
 * The plug-in SPI: a jar in {@code --plugins DIR} names its providers in
 * {@code META-INF/services/dev.clpipe.pipeline.StageTypeProvider}, and every stage type they return
 * can be used in YAML ({@code type: NAME}) like a built-in one; {@code validate} plans them too.
 * clpipe's own stages come through the same interface ({@code pipeline.stages.BuiltinStages}).
 * A provider needs a public no-argument constructor.
 */
public interface StageTypeProvider {
    /** The stage types this provider adds; their names must not clash with any other. */
    List<StageType> stageTypes(Plugins plugins);
}
