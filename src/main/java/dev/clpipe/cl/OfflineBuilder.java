package dev.clpipe.cl;

import static org.jocl.CL.clReleaseProgram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocl.cl_program;

/** Writes binaries plus {@code manifest.json} for one device: {@code clpipe kernels build}. */
public final class OfflineBuilder {
    private OfflineBuilder() {}

    public static OfflineManifest build(ClContext context, List<ProgramSpec> specs, Path out) throws IOException {
        Files.createDirectories(out);
        List<OfflineManifest.Entry> entries = new ArrayList<>();
        for (ProgramSpec spec : specs) {
            KernelSource source = KernelSource.load(spec.file());
            cl_program program = ProgramBuilds.fromSource(context, source, spec.options());
            try {
                byte[] binary = ProgramBuilds.binary(program);
                String name = spec.file().replace(".cl", "") + "-"
                        + ProgramKey.of(source, spec.options(), context.device()).digest().substring(0, 16) + ".bin";
                Files.write(out.resolve(name), binary);
                entries.add(new OfflineManifest.Entry(spec.file(), source.sha256(), spec.options(), name, KernelSource.sha256(binary)));
            } finally {
                clReleaseProgram(program);
            }
        }
        OfflineManifest manifest = new OfflineManifest(OfflineManifest.FORMAT, OfflineManifest.Target.of(context.device()), entries);
        manifest.write(out);
        return manifest;
    }
}
