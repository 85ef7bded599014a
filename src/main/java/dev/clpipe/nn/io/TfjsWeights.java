package dev.clpipe.nn.io;

import dev.clpipe.nn.io.TfjsManifest.Dtype;
import dev.clpipe.nn.io.TfjsManifest.Entry;
import dev.clpipe.nn.io.TfjsManifest.Group;
import dev.clpipe.nn.io.TfjsManifest.QuantDtype;
import dev.clpipe.nn.io.TfjsManifest.Quantization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a TensorFlow.js model: a manifest ({@link TfjsManifest}) plus its binary shards,
 * read into an ordered map name → {@link NamedTensor} (manifest order). Dequantises as tfjs-core's
 * {@code decodeWeights} does: uint8/uint16 → {@code (float) (q * scale + min)} computed in double,
 * float16 → float, int32 stored quantised → {@code Math.round(q * scale + min)}.
 *
 * <p>Refuses, naming the file and the tensor: a shard path leaving the manifest's folder, a
 * missing shard, shards shorter than the weights need (truncated) or longer (the manifest does
 * not describe them), unknown dtypes, bad shapes, duplicate names, totals above
 * {@link TfjsLimits}, non-finite floats, int32 values a float cannot hold exactly, and (when the
 * folder has a {@code SHA256SUMS}) files whose hash does not match it ({@link Sha256Sums}).
 *
 * <pre>{@code
 * TfjsWeights w = TfjsWeights.read(Path.of("data/face-api/tiny_face_detector_model-weights_manifest.json"));
 * NamedTensor f = w.get("conv0/filters");   // shape [3, 3, 3, 16], HWIO
 * }</pre>
 */
public final class TfjsWeights {
    private final Path manifest;
    private final Map<String, NamedTensor> tensors;

