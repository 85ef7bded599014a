package dev.clpipe.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.cl.ClBuffer;
import dev.clpipe.tensor.Checksums;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Training checkpoints: one folder per finished epoch, {@code checkpoints/epoch-0003/}, holding one
 * {@code .npy} per tensor (parameters, batch-norm statistics, optimiser moments) and
 * {@code index.json}: format, model, epoch (epochs done), step, seed, optimiser kind and steps,
 * tensor name to file, {@code checksums} (tensor name to the CRC-32C of its {@code .npy} file), plus
 * the caller's extra entries (metric history). The folder is written under a temporary name and
 * renamed, so a checkpoint folder that exists is complete.
 *
 * <p>Loading trusts nothing: a tensor whose file does not match its checksum (a flipped byte, a
 * truncated or swapped file) or that holds NaN or infinity is refused naming the folder, the file
 * and the tensor. Checkpoints written before checksums existed ({@value #LEGACY_FORMAT}) still
 * load, with one warning per folder that their bytes cannot be verified; the non-finite check
 * applies to them too. Re-saving (any further epoch) writes the current format.
 */
public final class Checkpoints {
    public static final String FORMAT = "clpipe-checkpoint/2";
    /** The format before per-tensor checksums: loaded unverified, with a warning. */
    public static final String LEGACY_FORMAT = "clpipe-checkpoint/1";
    private static final Logger LOG = LogManager.getLogger(Checkpoints.class);
    private static final Set<Path> LEGACY_WARNED = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {}

    /** Saves a network and its optimiser after {@code epoch} epochs and {@code step} steps (any training loop). */
    public static Path save(Path root, Network net, Optimizer optimizer, int epoch, long step, long seed, Map<String, Object> extra) throws IOException {
        return save(root, net, optimizer, epoch, step, seed, extra, List.of());
    }

    /**
     * As above, also writing {@code alsoSave}: parameters that live outside the trained network
     * (the frozen layers when a head trains on cached features), so the checkpoint holds the whole model.
     */
    public static Path save(Path root, Network net, Optimizer optimizer, int epoch, long step, long seed, Map<String, Object> extra,
                             List<Param> alsoSave) throws IOException {
        var queue = net.context().queue();
        String name = String.format("epoch-%04d", epoch);
        Path partial = root.resolve(name + ".partial");
        Path target = root.resolve(name);
        deleteTree(partial);
        Files.createDirectories(partial);
        Map<String, Object> tensors = new LinkedHashMap<>();
        Map<String, Object> checksums = new LinkedHashMap<>();
        for (Param p : net.params()) {
            write(partial, p.name(), p.shape(), p.value().readFloats(queue), tensors, checksums);
        }
        for (Param p : alsoSave) {
            if (!tensors.containsKey(p.name())) write(partial, p.name(), p.shape(), p.value().readFloats(queue), tensors, checksums);
        }
        for (Map.Entry<String, ClBuffer> e : optimizer.state().entrySet()) {
            float[] values = e.getValue().readFloats(queue);
            write(partial, e.getKey(), new int[] {values.length}, values, tensors, checksums);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("format", FORMAT);
        index.put("model", net.name());
        index.put("epoch", epoch);
        index.put("step", step);
        index.put("seed", seed);
        index.put("optimizer", Map.of("kind", optimizer.spec().kind().name().toLowerCase(), "steps", optimizer.steps()));
        index.put("tensors", tensors);
        index.put("checksums", checksums);
        index.putAll(extra);
        JSON.writeValue(partial.resolve("index.json").toFile(), index);
        deleteTree(target);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void write(Path dir, String name, int[] shape, float[] values, Map<String, Object> tensors,
                              Map<String, Object> checksums) throws IOException {
        String file = fileName(name, tensors);
        byte[] bytes = Npy.encode(dir.resolve(file), shape, values);
        Files.write(dir.resolve(file), bytes);
        tensors.put(name, file);
        checksums.put(name, Checksums.crc32c(bytes));
    }

    /**
     * The file of tensor {@code name}: the name itself plus .npy, or for a name a file cannot carry
     * (an imported graph's node names, e.g. {@code /layer1/conv1/Conv.weight}) its other characters
     * as '_' and a number when that file is taken; index.json maps names to files either way.
     */
    static String fileName(String name, Map<String, Object> taken) {
        String base = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[._]+", "");
        if (base.isEmpty()) base = "tensor";
        String file = base + ".npy";
        for (int k = 2; taken.containsValue(file); k++) file = base + "_" + k + ".npy";
        return file;
    }

    /** The checkpoint folder of the most epochs under {@code root}, if any. */
    public static Optional<Path> latest(Path root) throws IOException {
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}") && Files.isRegularFile(p.resolve("index.json")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    /** Every complete checkpoint folder under {@code root}, oldest first (ensembles of the last epochs). */
    public static List<Path> all(Path root) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}") && Files.isRegularFile(p.resolve("index.json"))).sorted().toList();
        }
    }

    /** Deletes all but the newest {@code keep} checkpoint folders under {@code root} (keep <= 0 keeps all). */
    public static void prune(Path root, int keep) throws IOException {
        if (keep <= 0 || !Files.isDirectory(root)) return;
        List<Path> all;
        try (Stream<Path> s = Files.list(root)) {
            all = s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}")).sorted().toList();
        }
        for (int i = 0; i < all.size() - keep; i++) deleteTree(all.get(i));
    }

    /** Restores parameters and optimiser state; the caller moves to the index's epoch and step. */
    public static Map<String, Object> load(Path folder, Network net, Optimizer optimizer) throws IOException {
        Index index = Index.read(folder);
        var queue = net.context().queue();
        for (Param p : net.params()) {
            p.value().write(queue, index.values(p.name(), p.size()));
        }
        for (Map.Entry<String, ClBuffer> e : optimizer.state().entrySet()) {
            e.getValue().write(queue, index.values(e.getKey(), (int) e.getValue().floats()));
        }
        return index.json();
    }

    /** Restores only the network's parameters and statistics from {@code folder} (evaluation, prediction). */
    public static Map<String, Object> loadWeights(Path folder, Network net) throws IOException {
        Index index = Index.read(folder);
        for (Param p : net.params()) p.value().write(net.context().queue(), index.values(p.name(), p.size()));
        return index.json();
    }

    /**
     * Transfer learning: copies the parameters and statistics of the network's first {@code layers}
     * top-level layers from {@code folder}; the later layers keep their values (a new head).
     * Refuses a checkpoint of another model: a missing tensor or one of another shape is an
     * error naming the tensor and both shapes.
     */
    public static Map<String, Object> loadLayers(Path folder, Network net, int layers) throws IOException {
        Index index = Index.read(folder);
        for (Param p : net.paramsOf(0, layers)) {
            if (!index.has(p.name())) {
                throw new IOException(folder + ": checkpoint of model '" + index.json().get("model") + "' has no tensor '" + p.name()
                        + "' that layer of model '" + net.name() + "' needs (shape " + Arrays.toString(p.shape()) + "); is it a checkpoint of another model?");
            }
            NpyArray a = index.tensor(p.name());
            if (!Arrays.equals(a.shape(), p.shape())) {
                throw new IOException(folder + ": tensor '" + p.name() + "' has shape " + Arrays.toString(a.shape()) + " in the checkpoint of model '"
                        + index.json().get("model") + "', but model '" + net.name() + "' needs " + Arrays.toString(p.shape()));
            }
            p.value().write(net.context().queue(), a.data());
        }
        return index.json();
    }

    /** A checkpoint's index.json (model, epoch, what the training stage recorded beside them). */
    public static Map<String, Object> info(Path folder) throws IOException {
        return Index.read(folder).json();
    }

    /** Every tensor of a checkpoint by name, verified (checksums, finite values): a model's weights without a device. */
    public static Map<String, float[]> tensors(Path folder) throws IOException {
        Index index = Index.read(folder);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String name : index.tensors().keySet()) out.put(name, index.tensor(name).data());
        return out;
    }

    /** The class names a checkpoint was trained with (label i is the i-th), empty when it has none (IDX data). */
    public static List<String> classNames(Path folder) throws IOException {
        Object names = Index.read(folder).json().get("classes");
        return names instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** A checkpoint's index.json and the verified reading of its tensors. */
    private record Index(Path folder, Map<String, Object> json, Map<String, Object> tensors, Map<String, Object> checksums) {

        @SuppressWarnings("unchecked")
        static Index read(Path folder) throws IOException {
            Path file = folder.resolve("index.json");
            if (!Files.isRegularFile(file)) throw new IOException(folder + ": not a checkpoint folder (no index.json)");
            Map<String, Object> json;
            try {
                json = JSON.readValue(file.toFile(), Map.class);
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
            }
            Object format = json.get("format");
            if (!FORMAT.equals(format) && !LEGACY_FORMAT.equals(format)) {
                throw new IOException(folder + ": not a clpipe checkpoint (format " + format + ", expected " + FORMAT + ")");
            }
            if (!(json.get("tensors") instanceof Map<?, ?> tensors)) throw new IOException(file + ": no 'tensors' map");
            Map<String, Object> checksums = null;
            if (FORMAT.equals(format)) {
                if (!(json.get("checksums") instanceof Map<?, ?> sums)) throw new IOException(file + ": no 'checksums' map (format " + FORMAT + " has one)");
                checksums = (Map<String, Object>) sums;
            } else if (LEGACY_WARNED.add(folder.toAbsolutePath().normalize())) {
                LOG.warn("{}: checkpoint written before per-tensor checksums ({}): its bytes cannot be verified (NaN/Inf still are); "
                        + "the next epoch saved writes {}", folder, LEGACY_FORMAT, FORMAT);
            }
            return new Index(folder, json, (Map<String, Object>) tensors, checksums);
        }

        boolean has(String name) {
            return tensors.containsKey(name);
        }

        /** The tensor's values, checking the count the model needs. */
        float[] values(String name, int size) throws IOException {
            if (!has(name)) throw new IOException(folder + ": checkpoint has no tensor '" + name + "' (a different model or optimiser?)");
            float[] v = tensor(name).data();
            if (v.length != size) throw new IOException(folder + ": tensor '" + name + "' has " + v.length + " values, the model needs " + size);
            return v;
        }

        /** Reads a tensor's file once: checksum, then parse, then every value finite. */
        NpyArray tensor(String name) throws IOException {
            Path file = folder.resolve(String.valueOf(tensors.get(name))).normalize();
            if (!file.startsWith(folder.normalize())) throw new IOException(folder + ": tensor '" + name + "' names a file outside the checkpoint: " + tensors.get(name));
            byte[] bytes = Files.readAllBytes(file);
            if (checksums != null) {
                Object want = checksums.get(name);
                if (want == null) throw new IOException(folder.resolve("index.json") + ": no checksum for tensor '" + name + "'");
                String got = Checksums.crc32c(bytes);
                if (!got.equals(want)) {
                    throw new IOException(file + ": tensor '" + name + "' is damaged: checksum " + got + ", index.json says " + want
                            + " (restore the checkpoint or train again)");
                }
            }
            NpyArray a = Npy.parse(file, bytes);
            float[] v = a.data();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IOException(file + ": tensor '" + name + "' holds " + v[i] + " at element " + i + " (of " + v.length
                            + "); a checkpoint with non-finite weights is refused");
                }
            }
            return a;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

}
