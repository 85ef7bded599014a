package dev.clpipe.detect.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.detect.AnchorKMeans;
import dev.clpipe.detect.AnchorSet;
import dev.clpipe.detect.NmsConfig;
import dev.clpipe.detect.YoloDecoder;
import dev.clpipe.detect.YoloEncoder;
import dev.clpipe.detect.YoloLayout;
import dev.clpipe.detect.YoloLoss;
import dev.clpipe.detect.scenes.DigitSceneGenerator;
import dev.clpipe.detect.scenes.SceneSpec;
import dev.clpipe.detect.scenes.TestDigits;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.testing.TestDevices;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tiny end-to-end detector run on synthetic digits: training must lift mAP@0.5 well above the untrained detector's. */
class DetectorTrainerTest {
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** 48x48 frames -> 6x6 grid (8-pixel cells), one anchor: 6x6x15. */
    private static ModelSpec tinyDetector() {
        return ModelSpec.of("tiny-yolo", new Shape(48, 48, 1), List.of(
                new LayerSpec.Conv("c1", 16, 3, 2, 1), new LayerSpec.BatchNorm("bn1", 1e-5f, 0.1f), new LayerSpec.Act("a1", Activation.Kind.LEAKY_RELU),
                new LayerSpec.Pool("p1", true, 2, 2, 0),
                new LayerSpec.Conv("c2", 32, 3, 1, 1), new LayerSpec.BatchNorm("bn2", 1e-5f, 0.1f), new LayerSpec.Act("a2", Activation.Kind.LEAKY_RELU),
                new LayerSpec.Pool("p2", true, 2, 2, 0),
                new LayerSpec.Conv("c3", 32, 3, 1, 1), new LayerSpec.BatchNorm("bn3", 1e-5f, 0.1f), new LayerSpec.Act("a3", Activation.Kind.LEAKY_RELU),
                new LayerSpec.Conv("head", 15, 1, 1, 0)));
    }

    @Test
    void trainingBeatsTheUntrainedDetectorClearly() {
        ClContext ctx = TestDevices.context();
        SceneSpec spec = new SceneSpec(40, 48, 1, 2, 20, 28, 0.05, 64);
        SceneSet train = SceneSet.generate("train", new DigitSceneGenerator(TestDigits.fake(10), spec, 1), 320);
        SceneSet test = SceneSet.generate("test", new DigitSceneGenerator(TestDigits.fake(10), spec, 2), 64);
        YoloLayout layout = new YoloLayout(6, 6, 1, 10, YoloLayout.ClassActivation.SOFTMAX);
        AnchorSet anchors = AnchorKMeans.fit(train.boxShapes(), 1, AnchorSet.Unit.PIXELS, 1, 100).anchors().inCells(8, 8);
        float[] targets = train.targets(new YoloEncoder(layout, anchors, DIGITS), layout.size());
        YoloDecoder decoder = new YoloDecoder(layout, anchors, DIGITS);
        NmsConfig nms = new NmsConfig(0.01, 0.45, false, 100);
        int epochs = 40;
        TrainSettings settings = new TrainSettings(16, epochs, new OptimizerSpec(OptimizerSpec.Kind.ADAM, 3e-3, 0, 0, false, 0.9, 0.999, 1e-8),
                new LrSchedule(LrSchedule.Kind.COSINE, 20, 1, 0.5, 0), 5, 1000);
        try (DetectorTrainer trainer = new DetectorTrainer(ctx, tinyDetector(), settings, layout, new YoloLoss.Weights(5, 1, 0.5, 2), YoloLoss.Objectness.BCE);
             DeviceDataset trainFrames = new DeviceDataset(ctx, train.frames(), 0.1f, 0.3f);
             DeviceDataset testFrames = new DeviceDataset(ctx, test.frames(), 0.1f, 0.3f)) {
            double untrained = DetectorEvaluation.run(trainer.network(), testFrames, test, decoder, nms, 0.01, 0).result().map50Voc();
            double firstLoss = 0, lastLoss = 0;
            for (int e = 0; e < epochs; e++) {
                DetectorTrainer.Epoch ep = trainer.trainEpoch(trainFrames, targets, n -> { }, () -> false);
                if (e == 0) firstLoss = ep.loss();
                lastLoss = ep.loss();
            }
            DetectorEvaluation.Output out = DetectorEvaluation.run(trainer.network(), testFrames, test, decoder, nms, 0.01, trainer.loop().step());
            double trained = out.result().map50Voc();
            assertEquals(test.count(), out.detections().size());
            assertTrue(lastLoss < firstLoss / 2, "loss " + firstLoss + " -> " + lastLoss);
            assertTrue(trained > untrained + 0.25, "mAP@0.5 untrained " + untrained + ", trained " + trained);
            assertEquals(epochs, trainer.loop().epoch());
        }
    }

    @Test
    void refusesAModelWhoseHeadDoesNotFitTheLayout() {
        ClContext ctx = TestDevices.context();
        YoloLayout layout = new YoloLayout(6, 6, 2, 10, YoloLayout.ClassActivation.SOFTMAX);
        TrainSettings settings = new TrainSettings(4, 1, new OptimizerSpec(OptimizerSpec.Kind.ADAM, 1e-3, 0, 0, false, 0.9, 0.999, 1e-8),
                LrSchedule.constant(), 1, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DetectorTrainer(ctx, tinyDetector(), settings, layout, YoloLoss.Weights.DEFAULT, YoloLoss.Objectness.BCE));
        assertTrue(e.getMessage().contains("30 filters"), e.getMessage());
    }
}
