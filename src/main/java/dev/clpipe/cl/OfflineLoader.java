package dev.clpipe.cl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocl.cl_program;

/**
 * Loads programs only from a folder written by {@code clpipe kernels build}, never compiling:
 * the path for devices without a compiler (FPGA boards). Binaries for another device, from other
 * sources, or damaged are refused with the reason.
 */
public final class OfflineLoader implements ProgramLoader {
    private final Path folder;
    private final OfflineManifest manifest;

    public OfflineLoader(Path folder) {
        this.folder = folder;
        this.manifest = OfflineManifest.read(folder);
    }

    @Override
    public cl_program load(ClContext context, KernelSource source, String options) {
        ClDevice device = context.device();
        OfflineManifest.Target target = manifest.device();
        if (!target.matches(device)) {
            throw new ClException("kernel binaries in " + folder + " were built for \"" + target.name() + "\" (driver "
                    + target.driver() + ", " + target.platform() + "), not for " + device.describe() + " (driver "
                    + device.driverVersion() + "); rebuild them with: clpipe kernels build --device " + device.address()
                    + " --out " + folder);
        }
        OfflineManifest.Entry entry = manifest.programs().stream()
                .filter(e -> e.file().equals(source.file()) && e.options().equals(options))
                .findFirst()
                .orElseThrow(() -> new ClException("no binary of opencl/" + source.file()
                        + (options.isBlank() ? "" : " with options '" + options + "'") + " in " + folder
                        + "; rebuild with 'clpipe kernels build'"));
        if (!entry.sourceHash().equals(source.sha256())) {
            throw new ClException("the binary of opencl/" + source.file() + " in " + folder
                    + " was built from other sources than this clpipe's; rebuild with 'clpipe kernels build'");
        }
        byte[] binary = read(entry);
        cl_program program = ProgramBuilds.fromBinary(context, binary, options, source.file());
        if (program == null) {
            throw new ClException("the driver refused the binary " + folder.resolve(entry.binary()) + " for " + device.describe());
        }
        ProgramStats.countOfflineLoad();
        return program;
    }

    private byte[] read(OfflineManifest.Entry entry) {
        Path file = folder.resolve(entry.binary()).normalize();
        if (!file.startsWith(folder.normalize())) {
            throw new ClException("kernel manifest in " + folder + " points outside its folder: " + entry.binary());
        }
        try {
            byte[] binary = Files.readAllBytes(file);
            if (!KernelSource.sha256(binary).equals(entry.sha256())) {
                throw new ClException("kernel binary " + file + " is damaged (checksum mismatch); rebuild with 'clpipe kernels build'");
            }
            return binary;
        } catch (IOException e) {
            throw new ClException("cannot read kernel binary " + file + ": " + e.getMessage(), e);
        }
    }
}
