package dev.clpipe.nn;

import dev.clpipe.nn.ops.Activation;
import java.util.List;

/** Models built in code: the same networks as {@code pipelines/models/*.yaml}, for benchmarks and tests. */
public final class Models {
    private Models() {}

    /** LeNet-5 with ReLU and max pooling for 28x28x1 inputs, 10 classes (61,706 parameters). */
    public static ModelSpec lenet5() {
        return ModelSpec.of("lenet5", new Shape(28, 28, 1), List.of(
                new LayerSpec.Conv("conv1", 6, 5, 1, 2),
                new LayerSpec.Act("relu1", Activation.Kind.RELU),
                new LayerSpec.Pool("maxpool1", true, 2, 2, 0),
                new LayerSpec.Conv("conv2", 16, 5, 1, 0),
                new LayerSpec.Act("relu2", Activation.Kind.RELU),
                new LayerSpec.Pool("maxpool2", true, 2, 2, 0),
                new LayerSpec.Flatten("flatten1"),
                new LayerSpec.Dense("fc1", 120),
                new LayerSpec.Act("relu3", Activation.Kind.RELU),
                new LayerSpec.Dense("fc2", 84),
                new LayerSpec.Act("relu4", Activation.Kind.RELU),
                new LayerSpec.Dense("fc3", 10)));
    }
}
