package dev.clpipe.javaop;

import com.aparapi.Kernel;

/**
 * A per-pixel operation written in Java that Aparapi translates to OpenCL ({@code type: java-op},
 * {@code class: NAME}). Subclasses implement {@link #run()} for one value: work item
 * {@code i = getGlobalId()} reads {@link #in} (any index: neighbours too) and writes
 * {@code out[i]}. Values are 0..1, interleaved: {@code i = (y * width + x) * channels + c};
 * {@code out} is clamped to 0..1 and rounded to 8 bits afterwards. {@link #params} holds the
 * stage's {@code params:} list (at least one element, 0 when none are given).
 *
 * <p>Aparapi's limits apply to {@code run()}: primitives and primitive arrays only, no
 * {@code new}, no exceptions, no calls outside this class; a kernel Aparapi cannot translate
 * runs on a Java thread pool, which the stage refuses unless {@code allow_java_fallback: true}.
 * Compile with {@code -g} (Maven does by default). A public no-argument constructor is needed.
 */
public abstract class PixelOp extends Kernel {
    protected float[] in = new float[1];
    protected float[] out = new float[1];
    protected float[] params = new float[1];
    protected int width;
    protected int height;
    protected int channels;

    /** Points the op at one image's values (called by {@link PixelOpRunner} before each execute). */
    final void bind(float[] input, float[] output, int w, int h, int c, float[] parameters) {
        in = input;
        out = output;
        width = w;
        height = h;
        channels = c;
        params = parameters;
    }
}
