package dev.clpipe.cl;

import static org.jocl.CL.*;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * Reproduces the native crash of issue 16 in seconds: compiles a fresh OpenCL program again and
 * again (so the driver's LLVM runs and installs its signal handlers) while other threads spin in
 * compiled loops and a GC thread forces safepoints, whose polls trap with SIGSEGV in every thread.
 * Without signal chaining the process dies with SIGSEGV (exit 139, no crash log) or builds fail
 * because LLVM's handler deleted the compiler's temporary files; with libjsig preloaded it
 * prints {@code survived builds=N failed=0} and exits 0.
 * Usage: {@code java -cp CLASSPATH dev.clpipe.cl.SignalHandlerStress SECONDS [SPINNERS]}.
 */
public final class SignalHandlerStress {
    private static volatile boolean stop;
    private static volatile long sink;

    private SignalHandlerStress() {}

    public static void main(String[] args) {
        long seconds = Long.parseLong(args[0]);
        int spinners = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Result result = run(seconds, spinners);
        System.out.println("signal chaining " + (SignalChaining.active() ? "on" : "off") + ": survived builds=" + result.builds
                + " failed=" + result.failed + (result.firstError == null ? "" : " first error: " + result.firstError));
        System.exit(result.failed == 0 ? 0 : 1);
    }

    record Result(int builds, int failed, String firstError) {}

    static Result run(long seconds, int spinners) {
        CL.setExceptionsEnabled(true);
        cl_platform_id[] platform = new cl_platform_id[1];
        clGetPlatformIDs(1, platform, null);
        cl_device_id[] device = new cl_device_id[1];
        clGetDeviceIDs(platform[0], CL_DEVICE_TYPE_ALL, 1, device, null);
        cl_context context = clCreateContext(null, 1, device, null, null, null);
        cl_command_queue queue = clCreateCommandQueueWithProperties(context, device[0], null, null);
        for (int i = 0; i < spinners; i++) daemon(SignalHandlerStress::spin);
        daemon(SignalHandlerStress::forceSafepoints);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long nonce = System.nanoTime(); // a new source each time: no driver cache may skip LLVM
        int builds = 0;
        int failed = 0;
        String firstError = null;
        try {
            while (System.nanoTime() < end) {
                String source = "__kernel void k(__global float* x) { int i = get_global_id(0); x[i] = x[i] * " + (nonce + builds)
                        + ".0f + 1.0f; }";
                cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
                builds++;
                try {
                    clBuildProgram(program, 0, null, null, null, null);
                } catch (CLException e) {
                    failed++;
                    if (firstError == null) firstError = e.getMessage().replace('\n', ' ');
                    clReleaseProgram(program);
                    continue;
                }
                launch(context, queue, program, 1L << (builds % 7)); // a new local size: PoCL generates a new work-group function
                clReleaseProgram(program);
            }
        } finally {
            stop = true;
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        }
        return new Result(builds, failed, firstError);
    }

    private static void launch(cl_context context, cl_command_queue queue, cl_program program, long local) {
        cl_kernel kernel = clCreateKernel(program, "k", null);
        cl_mem buffer = clCreateBuffer(context, CL_MEM_READ_WRITE, 64L * Sizeof.cl_float, null, null);
        try {
            clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(buffer));
            clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {64}, new long[] {local}, 0, null, null);
            clFinish(queue);
        } finally {
            clReleaseMemObject(buffer);
            clReleaseKernel(kernel);
        }
    }

    /** A compiled loop with a safepoint poll; the poll traps (SIGSEGV) whenever a safepoint is armed. */
    private static void spin() {
        long x = 0;
        while (!stop) {
            for (long k = 0; k < 1_000_000L; k++) x += k ^ (x >>> 3);
            sink += x + new Object[64].length;
        }
    }

    private static void forceSafepoints() {
        while (!stop) {
            System.gc();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void daemon(Runnable body) {
        Thread t = new Thread(body, "stress");
        t.setDaemon(true);
        t.start();
    }
}
