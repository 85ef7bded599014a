package dev.clpipe.pipeline.stages;

import dev.clpipe.pipeline.StageRegistry;

/** Every stage type clpipe ships, by YAML name. */
public final class BuiltinStages {
    private BuiltinStages() {}

    public static StageRegistry registry() {
        return new StageRegistry()
                .register(new ImageFolderStage())
                .register(new DecodeStage())
                .register(new AugmentStage())
                .register(new PreviewSheetStage())
                .register(new WriteImagesStage())
                .register(new TrainStage())
                .register(new EvaluateStage())
                .register(new PredictStage())
                .register(new DetectFacesStage());
    }
}
