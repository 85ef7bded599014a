package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The way stage code is meant to use the package, on the fixture pipeline in src/test/resources/config. */
class ExamplePipelineTest {

    /** A stage's settings: read from its section, validated in the compact constructor. */
    record TrainSettings(int epochs, double lr, String optimizer, List<String> augment) {

        TrainSettings {
            if (optimizer.equals("sgd") && lr > 1) {
                throw new IllegalArgumentException("sgd with lr > 1 diverges");
            }
            augment = List.copyOf(augment);
        }

        static TrainSettings read(ConfigSection s) {
            int epochs = s.describe("epochs", "passes over the training set").intIn("epochs", 1, 100_000, 10);
            double lr = s.describe("lr", "learning rate").positiveDouble("lr", 0.01);
            String optimizer = s.choice("optimizer", List.of("sgd", "adam"), "sgd");
            List<String> augment = s.stringList("augment", List.of());
            TrainSettings t = s.create(() -> new TrainSettings(epochs, lr, optimizer, augment));
            s.rejectUnknownKeys();
            return t;
        }
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(ExamplePipelineTest.class.getResource("/config/pipelines/mnist.yaml").toURI());
    }

    @Test
    void readsTheExamplePipeline() throws Exception {
        Config config = new ConfigLoader().load(fixture(), Map.of("seed", "7"), List.of("stages[train].batch=128"));
        ConfigSection root = config.root();
        TrainSettings train = TrainSettings.read(root.section("train"));
        assertEquals(new TrainSettings(10, 0.01, "adam", List.of("flip", "crop")), train);
        assertEquals(7L, root.longValue("seed"));
        assertEquals("auto", root.string("device", "cpu"));
        List<ConfigSection> stages = root.sectionList("stages");
        assertEquals("stages[train]", stages.get(1).keyPath());
        assertEquals(128, stages.get(1).intIn("batch", 1, 4096, 32));
        Path input = root.path("input");
        assertEquals(fixture().getParent().getParent().resolve("data/mnist"), input);
        assertTrue(root.documentation().contains(
                new KeyDoc("train.epochs", "an integer from 1 to 100000", "10", "passes over the training set")));
    }

    @Test
    void typoInTheExampleIsCaughtWithItsLine() throws Exception {
        Config config = new ConfigLoader().load(fixture(), Map.of(), List.of("train.epocs=3"));
        String msg = assertThrows(ConfigException.class, () -> TrainSettings.read(config.root().section("train")))
                .getMessage();
        assertEquals("--set train.epocs=3: train.epocs: unknown key 'epocs'; did you mean 'epochs'?", msg);
    }

    @Test
    void recordValidationErrorIsLocatedAtTheSection() throws Exception {
        Config config = new ConfigLoader().load(fixture(), Map.of(), List.of("train.lr=2", "train.optimizer=sgd"));
        String msg = assertThrows(ConfigException.class, () -> TrainSettings.read(config.root().section("train")))
                .getMessage();
        // a merged map is located where the pipeline itself writes it
        assertEquals(fixture() + ":6:3: train: sgd with lr > 1 diverges", msg);
    }
}
