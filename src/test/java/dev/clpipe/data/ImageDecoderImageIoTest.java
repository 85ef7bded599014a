package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link ImageDecoderTest}'s cases with JPEGs through the JDK's ImageIO. */
class ImageDecoderImageIoTest extends ImageDecoderTest {
    @Override
    ImageDecoder.Options base() {
        return ImageDecoder.Options.defaults().withDecoder(DecoderChoice.IMAGEIO);
    }

    @Override
    @Test
    void jpegsGoThroughTheChosenDecoder() throws Exception {
        assertEquals(DecoderChoice.IMAGEIO_NAME, decodedJpeg().decoder());
    }
}
