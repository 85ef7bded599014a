package dev.clpipe.data;

/** {@link ImageDecoderTest}'s cases with JPEGs through the JDK's ImageIO. */
class ImageDecoderImageIoTest extends ImageDecoderTest {
    @Override
    ImageDecoder.Options base() {
        return ImageDecoder.Options.defaults().withDecoder(DecoderChoice.IMAGEIO);
    }
}
