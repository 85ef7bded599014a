package dev.clpipe.nn.train;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** LeNet-5 data and settings shared by the data-parallel tests: each class a noisy copy of its own pattern. */
final class ParallelFixtures {
    static final ModelSpec MODEL = Models.lenet5();
    /** Small, with dropout: its masks must not depend on how the batch is split. */
    static final ModelSpec DROPOUT = ModelSpec.of("dropout", new Shape(12, 12, 1), List.of(
            new LayerSpec.Conv("conv1", 4, 3, 1, 1),
            new LayerSpec.Act("relu1", dev.clpipe.nn.ops.Activation.Kind.RELU),
            new LayerSpec.Pool("pool1", true, 2, 2, 0),
            new LayerSpec.Flatten("flat"),
            new LayerSpec.Dropout("drop", 0.3f),
            new LayerSpec.Dense("fc1", 16),
            new LayerSpec.Act("relu2", dev.clpipe.nn.ops.Activation.Kind.RELU),
            new LayerSpec.Dense("fc2", 10)));

    private ParallelFixtures() {}

    static Dataset data(int count, long seed) {
        return data(MODEL, count, seed);
    }

    static Dataset data(ModelSpec model, int count, long seed) {
        Random r = new Random(17);
        int pixels = model.input().size();
        byte[][] prototypes = new byte[10][pixels];
        for (byte[] p : prototypes) r.nextBytes(p);
        Random noise = new Random(seed);
        byte[] images = new byte[count * pixels];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = noise.nextInt(10);
            for (int k = 0; k < pixels; k++) images[i * pixels + k] = (byte) (0.7 * (prototypes[labels[i]][k] & 0xFF) + 0.3 * noise.nextInt(256));
        }
        return new Dataset("synthetic", images, labels, model.input(), 10);
    }

    static TrainSettings settings(int batch, int epochs) {
        return new TrainSettings(batch, epochs, OptimizerSpec.sgd(0.05, 0.9, 5e-4), LrSchedule.constant(), 11, 4);
    }

    /** Every parameter's values (trainable and statistics), in network order. */
    static List<float[]> weights(Network net) {
        List<float[]> out = new ArrayList<>();
        for (Param p : net.params()) out.add(p.value().readFloats(net.context().queue()));
        return out;
    }
}
