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

    /** Refuses an input for a reason a stage checked itself (thrown now, or collected inside {@link #deferred}). */
    public static void refuse(ConfigSection s, String key, String what, String hint) {
        ConfigProblem problem = new ConfigProblem(s.originOf(key), s.keyPath(key), what + (hint == null ? "" : "; " + hint));
        List<ConfigProblem> deferred = DEFERRED.get();
        if (deferred == null) throw new MissingInputException(List.of(problem));
        deferred.add(problem);
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
