package dev.clpipe.style;

/** Adam on the pixels: learning rate in pixel units (0..255) per step, PyTorch defaults otherwise. */
public record AdamSettings(double lr, double beta1, double beta2) {
    public AdamSettings {
        if (!(lr > 0)) throw new IllegalArgumentException("optimizer lr must be > 0, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("adam betas must be within [0, 1)");
    }
}
