package dev.clpipe.nn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.cl.ClBuffer;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Training checkpoints: one folder per finished epoch, {@code checkpoints/epoch-0003/}, holding one
 * {@code .npy} per tensor (parameters, batch-norm statistics, optimiser moments) and
 * {@code index.json}: format, model, epoch (epochs done), step, seed, optimiser kind and steps,
 * tensor name to file, plus the caller's extra entries (metric history). The folder is written
 * under a temporary name and renamed, so a checkpoint folder that exists is complete.
 */
public final class Checkpoints {
    public static final String FORMAT = "clpipe-checkpoint/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {}

    /** Saves the trainer's state after {@code trainer.epoch()} epochs into {@code root}; returns the folder. */
    public static Path save(Path root, Trainer trainer, Map<String, Object> extra) throws IOException {
        return save(root, trainer.network(), trainer.optimizer(), trainer.epoch(), trainer.step(), trainer.settings().seed(), extra);
    }

    /** As {@link #save(Path, Trainer, Map)} for training loops of their own (a network, its optimiser and their position). */
    public static Path save(Path root, Network net, Optimizer optimizer, int epoch, long step, long seed, Map<String, Object> extra) throws IOException {
        var queue = net.context().queue();
        String name = String.format("epoch-%04d", epoch);
        Path partial = root.resolve(name + ".partial");
        Path target = root.resolve(name);
        deleteTree(partial);
        Files.createDirectories(partial);
        Map<String, Object> tensors = new LinkedHashMap<>();
        for (Param p : net.params()) {
            write(partial, p.name(), p.shape(), p.value().readFloats(queue), tensors);
        }
        for (Map.Entry<String, ClBuffer> e : optimizer.state().entrySet()) {
            float[] values = e.getValue().readFloats(queue);
            write(partial, e.getKey(), new int[] {values.length}, values, tensors);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("format", FORMAT);
        index.put("model", net.spec().name());
        index.put("epoch", epoch);
        index.put("step", step);
        index.put("seed", seed);
        index.put("optimizer", Map.of("kind", optimizer.spec().kind().name().toLowerCase(), "steps", optimizer.steps()));
        index.put("tensors", tensors);
        index.putAll(extra);
        JSON.writeValue(partial.resolve("index.json").toFile(), index);
        deleteTree(target);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void write(Path dir, String name, int[] shape, float[] values, Map<String, Object> tensors) throws IOException {
        String file = name + ".npy";
        Npy.write(dir.resolve(file), shape, values);
        tensors.put(name, file);
    }

    /** The checkpoint folder of the most epochs under {@code root}, if any. */
    public static Optional<Path> latest(Path root) throws IOException {
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}") && Files.isRegularFile(p.resolve("index.json")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
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

    /** Restores parameters, optimiser state and position from {@code folder}; returns the index. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path folder, Trainer trainer) throws IOException {
        Map<String, Object> index = JSON.readValue(folder.resolve("index.json").toFile(), Map.class);
        if (!FORMAT.equals(index.get("format"))) throw new IOException(folder + ": not a " + FORMAT + " checkpoint");
        Map<String, Object> tensors = (Map<String, Object>) index.get("tensors");
        Network net = trainer.network();
        var queue = net.context().queue();
        for (Param p : net.params()) {
            p.value().write(queue, read(folder, tensors, p.name(), p.size()));
        }
        for (Map.Entry<String, ClBuffer> e : trainer.optimizer().state().entrySet()) {
            e.getValue().write(queue, read(folder, tensors, e.getKey(), (int) e.getValue().floats()));
        }
        trainer.setPosition(((Number) index.get("epoch")).intValue(), ((Number) index.get("step")).longValue());
        return index;
    }

    /** Restores only the network's parameters and statistics from {@code folder} (evaluation, prediction). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> loadWeights(Path folder, Network net) throws IOException {
        Map<String, Object> index = JSON.readValue(folder.resolve("index.json").toFile(), Map.class);
        if (!FORMAT.equals(index.get("format"))) throw new IOException(folder + ": not a " + FORMAT + " checkpoint");
        Map<String, Object> tensors = (Map<String, Object>) index.get("tensors");
        for (Param p : net.params()) p.value().write(net.context().queue(), read(folder, tensors, p.name(), p.size()));
        return index;
    }

    private static float[] read(Path folder, Map<String, Object> tensors, String name, int size) throws IOException {
        Object file = tensors.get(name);
        if (file == null) throw new IOException(folder + ": checkpoint has no tensor '" + name + "' (a different model or optimiser?)");
        NpyArray a = Npy.read(folder.resolve(file.toString()));
        if (a.data().length != size) throw new IOException(folder + ": tensor '" + name + "' has " + a.data().length + " values, the model needs " + size);
        return a.data();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

}
