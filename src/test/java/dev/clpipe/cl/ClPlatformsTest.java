package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.testing.TestDevices;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClPlatformsTest {
    @Test
    void discoversThePoclCpuDeviceWithItsFacts() {
        List<ClDevice> devices = ClPlatforms.discover();
        assertFalse(devices.isEmpty());
        ClDevice cpu = DeviceSelector.select("cpu", devices).get(0);
        assertEquals(DeviceType.CPU, cpu.type());
        assertTrue(cpu.computeUnits() >= 1);
        assertTrue(cpu.globalMemBytes() > 1L << 20);
        assertTrue(cpu.maxWorkGroupSize() >= 1);
        assertFalse(cpu.name().isBlank());
        assertFalse(cpu.driverVersion().isBlank());
        assertTrue(cpu.openclVersion().startsWith("OpenCL"), cpu.openclVersion());
        for (int i = 0; i < devices.size(); i++) {
            ClDevice d = devices.get(i);
            assertEquals(d, DeviceSelector.select(d.address(), devices).get(0), "address " + d.address() + " selects its device");
        }
    }

    @Test
    void selfTestPassesAndMeasuresBandwidth() {
        SelfTest.Result result = SelfTest.run(TestDevices.context());
        assertNull(result.error());
        assertTrue(result.passed());
        assertTrue(result.copyGBps() > 0.01, "bandwidth " + result.copyGBps());
    }
}
