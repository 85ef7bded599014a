package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.nn.train.TrainerTest;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer learning in nn: frozen layers really stay fixed (values byte-identical, gradients never
 * written, no optimiser state); a head trained on extracted features equals the same head trained
 * through the frozen network; a checkpoint of another model is refused naming tensor and shapes;
 * averaging evaluation with one identity view or one checkpoint is exactly plain evaluation.
 */
class TransferTest {
    /** Layers 0-4 (conv, batch norm, relu, pool, flatten) are the part that gets frozen. */
    static final ModelSpec MODEL = ModelSpec.of("transfer", new Shape(12, 12, 1), List.of(
            new LayerSpec.Conv("conv1", 4, 3, 1, 1),
            new LayerSpec.BatchNorm("bn1", 1e-5f, 0.1f),
            new LayerSpec.Act("relu1", Activation.Kind.RELU),
            new LayerSpec.Pool("pool1", true, 2, 2, 0),
            new LayerSpec.Flatten("flat"),
            new LayerSpec.Dense("fc1", 16),
            new LayerSpec.Act("relu2", Activation.Kind.RELU),
            new LayerSpec.Dense("fc2", 10)));
    static final int FROZEN = 5;

    static TrainSettings settings(long seed) {
        return new TrainSettings(32, 2, OptimizerSpec.sgd(0.05, 0.9, 1e-4), new LrSchedule(LrSchedule.Kind.COSINE, 5, 1, 1, 0.1), seed, 4);
    }

    /** A checkpoint of MODEL trained one epoch from seed 1: the "pretrained" weights. */
    static Path pretrained(ClContext cl, Path dir) throws IOException {
        try (Trainer t = new Trainer(cl, MODEL, settings(1)); DeviceDataset d = new DeviceDataset(cl, TrainerTest.synthetic(160, 3), 0.5f, 0.3f)) {
            t.trainEpoch(d, n -> { }, () -> false);
            return t.loop().save(dir, Map.of(), List.of());
        }
    }

    private static Map<String, float[]> values(ClContext cl, List<Param> params) {
        Map<String, float[]> out = new HashMap<>();
        for (Param p : params) out.put(p.name(), p.value().readFloats(cl.queue()));
        return out;
    }

