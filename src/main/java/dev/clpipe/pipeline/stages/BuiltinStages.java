package dev.clpipe.pipeline.stages;

import dev.clpipe.pipeline.Plugins;
import dev.clpipe.pipeline.StageRegistry;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.pipeline.StageTypeProvider;
import java.util.List;

/** Every stage type clpipe ships, by YAML name: the same {@link StageTypeProvider} SPI plug-ins implement. */
public final class BuiltinStages implements StageTypeProvider {

    /** clpipe's stage types only. */
    public static StageRegistry registry() {
        return registry(Plugins.none());
    }

    /** clpipe's stage types and those of the plug-in jars. */
    public static StageRegistry registry(Plugins plugins) {
        return plugins.registry(new BuiltinStages());
    }

    @Override
    public List<StageType> stageTypes(Plugins plugins) {
        return List.of(
                new ImageFolderStage(),
                new DecodeStage(),
                new AugmentStage(),
                new PreviewSheetStage(),
                new WriteImagesStage(),
                new TrainStage(),
                new TrainEmbeddingStage(),
                new EvaluateStage(),
                new PredictStage(),
                new DetectFacesStage(),
                new FaceBoxesStage(),
                new FaceEmbedStage(FaceEmbedStage.DEVICE),
                new FaceClusterStage(),
                new DetectTrainStage(),
                new SlidingWindowStage(),
                new StyleTransferStage(),
                new FaceVerifyStage(),
                new FaceRecognizeStage(FaceEmbedStage.DEVICE),
                new JavaOpStage(plugins.classLoader()));
    }
}
