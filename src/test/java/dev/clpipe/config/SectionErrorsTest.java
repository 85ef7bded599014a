package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SectionErrorsTest {

    @TempDir
    Path dir;

    @Test
    void descriptionJoinsTheExpectationInWrongAndMissingErrors() {
        Path file = TestFiles.write(dir, "p.yaml", "t:\n  lr: x\n");
        TrackedMap keys = new TrackedMap(Config.load(file).root().section("t").node(), "t");
        keys.describe("lr", "learning rate");
        keys.describe("epochs", "passes");
        SectionErrors errors = new SectionErrors(keys);
        ConfigNode lr = keys.value("lr");
        assertEquals(file + ":2:7: t.lr: expected a number (learning rate), found \"x\"; did you mean 'y'?",
                errors.wrong("lr", "a number", lr, "; did you mean 'y'?").getMessage());
        assertEquals(file + ":2:3: t.epochs: expected an integer (passes), found nothing (the key is missing)",
                assertThrows(ConfigException.class, () -> errors.orMissing("epochs", "an integer", null)).getMessage());
        assertEquals(5, errors.orMissing("epochs", "an integer", 5));
        assertEquals(file + ":2:3: t: bad", errors.atSection("bad").getMessage());
    }

    @Test
    void throwIfAnyThrowsAllProblemsAtOnce() {
        SectionErrors.throwIfAny(List.of());
        ConfigProblem a = new ConfigProblem(Origin.of("a"), "x", "one");
        ConfigProblem b = new ConfigProblem(Origin.of("b"), "y", "two");
        assertEquals(List.of(a, b), assertThrows(ConfigException.class, () -> SectionErrors.throwIfAny(List.of(a, b))).problems());
    }
}
