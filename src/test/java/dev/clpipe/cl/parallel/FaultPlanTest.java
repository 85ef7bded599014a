package dev.clpipe.cl.parallel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
    @Test
    void parsesAndFiresOnceAtOrAfterItsStep() {
        FaultPlan plan = FaultPlan.parse("1@3, 0@10");
        assertEquals(List.of(new FaultPlan.Fault(1, 3), new FaultPlan.Fault(0, 10)), plan.faults());
        assertDoesNotThrow(() -> plan.check(1, 2));
        assertDoesNotThrow(() -> plan.check(0, 3));
        assertThrows(FaultPlan.InjectedDeviceFault.class, () -> plan.check(1, 4));
        assertDoesNotThrow(() -> plan.check(1, 5), "a fault fires once");
        assertThrows(FaultPlan.InjectedDeviceFault.class, () -> plan.check(0, 10));
        assertTrue(DeviceFailures.isDeviceFailure(new RuntimeException(new FaultPlan.InjectedDeviceFault(0, 1))));
    }

    @Test
    void badTextIsRefusedWithTheExpectedForm() {
        for (String bad : List.of("1", "@3", "a@3", "1@-2", "1@")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse(bad));
            assertTrue(e.getMessage().contains("DEVICE@STEP"), e.getMessage());
        }
        assertTrue(FaultPlan.parse("").faults().isEmpty());
    }
}
