package dev.clpipe.face.output;

import dev.clpipe.face.cluster.Clustering;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A folder per cluster ({@code cluster-N/}, plus {@code unclustered/}) holding each image that has
 * a face in it, as a symbolic link to the source file or a copy. An image with faces in several
 * clusters appears in each; two source files with the same name get {@code _2}, {@code _3} suffixes.
 */
public final class ClusterFolders {
    public enum Mode { LINK, COPY, NONE }

    private ClusterFolders() {}

    /** {@code sources.get(i)}: the image file of face i. Returns how many entries were made. */
    public static int write(Path root, List<Path> sources, Clustering clustering, Mode mode) throws IOException {
        if (mode == Mode.NONE) return 0;
        Set<String> done = new HashSet<>();
        Set<Path> used = new HashSet<>();
        int made = 0;
        for (int i = 0; i < sources.size(); i++) {
            int label = clustering.label(i);
            Path src = sources.get(i).toAbsolutePath();
            String folder = label < 0 ? "unclustered" : "cluster-" + label;
            if (!done.add(folder + "\n" + src)) continue;
            Path dir = root.resolve(folder);
            Files.createDirectories(dir);
            Path target = unique(dir, src.getFileName().toString(), used);
            try {
                if (mode == Mode.LINK) Files.createSymbolicLink(target, src);
                else Files.copy(src, target, StandardCopyOption.COPY_ATTRIBUTES);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cluster folder entry " + target + " already exists (run folder reused?)", e);
            }
            made++;
        }
        return made;
    }

    private static Path unique(Path dir, String name, Set<Path> used) {
        Path p = dir.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name, ext = dot > 0 ? name.substring(dot) : "";
        for (int k = 2; used.contains(p) || Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); k++) p = dir.resolve(stem + "_" + k + ext);
        used.add(p);
        return p;
    }
}
