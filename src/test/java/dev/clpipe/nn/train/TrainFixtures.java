package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.ops.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Models, data and checks the trainer tests share. The data: each class a noisy copy of its own
 * random pattern, so a small network learns it in a few epochs.
 */
final class TrainFixtures {
    static final ModelSpec MODEL = Models.lenet5();
    /** Small, with dropout: its masks must not depend on how the batch is split. */
    static final ModelSpec DROPOUT = smallNet("dropout", 0.3f, "fc2", 10);

    private TrainFixtures() {}

    /** 12x12 grey input: conv 4x3x3, relu, max pool, [dropout when {@code dropout > 0}], dense 16, relu, dense {@code head} of {@code outputs}. */
    static ModelSpec smallNet(String name, float dropout, String head, int outputs) {
        List<LayerSpec> layers = new ArrayList<>(List.of(
                new LayerSpec.Conv("conv1", 4, 3, 1, 1),
                new LayerSpec.Act("relu1", Activation.Kind.RELU),
                new LayerSpec.Pool("pool1", true, 2, 2, 0),
                new LayerSpec.Flatten("flat")));
        if (dropout > 0) layers.add(new LayerSpec.Dropout("drop", dropout));
        layers.addAll(List.of(
                new LayerSpec.Dense("fc1", 16),
                new LayerSpec.Act("relu2", Activation.Kind.RELU),
                new LayerSpec.Dense(head, outputs)));
        return ModelSpec.of(name, new Shape(12, 12, 1), layers);
    }

    static Dataset data(int count, long seed) {
        return data(MODEL, count, seed);
    }

    static Dataset data(ModelSpec model, int count, long seed) {
        return patterns(model, count, seed, 17, 0.7, 0.3);
    }

    /** {@code count} images of 10 classes: {@code signal} x the class's pattern (from {@code patternSeed}) + {@code noise} x uniform noise. */
    static Dataset patterns(ModelSpec model, int count, long seed, long patternSeed, double signal, double noise) {
        Random r = new Random(patternSeed);
        int pixels = model.input().size();
        byte[][] prototypes = new byte[10][pixels];
        for (byte[] p : prototypes) r.nextBytes(p);
        Random random = new Random(seed);
        byte[] images = new byte[count * pixels];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(10);
            for (int k = 0; k < pixels; k++) images[i * pixels + k] = (byte) (int) (signal * (prototypes[labels[i]][k] & 0xFF) + noise * random.nextInt(256));
        }
        return new Dataset("synthetic", images, labels, model.input(), 10);
    }

    static TrainSettings settings(int batch, int epochs) {
        return new TrainSettings(batch, epochs, OptimizerSpec.sgd(0.05, 0.9, 5e-4), LrSchedule.constant(), 11, 4);
    }

    /**
     * After a second epoch (6 steps of 64 rows) in which device 1 failed at step 8 ("1@8"): 12 steps
     * done, every row of the epoch once, one device left, the failure recorded at step 8.
     */
    static void assertSecondEpochRedoneWithoutDevice1(ReplicatedTrainer two, EpochStats second) {
        assertEquals(12, two.step());
        assertEquals(6L * 64, second.images());
        assertEquals(1, two.devices().size());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> failures = (List<Map<String, Object>>) two.deviceMetrics().get("failures");
        assertEquals(8L, failures.get(0).get("step"));
    }

    /** Every parameter's values (trainable and statistics), in network order. */
    static List<float[]> weights(Network net) {
        List<float[]> out = new ArrayList<>();
        for (Param p : net.params()) out.add(p.value().readFloats(net.context().queue()));
        return out;
    }

    /** Two networks hold the very same values in every parameter. */
    static void assertSameWeights(Network a, Network b) {
        List<Param> pa = a.params(), pb = b.params();
        assertEquals(pa.size(), pb.size());
        List<float[]> wa = weights(a), wb = weights(b);
        for (int i = 0; i < pa.size(); i++) assertArrayEquals(wa.get(i), wb.get(i), pa.get(i).name());
    }
}
