package dev.clpipe.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * Decoded-sample cache of a {@link LabelledFolder}: every image decoded once (on the worker pool,
 * with the safe {@link ImageDecoder}), fitted to a {@link SampleFormat} and written as fixed-size
 * uint8 samples into shard files ({@code shard-NNNNN.bin}, {@code samplesPerShard} samples each,
 * in entry order) that later epochs read memory-mapped ({@link CachedSamples}).
 *
 * <p>{@code manifest.json} records per shard a key (SHA-256 of the cache format, the sample
 * format, the decoder limits and each entry's name, label, size and mtime) and the CRC-32 of its
 * bytes. Opening checks both: a shard whose key differs is stale (files added, changed or
 * relabelled), one whose bytes do not match is damaged; either is rebuilt with a warning, never
 * trusted. Files the decoder refuses leave a zero slot, are listed in the shard's manifest entry
 * and reported to the {@link SkippedReport} on every open; training never sees them. Memory:
 * one chunk of decoded samples while building, nothing while reading (the shards are mapped).
 * A cache made {@link #withSourceSizes} also keeps each image's size before fitting (what
 * annotated boxes need to follow the image into the frame).
 */
public final class SampleCache {
    public static final String FORMAT = "clpipe-sample-cache/1";
    private static final long SHARD_BYTES = 32L << 20;
    private static final int CHUNK = 256;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the cache tells what it did. */
    public interface Listener {
        void warn(String message);

        default void decoded(int files) {}
    }

    /** What opening did: shards reused, built for the first time, rebuilt as stale or damaged. */
    public record Report(Path folder, int shards, int reused, int built, int stale, int damaged, long skipped, double seconds) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("folder", folder.toString());
            m.put("shards", shards);
            m.put("reused_shards", reused);
            m.put("built_shards", built);
            m.put("stale_shards", stale);
            m.put("damaged_shards", damaged);
            m.put("skipped_files", skipped);
            m.put("seconds", seconds);
            return m;
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> OPENERS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path folder;
    private final SampleFormat format;
    private final ImageDecoder decoder;
    private final ExecutorService pool;
    private final int samplesPerShard;
    private final String settings;
    private final Path dataRoot;
    private final String name;
    private final Path cacheRoot;
    private final boolean sourceSizes;

    /** The cache of {@code dataRoot} split {@code name} under {@code cacheRoot}, one folder per (data root, settings). */
    public SampleCache(Path cacheRoot, String name, Path dataRoot, SampleFormat format, ImageDecoder decoder, ExecutorService pool) {
        this(cacheRoot, name, dataRoot, format, decoder, pool, (int) Math.max(1, Math.min(16384, SHARD_BYTES / format.bytes())));
    }

    public SampleCache(Path cacheRoot, String name, Path dataRoot, SampleFormat format, ImageDecoder decoder, ExecutorService pool, int samplesPerShard) {
        this(cacheRoot, name, dataRoot, format, decoder, pool, samplesPerShard, false);
    }

    private SampleCache(Path cacheRoot, String name, Path dataRoot, SampleFormat format, ImageDecoder decoder, ExecutorService pool, int samplesPerShard,
                        boolean sourceSizes) {
        if (samplesPerShard < 1) throw new IllegalArgumentException("samples per shard must be >= 1, got " + samplesPerShard);
        this.format = format;
        this.decoder = decoder;
        this.pool = pool;
        this.samplesPerShard = samplesPerShard;
        ImageDecoder.Options o = decoder.options();
        this.settings = FORMAT + "|" + format + "|bilinear|" + o.maxPixels() + "|" + o.maxSide() + "|" + o.maxFileBytes() + "|" + samplesPerShard
                + (sourceSizes ? "|source-sizes" : "");
        this.cacheRoot = cacheRoot;
        this.name = name;
        this.dataRoot = dataRoot;
        this.sourceSizes = sourceSizes;
        String where = dataRoot.toAbsolutePath().normalize() + "|" + name + "|" + settings;
        this.folder = cacheRoot.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + sha256(where).substring(0, 16));
    }

    /** The same cache that also records each image's width and height before fitting ({@link CachedSamples#sourceWidth}); its own folder. */
    public SampleCache withSourceSizes() {
        return new SampleCache(cacheRoot, name, dataRoot, format, decoder, pool, samplesPerShard, true);
    }

    public Path folder() {
        return folder;
    }

    public SampleFormat format() {
        return format;
    }

    /** {@code sizes}: "WxH" per sample, space-separated ("0x0" for a skipped file), when source sizes are recorded; else null. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    private record Shard(String file, int first, int count, String key, long crc32, List<Map<String, Object>> skipped, String sizes) {}

    private record Manifest(String format, String sample_format, int samples_per_shard, List<Shard> shards) {}

    /**
     * Opens the cache for {@code data}, building what is missing, stale or damaged. One opener per
     * cache folder at a time, across threads and processes (an OS lock on {@code .lock}, released
     * when a process dies): two runs of one split would otherwise write the same shard files, and a
     * later opener reuses what the first one built.
     */
    public CachedSamples open(LabelledFolder data, SkippedReport skipped, Listener listener) throws IOException {
        Files.createDirectories(folder);
        synchronized (OPENERS.computeIfAbsent(folder.toAbsolutePath().normalize(), f -> new Object())) {
            try (FileChannel lockFile = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                java.nio.channels.FileLock lock = lockFile.tryLock();
                if (lock == null) {
                    listener.warn("sample cache " + folder + " is being built by another process; waiting for it");
                    lock = lockFile.lock();
                }
                try (java.nio.channels.FileLock held = lock) {
                    return openLocked(data, skipped, listener);
                }
            }
        }
    }

    private CachedSamples openLocked(LabelledFolder data, SkippedReport skipped, Listener listener) throws IOException {
        long t0 = System.nanoTime();
        List<Shard> old = readManifest(listener);
        int n = data.count(), shards = (n + samplesPerShard - 1) / samplesPerShard;
        List<Shard> now = new ArrayList<>();
        int reused = 0, built = 0, stale = 0, damaged = 0;
        long skippedFiles = 0;
        for (int i = 0; i < shards; i++) {
            int first = i * samplesPerShard, count = Math.min(samplesPerShard, n - first);
            List<LabelledFolder.Entry> part = data.entries().subList(first, first + count);
            String key = key(part);
            Shard previous = i < old.size() ? old.get(i) : null;
            Shard shard = null;
            if (previous != null && previous.key().equals(key)) {
                if (intact(previous)) {
                    shard = previous;
                    reused++;
                } else {
                    damaged++;
                    listener.warn("sample cache " + folder.resolve(previous.file()) + " is damaged (size or CRC-32 mismatch); rebuilding it");
                }
            } else if (previous != null) {
                stale++;
            }
            if (shard == null) {
                shard = build(i, first, part, key, listener);
                if (previous == null) built++;
            } else {
                listener.decoded(count);
            }
            for (Map<String, Object> s : shard.skipped()) {
                skipped.add(String.valueOf(s.get("file")), String.valueOf(s.get("reason")), String.valueOf(s.get("message")));
            }
            skippedFiles += shard.skipped().size();
            now.add(shard);
            List<Shard> written = new ArrayList<>(now);
            if (i + 1 < old.size()) written.addAll(old.subList(i + 1, old.size()));
            if (shard != previous) writeManifest(written);
        }
        if (old.size() > shards || now.size() != old.size()) writeManifest(now);
        for (int i = shards; i < old.size(); i++) Files.deleteIfExists(folder.resolve(old.get(i).file()));
        if (stale > 0) listener.warn(stale + " of " + shards + " sample-cache shard(s) in " + folder + " were stale (images added, changed or relabelled) and were rebuilt");
        double seconds = (System.nanoTime() - t0) / 1e9;
        Report report = new Report(folder, shards, reused, built, stale, damaged, skippedFiles, seconds);
        int[] sizes = sourceSizes ? sizes(now, n) : null;
        return CachedSamples.map(folder, now.stream().map(Shard::file).toList(), samplesPerShard, format, data, skippedIndices(now), report, sizes);
    }

    /** Width and height of every entry, back to back. */
    private static int[] sizes(List<Shard> shards, int n) throws IOException {
        int[] out = new int[2 * n];
        for (Shard s : shards) {
            String[] f = s.sizes() == null ? new String[0] : s.sizes().isEmpty() ? new String[0] : s.sizes().split(" ");
            if (f.length != s.count()) throw new IOException("sample cache shard " + s.file() + " lists " + f.length + " image sizes for " + s.count() + " samples");
            for (int k = 0; k < f.length; k++) {
                int x = f[k].indexOf('x');
                out[2 * (s.first() + k)] = Integer.parseInt(f[k].substring(0, x));
                out[2 * (s.first() + k) + 1] = Integer.parseInt(f[k].substring(x + 1));
            }
        }
        return out;
    }

    private static java.util.Set<Integer> skippedIndices(List<Shard> shards) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (Shard s : shards) for (Map<String, Object> e : s.skipped()) out.add(((Number) e.get("index")).intValue());
        return out;
    }

    private Shard build(int index, int first, List<LabelledFolder.Entry> part, String key, Listener listener) throws IOException {
        String name = String.format("shard-%05d.bin", index);
        Path partial = folder.resolve(name + ".partial");
        CRC32 crc = new CRC32();
        List<Map<String, Object>> skipped = new ArrayList<>();
        StringBuilder sizes = new StringBuilder();
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (int from = 0; from < part.size(); from += CHUNK) {
                List<Future<Object>> decoded = new ArrayList<>();
                for (LabelledFolder.Entry e : part.subList(from, Math.min(part.size(), from + CHUNK))) decoded.add(pool.submit(() -> decode(e)));
                ByteBuffer chunk = ByteBuffer.allocate(decoded.size() * format.bytes());
                for (int k = 0; k < decoded.size(); k++) {
                    Object r = result(decoded.get(k));
                    if (!sizes.isEmpty()) sizes.append(' ');
                    if (r instanceof Fitted fitted) {
                        chunk.put(fitted.pixels());
                        sizes.append(fitted.sourceWidth()).append('x').append(fitted.sourceHeight());
                    } else {
                        sizes.append("0x0");
                        ImageRejectedException e = (ImageRejectedException) r;
                        Map<String, Object> s = new LinkedHashMap<>();
                        s.put("index", first + from + k);
                        s.put("file", e.file());
                        s.put("reason", e.reason().code());
                        s.put("message", e.detail());
                        skipped.add(s);
                        chunk.position(chunk.position() + format.bytes());
                    }
                }
                chunk.flip();
                crc.update(chunk.duplicate());
                while (chunk.hasRemaining()) out.write(chunk);
                listener.decoded(decoded.size());
            }
            out.force(false);
        }
        Files.move(partial, folder.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Shard(name, first, part.size(), key, crc.getValue(), skipped, sourceSizes ? sizes.toString() : null);
    }

    private record Fitted(byte[] pixels, int sourceWidth, int sourceHeight) {}

    /** The fitted pixels of one file with its size before fitting, or the decoder's refusal. */
    private Object decode(LabelledFolder.Entry e) {
        try {
            ImageData image = decoder.decode(e.absolute(), e.file()).image();
            return new Fitted(format.fit(image).pixels(), image.width(), image.height());
        } catch (ImageRejectedException rejected) {
            return rejected;
        }
    }

    private static Object result(Future<Object> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while decoding into the sample cache");
        } catch (ExecutionException e) {
            throw new IOException("decoding into the sample cache failed: " + e.getCause(), e.getCause());
        }
    }

    private boolean intact(Shard s) throws IOException {
        Path file = folder.resolve(s.file());
        long expected = (long) s.count() * format.bytes();
        if (!Files.isRegularFile(file) || Files.size(file) != expected) return false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, expected);
            CRC32 crc = new CRC32();
            crc.update(map);
            return crc.getValue() == s.crc32();
        }
    }

    private List<Shard> readManifest(Listener listener) {
        Path file = folder.resolve("manifest.json");
        if (!Files.isRegularFile(file)) return List.of();
        try {
            Manifest m = JSON.readValue(file.toFile(), Manifest.class);
            if (FORMAT.equals(m.format()) && format.toString().equals(m.sample_format()) && m.samples_per_shard() == samplesPerShard && m.shards() != null) {
                return m.shards();
            }
            listener.warn("sample cache " + folder + " was written by another version or for other settings (" + m.format() + ", " + m.sample_format()
                    + "); rebuilding it");
        } catch (IOException | RuntimeException e) {
            listener.warn("sample cache manifest " + file + " is unreadable (" + e.getMessage() + "); rebuilding the cache");
        }
        return List.of();
    }

    private void writeManifest(List<Shard> shards) throws IOException {
        Manifest m = new Manifest(FORMAT, format.toString(), samplesPerShard, shards);
        AtomicFiles.write(folder.resolve("manifest.json"), true, (OutputStream out) -> JSON.writeValue(out, m));
    }

    private String key(List<LabelledFolder.Entry> part) {
        StringBuilder sb = new StringBuilder(settings).append('\n');
        for (LabelledFolder.Entry e : part) {
            sb.append(e.file()).append('\0').append(e.label()).append('\0').append(e.bytes()).append('\0').append(e.modifiedMillis()).append('\n');
        }
        return sha256(sb.toString());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this Java runtime", e);
        }
    }
}
