package dev.clpipe.pipeline;

import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigDiff;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.Origin;
import dev.clpipe.data.AtomicFiles;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run's hold on its run folder, taken before anything in it is touched: the folder is locked
 * (a second run or resume exits 2 naming the holder); a resume must bring the config the folder
 * recorded (exit 2 listing the differing keys, unless forced: then the new config is recorded and
 * the forced keys go to run.json); temp files a killed process left behind are removed.
 */
final class RunFolderHold implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RunFolderHold.class);
    /** Keys a resume may change: where runs go does not matter once the folder is chosen. */
    private static final Set<String> FREE_KEYS = Set.of("out");

    private final RunLock lock;

    private RunFolderHold(RunLock lock) {
        this.lock = lock;
    }

    /** {@code config}: the complete config (what config.yaml holds); {@code asWritten}: the file's own, for folders of older versions. */
    static RunFolderHold take(RunFolder folder, Config config, Config asWritten, boolean forceConfig, PipelineRun.RunRecord record) throws IOException {
        RunLock lock = RunLock.acquire(folder.path());
        try {
            if (folder.resumed()) checkConfig(folder, config, asWritten, forceConfig, record);
            int removed = AtomicFiles.removeStaleTemps(folder.path());
            if (removed > 0) LOG.info("removed {} temp file(s) left by an earlier process", removed);
            return new RunFolderHold(lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static void checkConfig(RunFolder folder, Config config, Config asWritten, boolean force, PipelineRun.RunRecord record) {
        java.nio.file.Path recordedFile = folder.file("config.yaml");
        Config recorded = Config.load(recordedFile);
        List<String> keys = ConfigDiff.keys(recorded.tree(), config.tree(), FREE_KEYS);
        if (keys.isEmpty() || ConfigDiff.keys(recorded.tree(), asWritten.tree(), FREE_KEYS).isEmpty()) return;
        if (!force) {
            throw new ConfigException(Origin.ofFile(recordedFile), "", "--resume with a config that differs from the run's in "
                    + String.join(", ", keys) + "; resume with the same file and options, or add --force-config to accept the mix");
        }
        LOG.warn("--force-config: resuming with a config that differs in {}", String.join(", ", keys));
        config.write(recordedFile);
        record.configForced(keys);
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
