package dev.clpipe.augment;

import static dev.clpipe.augment.TestImages.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The device-resident API: reused buffers, shape checks. */
@Tag("kernel")
class AugmenterTest {
    private static final AugmentConfig CONFIG = new AugmentConfig(List.of(new MirrorSpec(0.5, 0), new RotateSpec(0.5, 10),
            new ElasticSpec(0.5, 4, 1)), 9, 10, 12, 0);

    @Test
    void reusedOutputBatchesGiveTheSameBytesAsFreshOnes() {
        ClContext context = TestDevices.context();
        ImageBatch a = random(1, 3, 14, 15, 3), b = random(2, 3, 14, 15, 3);
        try (Augmenter augmenter = new Augmenter(context, CONFIG);
                DeviceBatch in = DeviceBatch.upload(context, a);
                DeviceBatch out = DeviceBatch.allocate(context, 3, 10, 12, 3)) {
            augmenter.apply(in, 0, indices(0, 1, 2), out);
            in.write(context.queue(), b);
            augmenter.apply(in, 1, indices(3, 4, 5), out);
            ImageBatch second = out.download(context.queue());
            assertArrayEquals(augmenter.apply(b, 1, indices(3, 4, 5)).pixels(), second.pixels());
            assertArrayEquals(ReferenceAugmenter.apply(CONFIG, b, 1, indices(3, 4, 5)).pixels(), second.pixels());
        }
    }

    @Test
    void shapesAreChecked() {
        ClContext context = TestDevices.context();
        try (Augmenter augmenter = new Augmenter(context, CONFIG);
                DeviceBatch in = DeviceBatch.allocate(context, 2, 14, 15, 3);
                DeviceBatch wrong = DeviceBatch.allocate(context, 2, 12, 10, 3)) {
            assertEquals("batch of 2 images has 3 sample indices",
                    assertThrows(IllegalArgumentException.class, () -> augmenter.apply(in, 0, indices(0, 1, 2))).getMessage());
            assertEquals("output batch must be 2x10x12x3, got 2x12x10x3",
                    assertThrows(IllegalArgumentException.class, () -> augmenter.apply(in, 0, indices(0, 1), wrong)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> augmenter.apply(in, 0, indices(0, 1), in));
        }
    }

    @Test
    void emptyBatchIsANoOp() {
        ImageBatch empty = ImageBatch.allocate(0, 5, 5, 3);
        try (Augmenter augmenter = new Augmenter(TestDevices.context(), CONFIG)) {
            assertEquals(0, ReferenceAugmenter.apply(CONFIG, empty, 0, new long[0]).count());
            ImageBatch out = augmenter.apply(empty, 0, new long[0]);
            assertEquals(0, out.count());
            assertEquals(10, out.height());
        }
    }
}
