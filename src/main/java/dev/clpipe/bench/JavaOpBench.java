package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.data.ImageData;
import dev.clpipe.javaop.PixelOp;
import dev.clpipe.javaop.PixelOpRunner;
import java.io.PrintStream;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code clpipe bench java-op}: a per-pixel op written in Java (3x3 box blur mixed in, then gamma,
 * as examples/plugin's Gamma) on RGB images, in ms per image: through Aparapi on the device, the
 * same bytecode on Aparapi's Java thread pool and sequentially, and a hand-written Java loop (the
 * anchor, measured in the same run). Each figure includes the whole per-image cost: bytes to floats,
 * transfers, the kernel, floats back to bytes.
 */
public final class JavaOpBench implements BenchSuite {

    /** The measured op; public with a no-argument constructor, as Aparapi and java-op need. */
    public static final class BlurGamma extends PixelOp {
        @Override
        public void run() {
            int i = getGlobalId();
            int c = i % channels;
            int pixel = i / channels;
            int x = pixel % width;
            int y = pixel / width;
            float sum = 0f;
            int n = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (x + dx >= 0 && x + dx < width && y + dy >= 0 && y + dy < height) {
                        sum += in[((y + dy) * width + x + dx) * channels + c];
                        n++;
                    }
                }
            }
            // exp(g * log(v)) rather than pow(v, g): PoCL's pow took 8x longer here (2.1 s vs 0.25 s for 3M values).
            out[i] = exp(params[0] * log(max(in[i] + params[1] * (sum / n - in[i]), 1e-6f)));
        }
    }

    private static final float[] PARAMS = {0.7f, 0.5f};

    @Override
    public String name() {
        return "java-op";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        if (log != null) log.println("java-op: blur+gamma PixelOp per RGB image, ms per image (images/s = 1000 / ms)");
        int[] sides = quick ? new int[] {256} : new int[] {256, 1024};
        SplittableRandom random = new SplittableRandom(42);
        for (int side : sides) {
            byte[] pixels = new byte[side * side * 3];
            for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) random.nextInt(256);
            ImageData image = new ImageData(side, side, 3, pixels);
            int images = quick ? 3 : side >= 1024 ? 8 : 30;
            String shape = side + "x" + side + "x3";
            BenchDevice device = BenchDevice.of(context);
            try (PixelOpRunner cl = PixelOpRunner.onDevice(new BlurGamma(), context.device(), false, PARAMS)) {
                sink.accept(BenchResult.batch("java-op blur+gamma", shape, "aparapi opencl", device, 1, msPerImage(() -> cl.apply(image), images), Double.NaN));
            }
            try (PixelOpRunner pool = PixelOpRunner.javaThreadPool(new BlurGamma(), PARAMS)) {
                sink.accept(BenchResult.batch("java-op blur+gamma", shape, "aparapi java thread pool", BenchDevice.host(), 1, msPerImage(() -> pool.apply(image), images), Double.NaN));
            }
            try (PixelOpRunner seq = PixelOpRunner.plainJava(new BlurGamma(), PARAMS)) {
                sink.accept(BenchResult.batch("java-op blur+gamma", shape, "aparapi java sequential", BenchDevice.host(), 1, msPerImage(() -> seq.apply(image), images), Double.NaN));
            }
            sink.accept(BenchResult.batch("java-op blur+gamma", shape, "hand-written java loop (anchor)", BenchDevice.host(), 1, msPerImage(() -> javaLoop(image), images), Double.NaN));
        }
    }

    /** Warm-up (Aparapi translates and builds on the first execute), then the mean over {@code images}. */
    private static double msPerImage(Runnable work, int images) {
        work.run();
        work.run();
        long start = System.nanoTime();
        for (int i = 0; i < images; i++) work.run();
        return (System.nanoTime() - start) / 1e6 / images;
    }

    /** The same op as plain Java on one thread. */
    static ImageData javaLoop(ImageData image) {
        float[] in = image.toFloatHwc();
        int w = image.width();
        int h = image.height();
        int ch = image.channels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < ch; c++) {
                    float sum = 0f;
                    int n = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h) {
                                sum += in[((y + dy) * w + x + dx) * ch + c];
                                n++;
                            }
                        }
                    }
                    int i = (y * w + x) * ch + c;
                    float v = (float) Math.exp(PARAMS[0] * Math.log(Math.max(in[i] + PARAMS[1] * (sum / n - in[i]), 1e-6f)));
                    out[i] = (byte) Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
                }
            }
        }
        return new ImageData(w, h, ch, out);
    }
}
