package dev.clpipe.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A little disk space held in the run folder from the start and given back just before the
 * closing records (run.json, skipped.csv, metrics.json) are written, so a disk that filled up
 * during the run still gets them: a run must never be left saying {@code running}.
 */
final class SpaceReserve {
    private static final Logger LOG = LogManager.getLogger(SpaceReserve.class);
    static final String NAME = ".clpipe-reserve";
    private static final int BYTES = 256 * 1024;
    private final Path file;

    private SpaceReserve(Path file) {
        this.file = file;
    }

    /** Claims the space (written, not sparse); a disk too full for it gets a warning, not a failure. */
    static SpaceReserve claim(RunFolder folder) {
        Path file = folder.file(NAME);
        try {
            Files.write(file, new byte[BYTES]);
        } catch (IOException e) {
            LOG.warn("could not reserve {} KiB for the run's closing records in {}: {}", BYTES / 1024, folder.path(), e.getMessage());
        }
        return new SpaceReserve(file);
    }

    void release() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", file, e.getMessage());
        }
    }
}
