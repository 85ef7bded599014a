package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigProblem;
import dev.clpipe.config.ConfigSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checks stage plans make on the files and folders they will read: present, of the right
 * kind, readable. A failure is a {@link MissingInputException} at the key that names the path
 * (or, for a default, the section), saying how to get the data when {@code hint} is given.
 * Inside {@link #deferred} (what {@link Pipeline#plan} uses) failures are collected and thrown
 * after every key was checked, so a config error (exit 2) is reported before missing data (exit 4).
 */
public final class InputPaths {
    public static final String HUMAN_MODELS_HINT = "fetch them with: make models (datasets/fetch-human-models.sh data), or set human_models: / $CLPIPE_HUMAN_MODELS";
    public static final String FACE_MODELS_HINT = "fetch them with: make models (datasets/fetch-face-models.sh data), or set models: / $CLPIPE_FACE_MODELS";
    private static final ThreadLocal<List<ConfigProblem>> DEFERRED = new ThreadLocal<>();

    private InputPaths() {}

    public static Path folder(ConfigSection s, String key, Path p, String hint) {
        if (!Files.isDirectory(p)) refuse(s, key, Files.exists(p) ? p + " is a file, not a folder" : "folder " + p + " does not exist", hint);
        else readable(s, key, p, hint);
        return p;
    }

    public static Path file(ConfigSection s, String key, Path p, String hint) {
        if (!Files.isRegularFile(p)) refuse(s, key, Files.exists(p) ? p + " is not a regular file" : "file " + p + " does not exist", hint);
        else readable(s, key, p, hint);
        return p;
    }

    /** A folder holding each of {@code files} (a model folder). */
    public static Path folderWith(ConfigSection s, String key, Path p, List<String> files, String hint) {
        if (!Files.isDirectory(p)) return folder(s, key, p, hint);
        List<String> absent = files.stream().filter(f -> !Files.isRegularFile(p.resolve(f))).toList();
        if (!absent.isEmpty()) refuse(s, key, "folder " + p + " lacks " + String.join(", ", absent), hint);
        else files.forEach(f -> readable(s, key, p.resolve(f), hint));
        return p;
    }

    /**
     * A folder of TensorFlow.js models: each of {@code manifests} present, and it and its shards
     * matching the folder's SHA256SUMS, so a damaged model fails {@code validate}, and {@code run}
     * before making a run folder, as the load would (the load does not hash them again).
     */
    public static Path verifiedModels(ConfigSection s, String key, Path p, List<String> manifests) {
        folderWith(s, key, p, manifests, FACE_MODELS_HINT);
        if (manifests.stream().allMatch(m -> Files.isRegularFile(p.resolve(m)))) {
            for (String m : manifests) {
                try {
                    dev.clpipe.nn.io.TfjsWeights.verify(p.resolve(m));
                } catch (java.io.IOException e) {
                    refuse(s, key, e.getMessage(), null);
                }
            }
        }
        return p;
    }

    /**
     * A file the stage cannot be planned without (its content gives the stage's shapes, e.g. an
     * imported model): when it is missing or unreadable, planning stops here with it and every
     * input refused before it (exit 4), since the checks after it would need its content.
     */
    public static Path required(ConfigSection s, String key, Path p, String hint) {
        if (Files.isRegularFile(p) && Files.isReadable(p)) return p;
        List<ConfigProblem> problems = new ArrayList<>(DEFERRED.get() == null ? List.of() : DEFERRED.get());
        problems.add(problem(s, key, Files.exists(p) ? p + " is not a readable file" : "file " + p + " does not exist", hint));
        throw new MissingInputException(problems);
    }

    /** Refuses an input for a reason a stage checked itself (thrown now, or collected inside {@link #deferred}). */
    public static void refuse(ConfigSection s, String key, String what, String hint) {
        ConfigProblem problem = problem(s, key, what, hint);
        List<ConfigProblem> deferred = DEFERRED.get();
        if (deferred == null) throw new MissingInputException(List.of(problem));
        deferred.add(problem);
    }

    private static ConfigProblem problem(ConfigSection s, String key, String what, String hint) {
        return new ConfigProblem(s.originOf(key), s.keyPath(key), what + (hint == null ? "" : "; " + hint));
    }

    /** Runs {@code planning}, then throws every input it refused (after its own config errors, if any, were thrown). */
    static <T> T deferred(Supplier<T> planning) {
        List<ConfigProblem> outer = DEFERRED.get();
        List<ConfigProblem> problems = new ArrayList<>();
        DEFERRED.set(problems);
        T result;
        try {
            result = planning.get();
        } finally {
            DEFERRED.set(outer);
        }
        if (!problems.isEmpty()) throw new MissingInputException(problems);
        return result;
    }

    private static void readable(ConfigSection s, String key, Path p, String hint) {
        if (!Files.isReadable(p)) refuse(s, key, p + " is not readable (permissions)", hint);
    }
}
