package dev.clpipe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.config.ConfigException;
import dev.clpipe.data.ImageData;
import dev.clpipe.pipeline.Plugins;
import dev.clpipe.javaop.PixelOp;
import dev.clpipe.javaop.PixelOpRunner;
import dev.clpipe.testing.ExamplePluginJar;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library API used as an embedding application would: load the example plug-in's pipeline,
 * run it with options, read typed results; the java-op's images equal its plain-Java result.
 */
class PipelinesApiTest {
    @TempDir
    Path temp;

    @Test
    void anEmbeddingAppRunsThePluginPipelineAndReadsTypedResults() throws Exception {
        Path plugins = temp.resolve("plugins");
        ExamplePluginJar.build(plugins);
        Path photos = Files.createDirectories(temp.resolve("photos"));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5; i++) ImageIO.write(image(23 + i * 9, 17 + i * 5, random, 60, 255), "png", photos.resolve("bright" + i + ".png").toFile());
        ImageIO.write(image(20, 20, random, 0, 30), "png", photos.resolve("dark.png").toFile());

        PipelineFile file = Pipelines.load(ExamplePluginJar.SOURCES.resolve("pipeline.yaml"));
        RunOptions options = RunOptions.defaults().withInput(photos).withOut(temp.resolve("runs")).withPlugins(plugins).withSet("batch=4");
        assertEquals(List.of(new StagePlanInfo("read", "image-folder"), new StagePlanInfo("decode", "decode"), new StagePlanInfo("bright", "drop-dark"),
                new StagePlanInfo("gamma", "java-op"), new StagePlanInfo("write", "write-images")), file.validate(options));
        RunResult result = file.run(options);

        assertEquals(RunStatus.OK, result.status());
        assertTrue(result.runFolder().isAbsolute() && result.runFolder().startsWith(temp.resolve("runs").toAbsolutePath()));
        assertEquals(6, result.stage("decode").items());
        assertEquals(6, result.stage("bright").items()); // items a stage was given
        assertEquals(5, result.stage("gamma").items());
        assertEquals("java-op", result.stage("gamma").type());
        assertEquals(0, result.skipped());
        List<Path> outputs = result.outputs();
        assertEquals(5, outputs.size(), outputs.toString());
        assertTrue(outputs.stream().noneMatch(p -> p.getFileName().toString().startsWith("dark")));

        // The plug-in's PixelOp, run in plain Java on the same inputs: the device's images are the same (within one 8-bit step).
        Class<? extends PixelOp> gamma = Plugins.load(plugins).classLoader().loadClass("org.example.clpipe.Gamma").asSubclass(PixelOp.class);
        try (PixelOpRunner java = PixelOpRunner.plainJava(gamma.getConstructor().newInstance(), new float[] {0.7f, 0.5f})) {
            for (Path written : outputs) {
                ImageData input = ImageData.fromBufferedImage(ImageIO.read(photos.resolve(written.getFileName()).toFile())).withChannels(3);
                byte[] expected = java.apply(input).pixels();
                byte[] actual = ImageData.fromBufferedImage(ImageIO.read(written.toFile())).withChannels(3).pixels();
                for (int i = 0; i < expected.length; i++) {
                    assertTrue(Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF)) <= 1, written + " value " + i);
                }
            }
        }
        // Embedding leaves logging to the application: the API never selects clpipe's console configuration.
        assertNull(System.getProperty("log4j2.configurationFile"));
    }

    @Test
    void configErrorsAreExceptionsNamingTheFileAndKey() throws Exception {
        Path yaml = Files.writeString(temp.resolve("p.yaml"), "stages:\n  - {type: image-folder, extensons: [png]}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Pipelines.load(yaml).run(RunOptions.defaults().withInput(temp)));
        assertTrue(e.getMessage().contains("p.yaml:2") && e.getMessage().contains("did you mean 'extensions'"), e.getMessage());
    }

    private static BufferedImage image(int w, int h, SplittableRandom random, int low, int high) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) image.setRGB(x, y, (random.nextInt(low, high) << 16) | (random.nextInt(low, high) << 8) | random.nextInt(low, high));
        }
        return image;
    }
}
