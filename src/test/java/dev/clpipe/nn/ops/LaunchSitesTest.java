package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kernels are launched only from {@code nn/ops} (and {@code cl}): every compiled class elsewhere
 * is read and fails the test if its constant pool refers to a kernel launch, a kernel lookup or
 * the launch helper ({@code ClKernel.launch}/{@code launchTimed}, {@code ClProgram.kernel},
 * {@code ClContext.program}, {@code KernelLauncher}). Bytecode rather than sources, so no
 * spelling, alias or lambda hides a launch.
 */
class LaunchSitesTest {
    /** What may still launch outside nn/ops (nothing now: keep the hook for a change in flight). */
    static final Set<String> ALLOWED = Set.of();

    private static final Path CLASSES = Path.of("target", "classes", "dev", "clpipe");

    @Test
    void onlyOpsAndClLaunchKernels() throws IOException {
        Set<String> offenders = new TreeSet<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = Path.of("target", "classes").relativize(file).toString().replace('\\', '/');
                String owner = name.substring(0, name.length() - ".class".length()).replaceAll("\\$.*", "");
                if (owner.startsWith("dev/clpipe/nn/ops/") || owner.startsWith("dev/clpipe/cl/")) continue;
                scanned++;
                List<String> refs;
                try (InputStream in = Files.newInputStream(file)) {
                    refs = launchReferences(in);
                }
                if (!refs.isEmpty() && !ALLOWED.contains(owner)) offenders.add(owner + " " + refs);
            }
        }
        assertTrue(scanned > 500, "only " + scanned + " classes found under " + CLASSES.toAbsolutePath() + "; run after compile");
        assertEquals(Set.of(), offenders, "kernels launched outside nn/ops: move the launch into an op");
    }

    @Test
    void theAllowListHoldsOnlyClassesThatStillLaunch() throws IOException {
        for (String owner : ALLOWED) {
            try (InputStream in = Files.newInputStream(Path.of("target", "classes", owner + ".class"))) {
                assertTrue(!launchReferences(in).isEmpty(), owner + " no longer launches kernels: drop it from ALLOWED");
            }
        }
    }

    @Test
    void theScannerSeesALaunch() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "dev", "clpipe", "nn", "ops", "Add.class"))) {
            assertTrue(launchReferences(in).contains("dev/clpipe/cl/KernelLauncher.launch"));
        }
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "dev", "clpipe", "nn", "ops", "ChannelSums.class"))) {
            assertTrue(launchReferences(in).contains("dev/clpipe/cl/ClKernel.launch"));
        }
    }

    /** Method references of a class file's constant pool that launch or look up kernels. */
    static List<String> launchReferences(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        int[][] refs = new int[count][];
        int[][] nameAndTypes = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 9, 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nameAndTypes[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt();
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> found = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (refs[i] == null) continue;
            String owner = utf8[classNames[refs[i][0]]];
            String method = utf8[nameAndTypes[refs[i][1]][0]];
            boolean launch = owner.equals("dev/clpipe/cl/ClKernel") && (method.equals("launch") || method.equals("launchTimed"))
                    || owner.equals("dev/clpipe/cl/ClProgram") && method.equals("kernel")
                    || owner.equals("dev/clpipe/cl/ClContext") && method.equals("program")
                    || owner.equals("dev/clpipe/cl/KernelLauncher");
            if (launch) found.add(owner + "." + method);
        }
        return found;
    }
}
