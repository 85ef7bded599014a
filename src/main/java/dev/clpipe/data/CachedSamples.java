package dev.clpipe.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The readable samples of a {@link SampleCache}: shard files mapped read-only, so a sample is a
 * copy out of the page cache (memory speed once the file is cached, nothing held on the Java
 * heap). Sample {@code i} counts only the files that decoded; refused ones are left out.
 * Thread-safe: reads use absolute positions only.
 */
public final class CachedSamples {
    private final SampleFormat format;
    private final List<MappedByteBuffer> shards;
    private final int samplesPerShard;
    private final int[] entry;
    private final int[] labels;
    private final LabelledFolder data;
    private final SampleCache.Report report;
    private final int[] sizes;

    private CachedSamples(SampleFormat format, List<MappedByteBuffer> shards, int samplesPerShard, int[] entry, int[] labels,
                          LabelledFolder data, SampleCache.Report report, int[] sizes) {
        this.sizes = sizes;
        this.format = format;
        this.shards = shards;
        this.samplesPerShard = samplesPerShard;
        this.entry = entry;
        this.labels = labels;
        this.data = data;
        this.report = report;
    }

    static CachedSamples map(Path folder, List<String> files, int samplesPerShard, SampleFormat format, LabelledFolder data, Set<Integer> skipped,
                             SampleCache.Report report, int[] sizes) throws IOException {
        List<MappedByteBuffer> shards = new ArrayList<>();
        for (String f : files) {
            try (FileChannel ch = FileChannel.open(folder.resolve(f), StandardOpenOption.READ)) {
                shards.add(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
            }
        }
        int n = data.count() - skipped.size();
        int[] entry = new int[n];
        int[] labels = new int[n];
        for (int i = 0, k = 0; i < data.count(); i++) {
            if (skipped.contains(i)) continue;
            entry[k] = i;
            labels[k++] = data.entries().get(i).label();
        }
        return new CachedSamples(format, shards, samplesPerShard, entry, labels, data, report, sizes);
    }

    /** Samples that decoded. */
    public int count() {
        return entry.length;
    }

    /** Label of every sample, in sample order (shared; do not change). */
    public int[] labels() {
        return labels;
    }

    public List<String> classes() {
        return data.classes();
    }

    public SampleFormat format() {
        return format;
    }

    public SampleCache.Report report() {
        return report;
    }

    /** The file of sample {@code i} (relative to its folder). */
    public String file(int i) {
        return data.entries().get(entry[i]).file();
    }

    /** The entry of {@code data} sample {@code i} came from (its index in the folder given to the cache). */
    public int entry(int i) {
        return entry[i];
    }

    /** Width of sample {@code i}'s image before it was fitted to the format (caches made {@link SampleCache#withSourceSizes} only). */
    public int sourceWidth(int i) {
        return sourceSize(i, 0);
    }

    public int sourceHeight(int i) {
        return sourceSize(i, 1);
    }

    private int sourceSize(int i, int k) {
        if (sizes == null) throw new IllegalStateException("this sample cache does not record image sizes (SampleCache.withSourceSizes)");
        return sizes[2 * entry[i] + k];
    }

    /** Copies sample {@code i} into {@code dst} at byte {@code offset} (dst's position is unchanged). */
    public void copy(int i, ByteBuffer dst, int offset) {
        int e = entry[i];
        dst.put(offset, shards.get(e / samplesPerShard), (e % samplesPerShard) * format.bytes(), format.bytes());
    }
}
