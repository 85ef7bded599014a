package dev.clpipe.augment;

/**
 * Which implementation of augment.cl's passes runs. ROWS is the default and the fast one on CPU
 * devices (PoCL); SIMPLE (one work-item per pixel or byte) is the readable baseline that tests
 * compare against the Java twin too, and may suit GPUs better.
 */
public enum KernelVariant {
    SIMPLE,
    ROWS
}
