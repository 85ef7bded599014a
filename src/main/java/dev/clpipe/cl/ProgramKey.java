package dev.clpipe.cl;

import java.nio.charset.StandardCharsets;

/** What a compiled binary depends on: source, build options, platform, device and driver. */
public record ProgramKey(String file, String sourceHash, String options, String platform, String device, String driver) {
    static ProgramKey of(KernelSource source, String options, ClDevice device) {
        return new ProgramKey(source.file(), source.sha256(), options, device.platformName(), device.name(), device.driverVersion());
    }

    /** A file-name-safe digest of every field. */
    public String digest() {
        String joined = String.join("\n", file, sourceHash, options, platform, device, driver);
        return KernelSource.sha256(joined.getBytes(StandardCharsets.UTF_8));
    }
}
