package dev.clpipe.pipeline.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentStageTest {
    @TempDir
    Path temp;

    @BeforeEach
    void photos() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("photos/sub"));
        for (int i = 0; i < 5; i++) {
            BufferedImage image = new BufferedImage(40 + 7 * i, 30 + 3 * i, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) image.setRGB(x, y, (x * 5 + i * 40) << 16 | (y * 7) << 8 | (x * y + i) & 0xFF);
            }
            ImageIO.write(image, "png", folder.resolve("img" + i + ".png").toFile());
        }
    }

    private PipelineRun.Result run(int batch, String extra) throws Exception {
        Path yaml = Files.writeString(temp.resolve("aug.yaml"), """
                input: photos
                out: runs
                device: cpu
                batch: %d
                seed: 7
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - type: augment
                    variants: 3
                    input_size: [36, 36]
                    output_size: [32, 32]
                    ops:
                      mirror: {horizontal: 0.5}
                      crop: {size: 32, padding: 2}
                      rotate: {degrees: 10}
                      color_shift: {max_shift: 20}
                %s
                  - {type: write-images}
                """.formatted(batch, extra));
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry());
        return PipelineRun.execute(pipeline, Optional.empty(), ClRuntime::standard, List.of("test"));
    }

    private static Map<String, byte[]> pixels(Path folder) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                BufferedImage image = ImageIO.read(f.toFile());
                int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
                byte[] bytes = new byte[rgb.length * 3];
                for (int i = 0; i < rgb.length; i++) {
                    bytes[3 * i] = (byte) (rgb[i] >> 16);
                    bytes[3 * i + 1] = (byte) (rgb[i] >> 8);
                    bytes[3 * i + 2] = (byte) rgb[i];
                }
                out.put(folder.relativize(f).toString(), bytes);
            }
        }
        return out;
    }

    @Test
    void variantsAreWrittenAndReproducibleWhateverTheBatching() throws Exception {
        PipelineRun.Result first = run(2, "");
        assertEquals(PipelineRun.Status.OK, first.status());
        Map<String, byte[]> a = pixels(first.folder().file("images"));
        assertEquals(15, a.size());
        assertTrue(a.containsKey("sub/img0.png-v2.png"), a.keySet().toString());
        Map<String, byte[]> b = pixels(run(5, "").folder().file("images"));
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name + " differs between batchings");
        assertFalse(java.util.Arrays.equals(a.get("sub/img0.png-v0.png"), a.get("sub/img0.png-v1.png")), "variants must differ");
    }

    @Test
    void badAugmentSettingsAreConfigErrorsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> run(2, "      shear: {degrees: 400}"));
        assertTrue(e.getMessage().contains("shear.degrees"), e.getMessage());
        assertTrue(e.getMessage().contains("aug.yaml"), e.getMessage());
    }
}
