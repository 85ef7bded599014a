package dev.clpipe.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AugmentConfigReaderTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
    }

    @Test
    void readsTheDocumentedShape() throws Exception {
        AugmentConfig config = AugmentConfigReader.read(yaml("""
                seed: 7
                output_size: [224, 200]
                fill: 12
                ops:
                  mirror: {horizontal: 0.5}
                  crop: {size: 224, padding: 4}
                  rotate: {probability: 0.3, degrees: 10}
                  color_shift: {max_shift: 20}
                  brightness_contrast: {brightness: [0.7, 1.3], contrast: 1.1}
                  elastic:
                """), 1);
        assertEquals(7, config.seed());
        assertEquals(224, config.outputHeight());
        assertEquals(200, config.outputWidth());
        assertEquals(12, config.fill());
        assertEquals(new MirrorSpec(0.5, 0), config.ops().get(0));
        assertEquals(new CropSpec(1, 224, 4, Range.of(0.08, 1), Range.of(0.75, 4.0 / 3)), config.ops().get(1));
        assertEquals(new RotateSpec(0.3, 10), config.ops().get(2));
        assertEquals(new BrightnessContrastSpec(1, Range.of(0.7, 1.3), Range.fixed(1.1)), config.ops().get(4));
        assertEquals(new ElasticSpec(1, 34, 4), config.ops().get(5));
    }

    @Test
    void errorsNameTheKey() throws Exception {
        assertEquals("augment.ops.rotate.degree is not a known key; expected one of [probability, degrees]",
                assertThrows(IllegalArgumentException.class,
                        () -> AugmentConfigReader.read(yaml("output_size: 8\nops: {rotate: {degree: 5}}"), 1)).getMessage());
        assertEquals("rotate.degrees must be within [0, 180], got 400",
                assertThrows(IllegalArgumentException.class,
                        () -> AugmentConfigReader.read(yaml("output_size: 8\nops: {rotate: {degrees: 400}}"), 1)).getMessage());
        assertEquals("augment.ops.blur is not a known op; expected one of [mirror, crop, centre_crop, rotate, shear, scale, translate, color_shift, "
                + "pca_color, brightness_contrast, elastic]",
                assertThrows(IllegalArgumentException.class, () -> AugmentConfigReader.read(yaml("output_size: 8\nops: {blur: {}}"), 1)).getMessage());
        assertEquals("augment.output_size must be [height, width] or one size, got null",
                assertThrows(IllegalArgumentException.class, () -> AugmentConfigReader.read(yaml("fill: 0"), 1)).getMessage());
        assertEquals("augment.kernels must be rows or simple, got fast",
                assertThrows(IllegalArgumentException.class, () -> AugmentConfigReader.variant(yaml("kernels: fast"))).getMessage());
    }
}
