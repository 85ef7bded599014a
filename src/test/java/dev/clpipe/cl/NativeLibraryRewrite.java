package dev.clpipe.cl;

import com.sun.jna.NativeLibrary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reproduces the executor crash of issue 16 (SIGSEGV in ld-linux under clGetPlatformIDs): opens
 * OpenCL the way clpipe does and runs a kernel, prints the JOCL library file this process mapped,
 * then waits for a line on stdin. Meanwhile the caller rewrites the shared, fixed-name copy
 * ({@code java.io.tmpdir/libJOCL_2_0_6-linux-x86_64.so}) in place, as a second JVM's JOCL does
 * when both find it missing at once (Spark executors starting together on one tmpdir). The
 * truncation drops this process's relocated pages of the library (the kernel discards even
 * private copy-on-write pages of a truncated file), so its dynamic section reads back
 * unrelocated and the next library loaded by name ({@code dlopen} walks every loaded object's
 * soname) dies in {@code strcmp}. The last step loads a library by name, as ocl-icd does for
 * PoCL and JNA does for libturbojpeg. Prints {@code survived} and exits 0 when the mapped copy is
 * private to this process. With {@code -Dbarrier=FILE} it first waits for FILE to exist, so several
 * JVMs load the library at the same moment (the natural race).
 * Usage: {@code java -cp CLASSPATH dev.clpipe.cl.NativeLibraryRewrite [LIBRARY]}.
 */
public final class NativeLibraryRewrite {
    private NativeLibraryRewrite() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String next = args.length > 0 ? args[0] : "turbojpeg";
        String barrier = System.getProperty("barrier"); // several JVMs open OpenCL at the same moment
        if (barrier != null) {
            System.out.println("waiting");
            System.out.flush();
            while (!Files.exists(Path.of(barrier))) Thread.sleep(1);
        }
        ClRuntime runtime = ClRuntime.standard();
        try (ClContext context = runtime.openOne("auto")) {
            String error = SelfTest.kernelError(context, 4099);
            if (error != null) throw new IllegalStateException(error);
        }
        System.out.println("mapped " + mappedJocl());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        NativeLibrary.getInstance(next); // dlopen by name: reads every loaded object's soname
        try (ClContext context = ClRuntime.standard().openOne("auto")) {
            String error = SelfTest.kernelError(context, 4099);
            if (error != null) throw new IllegalStateException(error);
        }
        System.out.println("survived");
    }

    /** The path of the JOCL library mapped into this process (Linux). */
    static String mappedJocl() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("libJOCL_"))
                .map(l -> l.substring(l.indexOf('/')))
                .findFirst()
                .orElse("none");
    }
}
