package dev.clpipe.pipeline.stages;

import dev.clpipe.data.JsonlSink;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.Evaluator;
import dev.clpipe.nn.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * An evaluation that also writes one line per image (the predict stage's line plus the true class):
 * {@code {"image", "label", "class", "score", "probs", "truth"}}, image named by {@code image}
 * (a labelled folder's relative path), classes by {@code names} when there are names.
 */
final class Predictions {
    private Predictions() {}

    /** The predict stage's line for one image: {@code {"image", "label", "class", "score", "probs"}}, the label by name when there are names. */
    static Map<String, Object> line(String id, float[] probs, List<String> names) {
        int best = 0;
        for (int c = 1; c < probs.length; c++) if (probs[c] > probs[best]) best = c;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", id);
        m.put("label", best < names.size() ? names.get(best) : Integer.toString(best));
        m.put("class", best);
        m.put("score", probs[best]);
        m.put("probs", probs);
        return m;
    }

    static Evaluation write(JsonlSink sink, Network net, BatchSource set, IntFunction<String> image, List<String> names) throws IOException {
        int[] truth = set.labels();
        try (sink) {
            return Evaluator.evaluate(net, set, (i, probs) -> {
                Map<String, Object> line = line(image.apply(i), probs, names);
                line.put("truth", truth[i] < names.size() ? names.get(truth[i]) : Integer.toString(truth[i]));
                try {
                    sink.write(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