    private TfjsWeights(Path manifest, Map<String, NamedTensor> tensors) {
        this.manifest = manifest;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public static TfjsWeights read(Path manifestFile) throws TfjsFormatException {
        return read(manifestFile, TfjsLimits.DEFAULT);
    }

    /** Checks a manifest and the shards it names against their folder's SHA256SUMS (as {@link #read} does) without decoding them. */
    public static void verify(Path manifestFile) throws TfjsFormatException {
        Path file = manifestFile.toAbsolutePath().normalize();
        Sha256Sums.verify(file);
        for (Group g : TfjsManifest.read(file, TfjsLimits.DEFAULT).groups()) {
            for (String p : g.paths()) {
                Path shard = shardPath(file, file.getParent(), g, p);
                if (Files.isRegularFile(shard)) Sha256Sums.verify(shard); // a missing shard is reported by read
            }
        }
    }

    public static TfjsWeights read(Path manifestFile, TfjsLimits limits) throws TfjsFormatException {
        Path file = manifestFile.toAbsolutePath().normalize();
        if (Files.isRegularFile(file)) Sha256Sums.verify(file);
        TfjsManifest m = TfjsManifest.read(file, limits);
        Path folder = file.getParent();
        List<List<Path>> shardFiles = new ArrayList<>();
        long totalStored = 0;
        for (Group g : m.groups()) {
            List<Path> shards = new ArrayList<>();
            for (String p : g.paths()) shards.add(shardPath(file, folder, g, p));
            long present = 0;
            for (Path s : shards) present += size(file, g, s);
            totalStored += present;
            if (totalStored > limits.maxTotalBytes()) {
                throw new TfjsFormatException(file + ": shards add up to " + totalStored + " bytes, more than the limit of "
                        + limits.maxTotalBytes());
            }
            checkLength(file, g, present);
            for (Path s : shards) Sha256Sums.verify(s);
            shardFiles.add(shards);
        }
        Map<String, NamedTensor> tensors = new LinkedHashMap<>();
        for (Group g : m.groups()) {
            ByteBuffer data = concat(file, shardFiles.get(g.index()), g.storedBytes());
            for (Entry e : g.weights()) tensors.put(e.name(), decode(file, e, data, limits));
        }
        return new TfjsWeights(file, tensors);
    }

    /** The manifest file this was read from (absolute). */
    public Path manifest() {
        return manifest;
    }

    /** All tensors in manifest order (unmodifiable). */
    public Map<String, NamedTensor> tensors() {
        return tensors;
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public int size() {
        return tensors.size();
    }

    /** The tensor called {@code name}; refuses a missing name with the file and the names present. */
    public NamedTensor get(String name) throws TfjsFormatException {
        NamedTensor t = tensors.get(name);
        if (t == null) {
            throw new TfjsFormatException(manifest + ": no tensor named '" + name + "' (" + tensors.size()
                    + " tensors present" + similar(name) + ")");
        }
        return t;
    }

    private String similar(String name) {
        String prefix = name.contains("/") ? name.substring(0, name.indexOf('/') + 1) : name;
        List<String> near = tensors.keySet().stream().filter(n -> n.startsWith(prefix)).limit(6).toList();
        return near.isEmpty() ? "" : "; with the same prefix: " + String.join(", ", near);
    }

    private static Path shardPath(Path file, Path folder, Group g, String p) throws TfjsFormatException {
        String where = file + ": group " + g.index() + " shard '" + p + "'";
        Path relative;
        try {
            relative = Path.of(p);
        } catch (RuntimeException e) {
            throw new TfjsFormatException(where + ": not a valid file name", e);
        }
        Path shard = folder.resolve(relative).normalize();
        if (relative.isAbsolute() || !shard.startsWith(folder) || shard.equals(folder)) {
            throw new TfjsFormatException(where + ": shard paths must stay inside the manifest's folder " + folder);
        }
        try { // a symbolic link may not lead outside either
            if (Files.exists(shard) && !shard.toRealPath().startsWith(folder.toRealPath())) {
                throw new TfjsFormatException(where + ": resolves to " + shard.toRealPath() + ", outside the manifest's folder "
                        + folder.toRealPath());
            }
        } catch (TfjsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new TfjsFormatException(where + ": cannot resolve: " + e.getMessage(), e);
        }
        return shard;
    }

    private static long size(Path file, Group g, Path shard) throws TfjsFormatException {
        if (!Files.exists(shard, LinkOption.NOFOLLOW_LINKS)) {
            throw new TfjsFormatException(file + ": shard " + file.getParent().relativize(shard) + " (group " + g.index()
                    + ") is missing: expected " + shard);
        }
        if (!Files.isRegularFile(shard)) {
            throw new TfjsFormatException(file + ": shard " + shard + " (group " + g.index() + ") is not a regular file");
        }
        try {
            return Files.size(shard);
        } catch (IOException e) {
            throw new TfjsFormatException(file + ": cannot read shard " + shard + ": " + e.getMessage(), e);
        }
    }

    /** Present bytes must equal what the entries need: less is truncation, more is a mismatched manifest. */
    private static void checkLength(Path file, Group g, long present) throws TfjsFormatException {
        long needed = g.storedBytes();
        if (present == needed) return;
        String shards = "shard" + (g.paths().size() == 1 ? " " : "s ") + String.join(" + ", g.paths());
        if (present < needed) {
            long offset = 0;
            for (Entry e : g.weights()) {
                if (offset + e.storedBytes() > present) {
                    throw new TfjsFormatException(file + ": truncated " + shards + " (group " + g.index() + "): weights need "
                            + needed + " bytes but " + present + " are present; tensor " + e.describe() + " needs bytes "
                            + offset + ".." + (offset + e.storedBytes()) + " and runs past the end");
                }
                offset += e.storedBytes();
            }
        }
        String last = g.weights().isEmpty() ? "no weights" : "the last tensor '" + g.weights().get(g.weights().size() - 1).name() + "'";
        throw new TfjsFormatException(file + ": manifest does not match " + shards + " (group " + g.index() + "): "
                + (present - needed) + " bytes left over after " + last + " (weights need " + needed + ", " + present
                + " present)");
    }

    private static ByteBuffer concat(Path file, List<Path> shards, long needed) throws TfjsFormatException {
        byte[] all = new byte[Math.toIntExact(needed)];
        int at = 0;
        for (Path s : shards) {
            try (InputStream in = Files.newInputStream(s)) {
                int n;
                while (at < all.length && (n = in.read(all, at, all.length - at)) > 0) at += n;
                if (in.read() >= 0) {
                    throw new TfjsFormatException(file + ": shard " + s + " grew while being read");
                }
            } catch (TfjsFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new TfjsFormatException(file + ": cannot read shard " + s + ": " + e.getMessage(), e);
            }
        }
        if (at != all.length) throw new TfjsFormatException(file + ": shards shrank while being read (" + at + " of " + needed + " bytes)");
        return ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static NamedTensor decode(Path file, Entry e, ByteBuffer data, TfjsLimits limits) throws TfjsFormatException {
        int n = Math.toIntExact(e.elements());
        float[] v = new float[n];
        Quantization q = e.quantization();
        String where = file + ": tensor " + e.describe();
        if (q == null && e.dtype() == Dtype.FLOAT32) {
            for (int i = 0; i < n; i++) v[i] = data.getFloat();
        } else if (q == null) { // int32
            for (int i = 0; i < n; i++) v[i] = exactInt(where, i, data.getInt());
        } else if (q.dtype() == QuantDtype.FLOAT16) {
            for (int i = 0; i < n; i++) v[i] = Float16.toFloat(data.getShort() & 0xffff);
        } else {
            for (int i = 0; i < n; i++) {
                int raw = q.dtype() == QuantDtype.UINT8 ? data.get() & 0xff : data.getShort() & 0xffff;
                double value = raw * q.scale() + q.min();
                if (e.dtype() == Dtype.INT32) {
                    long rounded = Math.round(value);
                    if (rounded < Integer.MIN_VALUE || rounded > Integer.MAX_VALUE) {
                        throw new TfjsFormatException(where + ": element " + i + " dequantises to " + value + ", outside int32");
                    }
                    v[i] = exactInt(where, i, (int) rounded);
                } else {
                    v[i] = (float) value;
                }
            }
        }
        if (limits.requireFinite()) {
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new TfjsFormatException(where + ": element " + i + " is " + v[i]
                            + " (non-finite weights are refused; TfjsLimits.requireFinite=false accepts them)");
                }
            }
        }
        return new NamedTensor(e.name(), e.shape(), v);
    }

    private static float exactInt(String where, int index, int value) throws TfjsFormatException {
        float f = value;
        if ((long) f != value) {
            throw new TfjsFormatException(where + ": element " + index + " = " + value + " cannot be held exactly as a float");
        }
        return f;
    }
}
