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
                .register(new TrainEmbeddingStage())
                .register(new EvaluateStage())
                .register(new PredictStage())
                .register(new DetectFacesStage())
                .register(new FaceBoxesStage())
                .register(new FaceEmbedStage(FaceEmbedStage.DEVICE))
                .register(new FaceClusterStage())
                .register(new DetectTrainStage())
                .register(new SlidingWindowStage())
                .register(new StyleTransferStage())
                .register(new FaceVerifyStage())
                .register(new FaceRecognizeStage(FaceEmbedStage.DEVICE));
    }
}
