package dev.clpipe.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.testing.TestDevices;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("kernel")
class PreviewGridTest {
    @TempDir
    Path temp;

    @Test
    void rendersOriginalsAndVariantsAsAPng() throws Exception {
        ImageBatch originals = TestImages.random(5, 2, 20, 30, 3);
        AugmentConfig config = new AugmentConfig(List.of(new MirrorSpec(0.5, 0), new RotateSpec(1, 15)), 1, 16, 16, 0);
        try (Augmenter augmenter = new Augmenter(TestDevices.context(), config)) {
            BufferedImage sheet = PreviewGrid.render(augmenter, originals, 3);
            assertEquals(4 + 4 * (30 + 4), sheet.getWidth()); // original + 3 variants, cells as wide as the widest image
            assertEquals(4 + 2 * (20 + 4), sheet.getHeight());
            Path file = temp.resolve("preview.png");
            PreviewGrid.writePng(sheet, file);
            BufferedImage back = ImageIO.read(file.toFile());
            assertEquals(sheet.getWidth(), back.getWidth());
            int rgb = originals.get(0, 0, 0, 0) << 16 | originals.get(0, 0, 0, 1) << 8 | originals.get(0, 0, 0, 2);
            assertEquals(rgb, back.getRGB(4, 4) & 0xFFFFFF, "first cell is the original");
        }
    }

    @Test
    void imageBatchRoundTripsThroughBufferedImage() {
        ImageBatch batch = TestImages.random(6, 2, 5, 7, 3);
        ImageBatch back = ImageBatch.ofImages(List.of(batch.image(0), batch.image(1)));
        org.junit.jupiter.api.Assertions.assertArrayEquals(batch.pixels(), back.pixels());
    }
}
