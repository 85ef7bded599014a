package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSourceTest {
    @Test
    void includeIsReplacedByTheHeaderAndLineNumbersReturnToTheIncluder() {
        String body = "// one\n#include \"vec16.h\"\n__kernel void k() {}\n";
        String expanded = KernelSource.expandIncludes("demo.cl", body);
        assertFalse(expanded.contains("#include \"vec16.h\""), expanded);
        assertTrue(expanded.contains("#line 1 \"vec16.h\"\n"), expanded);
        assertTrue(expanded.contains("inline float16 load16_guarded"), expanded);
        // the line after the include is line 3 of demo.cl
        assertTrue(expanded.contains("#line 3 \"demo.cl\"\n__kernel void k() {}"), expanded);
    }

    @Test
    void everyShippedKernelFileLoadsWithItsIncludesExpanded() {
        List<String> files = KernelCatalog.files();
        assertTrue(files.contains("conv_rb.cl") && files.contains("conv_dw.cl") && files.contains("conv_small.cl"), files.toString());
        assertFalse(files.contains("vec16.h"), "headers are not built on their own");
        for (String file : files) assertFalse(KernelSource.load(file).text().contains("#include \""), file);
    }

    @Test
    void aMissingHeaderIsNamed() {
        ClException e = assertThrows(ClException.class, () -> KernelSource.expandIncludes("demo.cl", "#include \"absent.h\"\n"));
        assertTrue(e.getMessage().contains("opencl/absent.h"), e.getMessage());
    }

    @Test
    void textWithoutIncludesIsUnchanged() {
        assertEquals("__kernel void k() {}\n", KernelSource.expandIncludes("demo.cl", "__kernel void k() {}\n"));
    }
}
