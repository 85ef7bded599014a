package dev.clpipe.spark;

import dev.clpipe.pipeline.Source;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an {@code image-folder} stage asks Spark to read: a folder (recursively), the extensions
 * to keep (any case, as on one machine) and whether the first subfolder names a label. It is the
 * source's opener so the driver can find it in the plan; Spark, not the pipeline, opens it.
 */
public record BinaryFileInput(Path folder, List<String> extensions, boolean labels) implements StagePlan.Opener<Source> {

    public BinaryFileInput {
        extensions = extensions.stream().map(e -> e.toLowerCase(Locale.ROOT)).sorted().distinct().toList();
    }

    /**
     * A Hadoop glob matching the extensions in any letter case, e.g.
     * {@code *.{[pP][nN][gG],[jJ][pP][gG]}}, for the {@code binaryFile} option {@code pathGlobFilter}.
     */
    public String globFilter() {
        return extensions.stream().map(BinaryFileInput::anyCase).collect(Collectors.joining(",", "*.{", "}"));
    }

    private static String anyCase(String extension) {
        StringBuilder glob = new StringBuilder();
        for (char c : extension.toCharArray()) {
            char lower = Character.toLowerCase(c);
            char upper = Character.toUpperCase(c);
            if (lower == upper) {
                if ("\\*?[]{},".indexOf(c) >= 0) glob.append('\\');
                glob.append(c);
            } else {
                glob.append('[').append(lower).append(upper).append(']');
            }
        }
        return glob.toString();
    }

    @Override
    public Source open(StageContext context) {
        throw new UnsupportedOperationException("under Spark, the images of " + folder + " are read by the binaryFile source");
    }
}
