package dev.clpipe.nn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.tensor.Checksums;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Frozen-layer features computed once and kept on disk: {@code ROOT/KEY/} holds
 * {@code features.npy} (float [count, width]), {@code labels.npy} and {@code meta.json} (key,
 * count, shape, CRC-32C of both files). The key hashes what the features depend on: the frozen
 * layers' specs and weight values (so a different checkpoint is a different key), the dataset's
 * bytes and labels, and the normalisation. An entry is used only when its meta.json names the
 * key and both checksums ({@link Checksums#crc32c(Path)}: a damaged or truncated entry; the key, not
 * the checksum, guards against stale data) match; a corrupt or foreign entry is rebuilt, and the result says why.
 */
public final class FeatureCache {
    static final String FORMAT = "clpipe-features/2";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The features and how they were obtained ("cache hit", "built", "rebuilt: REASON"). */
    public record Result(Features features, String how, Path folder) {}

    private final Path root;

    public FeatureCache(Path root) {
        this.root = root;
    }

    /** {@code $CLPIPE_CACHE/features}, else {@code ~/.cache/clpipe/features}. */
    public static Path standardRoot() {
        String env = System.getenv("CLPIPE_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "clpipe");
        return base.resolve("features");
    }

    /** The cache key of {@code net}'s frozen layers (specs and current weights) applied to {@code data} normalised with mean/std. */
    public static String key(Network net, Dataset data, float mean, float std) {
        MessageDigest d = Checksums.sha256Digest();
        int k = net.frozenLayers();
        update(d, FORMAT + "|" + net.spec().input() + "|" + k + "|" + net.spec().layers().subList(0, k) + "|" + mean + "|" + std);
        for (Param p : net.paramsOf(0, k)) {
            update(d, p.name() + java.util.Arrays.toString(p.shape()));
            float[] v = p.value().readFloats(net.context().queue());
            ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            d.update(b.array());
        }
        update(d, data.shape() + "|" + data.count());
        d.update(data.images());
        ByteBuffer labels = ByteBuffer.allocate(data.count() * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        labels.asIntBuffer().put(data.labels());
        d.update(labels.array());
        return HexFormat.of().formatHex(d.digest()).substring(0, 32);
    }

    /** The entry for {@code key}, built with {@code build} (and stored) when absent or invalid. */
    public Result get(String key, Supplier<Features> build) throws IOException {
        Path folder = root.resolve(key);
        String reason = null;
        if (Files.isDirectory(folder)) {
            try {
                return new Result(read(folder, key), "cache hit", folder);
            } catch (IOException | RuntimeException e) {
                reason = e.getMessage();
            }
        }
        Features f = build.get();
        write(folder, key, f);
        return new Result(f, reason == null ? "built" : "rebuilt: " + reason, folder);
    }

    @SuppressWarnings("unchecked")
    static Features read(Path folder, String key) throws IOException {
        Path metaFile = folder.resolve("meta.json");
        if (!Files.isRegularFile(metaFile)) throw new IOException(folder + " has no meta.json (an interrupted write?)");
        Map<String, Object> meta = JSON.readValue(metaFile.toFile(), Map.class);
        if (!FORMAT.equals(meta.get("format")) || !key.equals(meta.get("key"))) {
            throw new IOException(metaFile + " is for key " + meta.get("key") + " (" + meta.get("format") + "), not " + key);
        }
        for (String file : List.of("features.npy", "labels.npy")) {
            String want = String.valueOf(meta.get(file));
            String got = Checksums.crc32c(folder.resolve(file));
            if (!want.equals(got)) throw new IOException(folder.resolve(file) + " is corrupt: checksum " + got + ", meta.json says " + want);
        }
        NpyArray values = Npy.read(folder.resolve("features.npy"));
        NpyArray labels = Npy.read(folder.resolve("labels.npy"));
        List<Integer> shape = (List<Integer>) meta.get("shape");
        Shape s = new Shape(shape.get(0), shape.get(1), shape.get(2));
        return new Features(values.data(), labels.toInts(), s);
    }

    private static void write(Path folder, String key, Features f) throws IOException {
        Files.createDirectories(folder.getParent());
        Path partial = folder.resolveSibling(key + ".partial");
        Checkpoints.deleteTree(partial);
        Files.createDirectories(partial);
        Npy.write(partial.resolve("features.npy"), new int[] {f.count(), f.shape().size()}, f.values());
        float[] labels = new float[f.count()];
        for (int i = 0; i < labels.length; i++) labels[i] = f.labels()[i];
        Npy.write(partial.resolve("labels.npy"), new int[] {f.count()}, labels);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("key", key);
        meta.put("count", f.count());
        meta.put("shape", List.of(f.shape().height(), f.shape().width(), f.shape().channels()));
        meta.put("features.npy", Checksums.crc32c(partial.resolve("features.npy")));
        meta.put("labels.npy", Checksums.crc32c(partial.resolve("labels.npy")));
        JSON.writeValue(partial.resolve("meta.json").toFile(), meta);
        Checkpoints.deleteTree(folder);
        Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void update(MessageDigest d, String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
    }

}
