package dev.clpipe.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds examples/plugin into a jar as its build.sh does (javac -g against clpipe's classes, plus
 * its resources), so tests load exactly the example users read. Also writes deliberately broken jars.
 */
public final class ExamplePluginJar {
    public static final Path SOURCES = Path.of("examples/plugin");

    private ExamplePluginJar() {}

    private static Path built;

    /** The example as {@code folder/example-plugin.jar} (compiled once per test JVM, then copied); returns the jar. */
    public static synchronized Path build(Path folder) throws IOException {
        if (built == null) {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "example-plugin");
            built = compile(SOURCES.resolve("src"), SOURCES.resolve("resources"), dir.resolve("example-plugin.jar"));
        }
        Files.createDirectories(folder);
        return Files.copy(built, folder.resolve("example-plugin.jar"));
    }

    /** Compiles every .java under {@code sources} (may be null for none) and adds the files under {@code resources}. */
    public static Path compile(Path sources, Path resources, Path jar) throws IOException {
        Path classes = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "plugin-classes");
        if (sources != null) {
            List<String> options = List.of("-g", "--release", "17", "-proc:none", "-cp", System.getProperty("java.class.path"), "-d", classes.toString());
            List<String> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.map(Path::toString).filter(p -> p.endsWith(".java")).toList();
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter errors = new StringWriter();
            boolean ok = javac.getTask(errors, null, null, options, null, javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromStrings(files))
                    .call();
            if (!ok) throw new IllegalStateException("javac failed:\n" + errors);
        }
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, classes);
            if (resources != null) add(out, resources);
        }
        return jar;
    }

    /** A jar holding only the given text files ({@code path -> content}), e.g. a service file naming a missing class. */
    public static Path withFiles(Path jar, String... pathsAndContents) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (int i = 0; i < pathsAndContents.length; i += 2) {
                out.putNextEntry(new JarEntry(pathsAndContents[i]));
                out.write(pathsAndContents[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void add(JarOutputStream out, Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out); // leaves the jar stream open
                out.closeEntry();
            }
        }
    }
}
