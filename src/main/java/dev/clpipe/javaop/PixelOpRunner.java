package dev.clpipe.javaop;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import dev.clpipe.cl.ClDevice;
import dev.clpipe.cl.ClException;
import dev.clpipe.data.ImageData;
import java.util.List;

/**
 * Runs a {@link PixelOp} on images through Aparapi, on the Aparapi OpenCL device that is the same
 * device clpipe selected, and says where each execution really ran: Aparapi silently moves a kernel
 * it cannot translate or build to a Java thread pool, which is refused ({@link ClException}, exit 3)
 * unless the fallback is allowed. Not thread-safe (one Aparapi kernel).
 */
public final class PixelOpRunner implements AutoCloseable {
    private static final java.util.Map<Class<?>, String> FALLBACKS = new java.util.concurrent.ConcurrentHashMap<>();
    private final PixelOp op;
    private final Device device;
    private final String name;
    private final boolean allowFallback;
    private final float[] params;
    private boolean ranOnDevice = true;
    private boolean compiled;

    private PixelOpRunner(PixelOp op, Device device, String name, boolean allowFallback, float[] params) {
        this.op = op;
        this.device = device;
        this.name = name;
        this.allowFallback = allowFallback;
        this.params = params.length == 0 ? new float[1] : params.clone();
    }

    /** On the OpenCL device Aparapi lists under the same platform and device name as {@code clDevice}. */
    public static PixelOpRunner onDevice(PixelOp op, ClDevice clDevice, boolean allowFallback, float[] params) {
        AparapiLog.install();
        List<OpenCLDevice> devices = OpenCLDevice.listDevices(null);
        OpenCLDevice match = devices.stream()
                .filter(d -> d.getName().equals(clDevice.name()) && d.getOpenCLPlatform().getName().equals(clDevice.platformName()))
                .findFirst()
                .orElseThrow(() -> new ClException("Aparapi does not list OpenCL device " + clDevice.describe() + "; it lists "
                        + devices.stream().map(d -> "\"" + d.getName() + "\" (" + d.getOpenCLPlatform().getName() + ")").toList()));
        return new PixelOpRunner(op, match, clDevice.describe(), allowFallback, params);
    }

    /** Plain Java (Aparapi's sequential Java device): the reference an OpenCL run is compared with. */
    public static PixelOpRunner plainJava(PixelOp op, float[] params) {
        AparapiLog.install();
        return new PixelOpRunner(op, JavaDevice.SEQUENTIAL, "plain Java", true, params);
    }

    /** Aparapi's Java thread pool, asked for: what a fallback runs on. */
    public static PixelOpRunner javaThreadPool(PixelOp op, float[] params) {
        AparapiLog.install();
        return new PixelOpRunner(op, JavaDevice.THREAD_POOL, "Aparapi's Java thread pool", true, params);
    }

    /** Applies the op to one image; the result has the image's size and channels. */
    public ImageData apply(ImageData image) {
        float[] in = image.toFloatHwc();
        float[] out = new float[in.length];
        op.bind(in, out, image.width(), image.height(), image.channels(), params);
        if (!compiled) compileOnce();
        try {
            op.execute(Range.create(device, in.length));
            checkWhereItRan();
        } catch (AssertionError alreadyFellBack) {
            // Aparapi remembers per class that its kernel fell back and then refuses a device given by hand.
            fellBack(FALLBACKS.getOrDefault(op.getClass(), "it fell back earlier in this process"));
            op.execute(Range.create(JavaDevice.THREAD_POOL, in.length));
        }
        byte[] pixels = new byte[out.length];
        for (int i = 0; i < out.length; i++) {
            float v = Float.isNaN(out[i]) ? 0f : Math.min(1f, Math.max(0f, out[i]));
            pixels[i] = (byte) Math.round(v * 255f);
        }
        return new ImageData(image.width(), image.height(), image.channels(), pixels);
    }

    /** Aparapi's own translation and build, whose exception says why a kernel would fall back. */
    private void compileOnce() {
        compiled = true;
        if (device instanceof JavaDevice) return;
        try {
            op.compile(device);
        } catch (CompileFailedException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            FALLBACKS.put(op.getClass(), String.valueOf(root.getMessage()));
            fellBack(String.valueOf(root.getMessage()));
        }
    }

    private void checkWhereItRan() {
        if (device instanceof JavaDevice || op.isRunningCL()) return;
        fellBack(FALLBACKS.getOrDefault(op.getClass(), ""));
    }

    private void fellBack(String reason) {
        String where = op.getClass().getName() + " did not run on " + name + " but on Aparapi's Java thread pool"
                + (reason.isEmpty() ? "" : " (" + reason + ")");
        if (!allowFallback) throw new ClException(where + "; fix the kernel (Aparapi translates primitives and arrays only) or set allow_java_fallback: true");
        ranOnDevice = false;
    }

    /** False once an execution fell back to Java (only possible when allowed). */
    public boolean ranOnDevice() {
        return ranOnDevice;
    }

    /** Where executions run: the device, or "plain Java". */
    public String deviceName() {
        return name;
    }

    @Override
    public void close() {
        op.dispose();
    }
}