    @Test
    void frozenLayersStayByteIdenticalAndGetNoGradientOrUpdate(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = pretrained(cl, dir);
        try (Trainer t = new Trainer(cl, MODEL, settings(7), FROZEN); DeviceDataset d = new DeviceDataset(cl, TrainerTest.synthetic(160, 1), 0.5f, 0.3f)) {
            Checkpoints.loadLayers(checkpoint, t.network(), FROZEN);
            List<Param> frozen = t.network().paramsOf(0, FROZEN);
            assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), t.network().trainable().stream().map(Param::name).toList());
            assertTrue(t.optimizer().stateNames().stream().allMatch(n -> n.startsWith("optimizer.fc")), t.optimizer().stateNames().toString());
            float[] sentinel = new float[frozen.get(0).size()];
            Arrays.fill(sentinel, Float.NaN);
            frozen.get(0).grad().write(cl.queue(), sentinel); // backward must never reach conv1
            Map<String, float[]> before = values(cl, t.network().params());
            for (int e = 0; e < 2; e++) t.trainEpoch(d, n -> { }, () -> false);
            Map<String, float[]> after = values(cl, t.network().params());
            for (Param p : frozen) assertArrayEquals(before.get(p.name()), after.get(p.name()), p.name() + " (incl. running statistics) must not change");
            assertTrue(frozen.stream().anyMatch(p -> p.name().contains("running")), "the frozen part holds batch-norm statistics");
            for (Param p : t.network().trainable()) assertFalse(Arrays.equals(before.get(p.name()), after.get(p.name())), p.name() + " should train");
            assertTrue(Float.isNaN(frozen.get(0).grad().readFloats(cl.queue())[0]), "conv1's gradient was written: backward went below the frozen layers");
        }
    }

    @Test
    void headOnExtractedFeaturesEqualsHeadTrainedThroughTheFrozenNetwork(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = pretrained(cl, dir);
        ModelSpec head = ModelSpec.of("head", MODEL.inputOf(FROZEN), MODEL.layers().subList(FROZEN, MODEL.layers().size()));
        try (Trainer whole = new Trainer(cl, MODEL, settings(7), FROZEN);
                Network frozen = new Network(cl, MODEL, 32, 7);
                Trainer onFeatures = new Trainer(cl, head, settings(7));
                DeviceDataset train = new DeviceDataset(cl, TrainerTest.synthetic(160, 1), 0.5f, 0.3f);
                DeviceDataset test = new DeviceDataset(cl, TrainerTest.synthetic(70, 2), 0.5f, 0.3f)) {
            Checkpoints.loadLayers(checkpoint, whole.network(), FROZEN);
            Checkpoints.loadLayers(checkpoint, frozen, FROZEN);
            frozen.freeze(FROZEN);
            try (DeviceFeatures trainF = new DeviceFeatures(cl, Features.extract(frozen, train));
                    DeviceFeatures testF = new DeviceFeatures(cl, Features.extract(frozen, test))) {
                assertEquals(160, trainF.count());
                for (int e = 0; e < 2; e++) {
                    whole.trainEpoch(train, n -> { }, () -> false);
                    onFeatures.trainEpoch(trainF, n -> { }, () -> false);
                }
                Map<String, float[]> a = values(cl, whole.network().trainable());
                Map<String, float[]> b = values(cl, onFeatures.network().trainable());
                assertEquals(a.keySet(), b.keySet());
                for (String name : a.keySet()) Tolerance.FLOAT.assertClose(b.get(name), a.get(name), name);
                Evaluation ea = whole.evaluate(test), eb = onFeatures.evaluate(testF);
                assertEquals(ea.accuracy(), eb.accuracy(), 1.0 / 70 + 1e-9);
                assertEquals(ea.loss(), eb.loss(), 1e-3 * (1 + ea.loss()));
            }
        }
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedNamingTensorAndShapes(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = pretrained(cl, dir);
        List<LayerSpec> wider = new java.util.ArrayList<>(MODEL.layers());
        wider.set(0, new LayerSpec.Conv("conv1", 6, 3, 1, 1));
        try (Network other = new Network(cl, ModelSpec.of("wider", MODEL.input(), wider), 8, 1)) {
            IOException e = assertThrows(IOException.class, () -> Checkpoints.loadLayers(checkpoint, other, FROZEN));
            assertTrue(e.getMessage().contains("tensor 'conv1.weight' has shape [3, 3, 1, 4]") && e.getMessage().contains("needs [3, 3, 1, 6]"), e.getMessage());
        }
        List<LayerSpec> renamed = new java.util.ArrayList<>(MODEL.layers());
        renamed.set(0, new LayerSpec.Conv("stem", 4, 3, 1, 1));
        try (Network other = new Network(cl, ModelSpec.of("renamed", MODEL.input(), renamed), 8, 1)) {
            IOException e = assertThrows(IOException.class, () -> Checkpoints.loadLayers(checkpoint, other, 1));
            assertTrue(e.getMessage().contains("no tensor 'stem.weight'"), e.getMessage());
        }
    }

    @Test
    void oneIdentityViewAndAnEnsembleOfOneAreExactlyPlainEvaluation(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = pretrained(cl, dir);
        try (Network net = new Network(cl, MODEL, 16, 3); Network fresh = new Network(cl, MODEL, 16, 99);
                DeviceDataset test = new DeviceDataset(cl, TrainerTest.synthetic(75, 2), 0.5f, 0.3f)) {
            Checkpoints.loadWeights(checkpoint, net);
            Evaluation plain = Evaluator.evaluate(net, test);
            Evaluation tta = AveragingEvaluator.evaluate(net, test, List.of(View.IDENTITY), List.of(n -> { }));
            assertEquals(plain.loss(), tta.loss(), 0.0);
            assertEquals(plain.accuracy(), tta.accuracy(), 0.0);
            assertTrue(Arrays.deepEquals(plain.confusion(), tta.confusion()));
            Evaluation one = AveragingEvaluator.evaluate(fresh, test, List.of(View.IDENTITY), List.of(n -> Checkpoints.loadWeights(checkpoint, n)));
            assertEquals(plain.loss(), one.loss(), 0.0);
            assertTrue(Arrays.deepEquals(plain.confusion(), one.confusion()));
            // the same member twice averages identical probabilities: same predictions, same loss up to rounding
            Evaluation twice = AveragingEvaluator.evaluate(fresh, test, List.of(View.IDENTITY),
                    List.of(n -> Checkpoints.loadWeights(checkpoint, n), n -> Checkpoints.loadWeights(checkpoint, n)));
            assertTrue(Arrays.deepEquals(plain.confusion(), twice.confusion()));
            assertEquals(plain.loss(), twice.loss(), 1e-12);
            // real views change the scores (the images move), and every image is still counted once
            Evaluation shifted = AveragingEvaluator.evaluate(net, test, View.of(5, 2, false), List.of(n -> { }));
            assertEquals(75, shifted.count());
            assertTrue(shifted.loss() != plain.loss(), "shifted views must see different pixels");
        }
    }
}
