package dev.clpipe.augment;

import static dev.clpipe.augment.TestImages.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.clpipe.testing.TestDevices;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Counter-based draws: a sample's augmentation depends only on (seed, epoch, sample index). */
@Tag("kernel")
class DeterminismTest {
    private static final AugmentConfig CONFIG = new AugmentConfig(List.of(
            new MirrorSpec(0.5, 0.5), new CropSpec(1, 0, 2, Range.of(0.5, 1), Range.of(0.8, 1.25)),
            new RotateSpec(0.5, 20), new ColorShiftSpec(0.5, 30), new BrightnessContrastSpec(0.5, Range.of(0.8, 1.2), Range.of(0.8, 1.2)),
            new ElasticSpec(0.5, 5, 1.5)), 2024, 13, 13, 0);

    /** Six distinct images; sample index i is image i. */
    private static final ImageBatch SOURCE = random(77, 6, 19, 17, 3);

    private static ImageBatch run(AugmentConfig config, int epoch, int... images) {
        ImageBatch batch = ImageBatch.allocate(images.length, SOURCE.height(), SOURCE.width(), 3);
        long[] indices = new long[images.length];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(SOURCE.pixels(), images[i] * SOURCE.imageBytes(), batch.pixels(), i * SOURCE.imageBytes(), SOURCE.imageBytes());
            indices[i] = images[i];
        }
        try (Augmenter augmenter = new Augmenter(TestDevices.context(), config)) {
            return augmenter.apply(batch, epoch, indices);
        }
    }

    @Test
    void rerunGivesIdenticalBytes() {
        assertArrayEquals(run(CONFIG, 3, 0, 1, 2, 3, 4, 5).pixels(), run(CONFIG, 3, 0, 1, 2, 3, 4, 5).pixels());
    }

    @Test
    void batchCompositionAndOrderDoNotChangeASample() {
        ImageBatch full = run(CONFIG, 1, 0, 1, 2, 3, 4, 5);
        ImageBatch shuffled = run(CONFIG, 1, 4, 2, 5);
        assertArrayEquals(one(full, 4).pixels(), one(shuffled, 0).pixels());
        assertArrayEquals(one(full, 2).pixels(), one(shuffled, 1).pixels());
        assertArrayEquals(one(full, 5).pixels(), one(shuffled, 2).pixels());
        assertArrayEquals(one(full, 3).pixels(), run(CONFIG, 1, 3).pixels(), "a batch of one (a resumed run's first step)");
    }

    @Test
    void epochsAndSeedsDiffer() {
        ImageBatch epoch0 = run(CONFIG, 0, 0, 1, 2, 3, 4, 5);
        assertFalse(Arrays.equals(epoch0.pixels(), run(CONFIG, 1, 0, 1, 2, 3, 4, 5).pixels()), "epoch 1 differs from epoch 0");
        AugmentConfig otherSeed = new AugmentConfig(CONFIG.ops(), CONFIG.seed() + 1, 13, 13, 0);
        assertFalse(Arrays.equals(epoch0.pixels(), run(otherSeed, 0, 0, 1, 2, 3, 4, 5).pixels()), "another seed differs");
    }

    @Test
    void drawsArePureFunctionsOfTheirCoordinates() {
        CounterRng a = CounterRng.of(1, 2, 3, 4), b = CounterRng.of(1, 2, 3, 4);
        for (int i = 0; i < 100; i++) assertArrayEquals(new long[] {a.nextLong()}, new long[] {b.nextLong()});
        long[] firsts = {CounterRng.of(1, 2, 3, 4).nextLong(), CounterRng.of(0, 2, 3, 4).nextLong(), CounterRng.of(1, 0, 3, 4).nextLong(),
                CounterRng.of(1, 2, 0, 4).nextLong(), CounterRng.of(1, 2, 3, 0).nextLong()};
        assertFalse(Arrays.stream(firsts).distinct().count() < firsts.length, "each coordinate changes the stream");
    }
}
