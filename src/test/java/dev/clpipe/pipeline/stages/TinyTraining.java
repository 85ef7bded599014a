package dev.clpipe.pipeline.stages;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * What the train-stage tests share: a 4-class 8x8 IDX data set whose classes are noisy stripe
 * patterns, a tiny model that learns it in a few epochs, and a train pipeline around them.
 */
public final class TinyTraining {
    public static final String MODEL = """
            name: tiny
            input: {height: 8, width: 8, channels: 1}
            classes: 4
            layers:
              - {type: conv, filters: 4, kernel: 3, pad: 1}
              - {type: relu}
              - {type: maxpool, size: 2}
              - {type: dense, units: 4}
            """;

    private TinyTraining() {}

    /** {@code split}-images/labels-idx*-ubyte in {@code folder}: {@code count} 8x8 images, label k brightens every 4th pixel from k. */
    public static void writeIdx(Path folder, String split, int count, long seed) throws IOException {
        writeIdx(folder, split, count, seed, 4);
    }

    /** As {@link #writeIdx(Path, String, int, long)} with labels 0..classes-1: label k brightens every classes-th pixel from k. */
    static void writeIdx(Path folder, String split, int count, long seed, int classes) throws IOException {
        Random r = new Random(seed);
        Files.createDirectories(folder);
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(folder.resolve(split + "-images-idx3-ubyte")));
                DataOutputStream lb = new DataOutputStream(Files.newOutputStream(folder.resolve(split + "-labels-idx1-ubyte")))) {
            im.writeInt(0x803);
            im.writeInt(count);
            im.writeInt(8);
            im.writeInt(8);
            lb.writeInt(0x801);
            lb.writeInt(count);
            for (int i = 0; i < count; i++) {
                int label = r.nextInt(classes);
                lb.writeByte(label);
                for (int p = 0; p < 64; p++) im.writeByte((p % classes == label ? 200 : 20) + r.nextInt(40));
            }
        }
    }

    /** {@code dir/data} with 96 training and 40 test images. */
    static void writeIdxData(Path dir) throws IOException {
        writeIdx(dir.resolve("data"), "train", 96, 1);
        writeIdx(dir.resolve("data"), "t10k", 40, 2);
    }

    /**
     * {@code dir/NAME.yaml}, a pipeline that trains {@code dir/tiny.yaml} (written from {@code model}) for
     * {@code epochs} with SGD and momentum, checking the test split every 2 epochs: {@code top} adds
     * top-level lines, {@code stage} the train stage's own lines (indented by four) and any later stages.
     */
    static Path trainYaml(Path dir, String name, String model, String top, int epochs, String stage) throws IOException {
        Files.writeString(dir.resolve("tiny.yaml"), model);
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                seed: 5
                out: runs
                %sstages:
                  - id: train
                    type: train
                    model: tiny.yaml
                    epochs: %d
                    optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
                    check_every: 2
                %s
                """.formatted(name, top, epochs, stage));
    }
}
