package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {
    private static ClDevice device(int p, int d, DeviceType type, String name, int units) {
        return new ClDevice(null, null, p, "Platform" + p, d, type, "Vendor", name, "1.0", "OpenCL 3.0", units, 1L << 30, 65536, 256, true);
    }

    private final ClDevice cpu = device(0, 0, DeviceType.CPU, "pthread-xeon", 2);
    private final ClDevice gpuSmall = device(1, 0, DeviceType.GPU, "Small GPU", 8);
    private final ClDevice gpuBig = device(1, 1, DeviceType.GPU, "Big GPU", 64);
    private final ClDevice fpga = device(2, 0, DeviceType.ACCELERATOR, "FPGA board", 1);
    private final List<ClDevice> all = List.of(cpu, gpuSmall, gpuBig, fpga);

    @Test
    void typesSelectEveryDeviceOfThatType() {
        assertEquals(List.of(cpu), DeviceSelector.select("cpu", all));
        assertEquals(List.of(gpuSmall, gpuBig), DeviceSelector.select("GPU", all));
        assertEquals(List.of(fpga), DeviceSelector.select("accelerator", all));
        assertEquals(all, DeviceSelector.select("all", all));
    }

    @Test
    void autoPrefersGpuThenAcceleratorThenCpuAndTheBiggest() {
        assertEquals(List.of(gpuBig), DeviceSelector.select("auto", all));
        assertEquals(List.of(fpga), DeviceSelector.select("auto", List.of(cpu, fpga)));
        assertEquals(List.of(cpu), DeviceSelector.select("auto", List.of(cpu)));
    }

    @Test
    void indicesNamesAndCommaListsCombineWithoutDuplicates() {
        assertEquals(List.of(gpuBig), DeviceSelector.select("1:1", all));
        assertEquals(List.of(fpga), DeviceSelector.select("name~fpga", all));
        assertEquals(List.of(cpu, gpuSmall, gpuBig), DeviceSelector.select("cpu, gpu, 1:0", all));
        assertEquals(List.of(gpuSmall, gpuBig), DeviceSelector.select("name~gpu", all));
    }

    @Test
    void aWellFormedTermThatMatchesNothingListsTheDevicesThatExist() {
        ClException e = assertThrows(ClException.class, () -> DeviceSelector.select("gpu", List.of(cpu)));
        assertTrue(e.getMessage().contains("no OpenCL device matches 'gpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("0:0 cpu \"pthread-xeon\""), e.getMessage());
        ClException index = assertThrows(ClException.class, () -> DeviceSelector.select("cpu,3:0", all));
        assertTrue(index.getMessage().contains("'3:0' (in --device cpu,3:0)"), index.getMessage());
    }

    @Test
    void malformedStringsAreSyntaxErrors() {
        assertThrows(DeviceSelector.SyntaxException.class, () -> DeviceSelector.select("gpux", all));
        assertThrows(DeviceSelector.SyntaxException.class, () -> DeviceSelector.select("name~", all));
        assertThrows(DeviceSelector.SyntaxException.class, () -> DeviceSelector.select(" ", all));
        assertThrows(DeviceSelector.SyntaxException.class, () -> DeviceSelector.select("0-1", all));
    }
}
