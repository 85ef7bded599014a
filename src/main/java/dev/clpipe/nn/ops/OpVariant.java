package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClDevice;
import dev.clpipe.cl.DeviceType;

/**
 * Kernel families for GEMM and convolution. {@code AUTO} resolves per device: the tuned choice
 * when the tuner has one cached, else register-blocked on CPUs and local-tiled elsewhere.
 */
public enum OpVariant {
    /** CPU style: float16 register accumulators, one work-item per work-group, packed operands. */
    REGISTER_BLOCKED,
    /** GPU style: work-groups of 16x16, local-memory tiles, coalesced loads (conv via im2col). */
    LOCAL_TILED,
    AUTO;

    /** The convolution family training uses: {@code -Dclpipe.nn.conv=register-blocked|local-tiled}, default {@code AUTO}. */
    public static final OpVariant TRAINING_CONV = switch (System.getProperty("clpipe.nn.conv", "auto")) {
        case "register-blocked" -> REGISTER_BLOCKED;
        case "local-tiled" -> LOCAL_TILED;
        default -> AUTO;
    };

    /** The family a device gets when nothing is tuned. */
    public static OpVariant defaultFor(ClDevice device) {
        return device.type() == DeviceType.CPU ? REGISTER_BLOCKED : LOCAL_TILED;
    }

    public String label() {
        return this == REGISTER_BLOCKED ? "RegisterBlocked" : this == LOCAL_TILED ? "LocalTiled" : "Auto";
    }
}
