package org.example.clpipe;

import dev.clpipe.pipeline.Plugins;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.pipeline.StageTypeProvider;
import java.util.List;

/**
 * The plug-in's entry point, named in META-INF/services/dev.clpipe.pipeline.StageTypeProvider:
 * the stage types it adds. Its java-op ({@link Gamma}) needs no registration: a java-op stage
 * names the class and clpipe loads it from the plug-in jars.
 */
public final class ExamplePlugin implements StageTypeProvider {
    @Override
    public List<StageType> stageTypes(Plugins plugins) {
        return List.of(new DropDarkStage());
    }
}
