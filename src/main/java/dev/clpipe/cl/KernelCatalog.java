package dev.clpipe.cl;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which programs clpipe builds: every {@code opencl/*.cl} file with default options, plus the
 * variants ops register (tuned tile sizes). Offline builds ({@code clpipe kernels build}) use it.
 */
public final class KernelCatalog {
    private static final Set<ProgramSpec> VARIANTS = Collections.synchronizedSet(new LinkedHashSet<>());

    private KernelCatalog() {}

    /** Each non-default option set a program is built with ({@link ClContext#program}), and those ops may build before they do. */
    public static void register(ProgramSpec spec) {
        VARIANTS.add(spec);
    }

    public static List<ProgramSpec> all() {
        Set<ProgramSpec> specs = new LinkedHashSet<>();
        for (String file : files()) specs.add(new ProgramSpec(file, ""));
        synchronized (VARIANTS) {
            specs.addAll(VARIANTS);
        }
        return List.copyOf(specs);
    }

    /** Names of the kernel files shipped on the classpath, sorted. */
    public static List<String> files() {
        URL url = KernelCatalog.class.getClassLoader().getResource("opencl");
        if (url == null) return List.of();
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return list(fs.getPath("opencl"));
            }
            return list(Path.of(uri));
        } catch (IOException | URISyntaxException e) {
            throw new ClException("cannot list kernel files: " + e.getMessage(), e);
        }
    }

    private static List<String> list(Path folder) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cl")).forEach(names::add);
        }
        Collections.sort(names);
        return names;
    }
}
