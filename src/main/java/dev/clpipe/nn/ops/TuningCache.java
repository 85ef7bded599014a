package dev.clpipe.nn.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.cl.ClDevice;
import dev.clpipe.tensor.Checksums;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Tuned choices per device as JSON beside the kernel binaries: {@code $CLPIPE_CACHE/tuning/
 * <device-digest>.json} (digest of platform, device name, driver version). A device without an
 * entry, or with an unreadable one, gets the device-type default.
 */
public final class TuningCache {
    private static final Logger LOG = LogManager.getLogger(TuningCache.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path folder;

    public TuningCache(Path folder) {
        this.folder = folder;
    }

    public static TuningCache standard() {
        String env = System.getenv("CLPIPE_CACHE");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "clpipe");
        return new TuningCache(root.resolve("tuning"));
    }

    public Path fileFor(ClDevice device) {
        return folder.resolve(digest(device) + ".json");
    }

    public TuningChoice choiceFor(ClDevice device) {
        Path file = fileFor(device);
        if (Files.isRegularFile(file)) {
            try {
                return JSON.readValue(file.toFile(), TuningChoice.class);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("ignoring unreadable tuning file {}: {}", file, e.getMessage());
            }
        }
        return TuningChoice.defaultFor(OpVariant.defaultFor(device));
    }

    public void store(ClDevice device, TuningChoice choice) throws IOException {
        Files.createDirectories(folder);
        Path file = fileFor(device);
        Path tmp = Files.createTempFile(folder, ".tmp-", ".json");
        JSON.writeValue(tmp.toFile(), choice);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String digest(ClDevice device) {
        String key = device.platformName() + "\n" + device.name() + "\n" + device.driverVersion();
        byte[] hash = Checksums.sha256Digest().digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 8);
    }
}
