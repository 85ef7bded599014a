package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.cl.ClDevice;
import dev.clpipe.cl.DeviceType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuningCacheTest {
    private static ClDevice device(DeviceType type, String name) {
        return new ClDevice(null, null, 0, "Platform", 0, type, "vendor", name, "1.0", "OpenCL 3.0", 2, 1L << 30, 1 << 16, 1024, true);
    }

    @Test
    void unknownDevicesGetTheirTypeDefault(@TempDir Path dir) {
        TuningCache cache = new TuningCache(dir);
        assertEquals(OpVariant.REGISTER_BLOCKED, cache.choiceFor(device(DeviceType.CPU, "cpu")).convVariant());
        assertEquals(OpVariant.LOCAL_TILED, cache.choiceFor(device(DeviceType.GPU, "gpu")).gemmVariant());
    }

    @Test
    void storedChoicesRoundTripPerDevice(@TempDir Path dir) throws Exception {
        TuningCache cache = new TuningCache(dir);
        ClDevice a = device(DeviceType.CPU, "a"), b = device(DeviceType.CPU, "b");
        TuningChoice choice = new TuningChoice(OpVariant.REGISTER_BLOCKED, new GemmParams(12, 2), OpVariant.REGISTER_BLOCKED, new ConvParams(5, 4, 6));
        cache.store(a, choice);
        assertEquals(choice, cache.choiceFor(a));
        assertEquals(TuningChoice.defaultFor(OpVariant.REGISTER_BLOCKED), cache.choiceFor(b));
    }

    @Test
    void aDamagedFileFallsBackToTheDefault(@TempDir Path dir) throws Exception {
        TuningCache cache = new TuningCache(dir);
        ClDevice a = device(DeviceType.CPU, "a");
        Files.writeString(cache.fileFor(a), "{ not json");
        assertEquals(TuningChoice.defaultFor(OpVariant.REGISTER_BLOCKED), cache.choiceFor(a));
    }
}
