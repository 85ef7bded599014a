package dev.clpipe.cl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code manifest.json} of an offline kernel folder: which device and driver the binaries are
 * for, and for each binary its kernel file, source hash, options and checksum.
 */
public record OfflineManifest(int format, Target device, List<Entry> programs) {
    public static final int FORMAT = 1;
    public static final String FILE_NAME = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Target(String platform, String name, String driver) {
        static Target of(ClDevice device) {
            return new Target(device.platformName(), device.name(), device.driverVersion());
        }

        boolean matches(ClDevice device) {
            return equals(of(device));
        }
    }

    public record Entry(String file, String sourceHash, String options, String binary, String sha256) {}

    public void write(Path folder) throws IOException {
        JSON.writeValue(folder.resolve(FILE_NAME).toFile(), this);
    }

    public static OfflineManifest read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        try {
            OfflineManifest manifest = JSON.readValue(file.toFile(), OfflineManifest.class);
            if (manifest.format() != FORMAT || manifest.device() == null || manifest.programs() == null) {
                throw new ClException(file + ": not a clpipe kernel manifest of format " + FORMAT);
            }
            return manifest;
        } catch (IOException e) {
            throw new ClException("cannot read kernel manifest " + file + ": " + e.getMessage(), e);
        }
    }
}
