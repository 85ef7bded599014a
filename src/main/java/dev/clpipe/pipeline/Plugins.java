package dev.clpipe.pipeline;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The plug-in jars of a {@code --plugins DIR}, each in a class loader of its own (parent: the previous jar's, then clpipe's),
 * with the {@link StageTypeProvider}s it declares (none: a jar of java-op classes only). A jar that
 * cannot be read, holds no class, or whose provider fails to load is refused naming the jar
 * ({@link PluginException}, exit 2).
 * {@link #classLoader()} finds classes of every plug-in jar (the classes {@code java-op} stages name).
 */
public final class Plugins {
    static final String SERVICE_FILE = "META-INF/services/" + StageTypeProvider.class.getName();

    /** One jar and the providers it declared. */
    public record Jar(Path path, List<StageTypeProvider> providers) {}

    private final List<Jar> jars;
    private final ClassLoader classLoader;

    private Plugins(List<Jar> jars, ClassLoader classLoader) {
        this.jars = List.copyOf(jars);
        this.classLoader = classLoader;
    }

    /** No plug-ins: clpipe's own classes only. */
    public static Plugins none() {
        return new Plugins(List.of(), Plugins.class.getClassLoader());
    }

    /** Every {@code *.jar} directly in {@code folder}, in name order. */
    public static Plugins load(Path folder) {
        if (!Files.isDirectory(folder)) throw new PluginException(folder, "not a folder (--plugins names a folder of jars)");
        List<Path> paths;
        try (Stream<Path> files = Files.list(folder)) {
            paths = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new PluginException(folder, "cannot list the folder: " + e.getMessage());
        }
        if (paths.isEmpty()) throw new PluginException(folder, "holds no .jar file");
        // A chain, one loader per jar: a provider that fails is known by its jar, and a class exists once.
        ClassLoader last = Plugins.class.getClassLoader();
        List<Jar> jars = new ArrayList<>();
        for (Path path : paths) {
            URLClassLoader loader = new URLClassLoader("clpipe-plugin " + path.getFileName(), new URL[] {url(path)}, last);
            jars.add(loadJar(path, loader));
            last = loader;
        }
        return new Plugins(jars, last);
    }

    private static Jar loadJar(Path path, URLClassLoader loader) {
        try (JarFile jar = new JarFile(path.toFile())) {
            if (jar.getEntry(SERVICE_FILE) == null) {
                // Only java-op classes (PixelOps) is fine; a jar with no class at all is a mistake.
                if (jar.stream().noneMatch(e -> e.getName().endsWith(".class"))) {
                    throw new PluginException(path, "holds no class and declares no stage types (no " + SERVICE_FILE + ")");
                }
                return new Jar(path, List.of());
            }
        } catch (IOException e) {
            throw new PluginException(path, "not a readable jar (" + e.getMessage() + ")");
        }
        List<StageTypeProvider> providers = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<StageTypeProvider> p : ServiceLoader.load(StageTypeProvider.class, loader).stream().toList()) {
                if (p.type().getClassLoader() == loader) providers.add(p.get());
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginException(path, "a stage type provider failed to load: " + rootMessage(e));
        }
        if (providers.isEmpty()) throw new PluginException(path, "its " + SERVICE_FILE
                + " names no StageTypeProvider class of this jar (a class named there is missing from it, or comes from clpipe or an earlier jar: a copy?)");
        return new Jar(path, providers);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t == e ? e.getMessage() : e.getMessage() + " (" + t + ")";
    }

    private static URL url(Path path) {
        try {
            return path.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginException(path, e.getMessage());
        }
    }

    public List<Jar> jars() {
        return jars;
    }

    /** Loads classes from clpipe and every plug-in jar. */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /**
     * A registry of {@code builtin}'s stage types and those of every plug-in jar; a name used twice
     * is refused naming the jar that brought it second.
     */
    public StageRegistry registry(StageTypeProvider builtin) {
        StageRegistry registry = new StageRegistry();
        builtin.stageTypes(this).forEach(registry::register);
        for (Jar jar : jars) {
            for (StageTypeProvider provider : jar.providers()) {
                List<StageType> types;
                try {
                    types = provider.stageTypes(this);
                } catch (RuntimeException | LinkageError e) {
                    throw new PluginException(jar.path(), provider.getClass().getName() + ".stageTypes() failed: " + e);
                }
                for (StageType type : types) {
                    if (registry.contains(type.name())) {
                        throw new PluginException(jar.path(), "stage type \"" + type.name() + "\" (" + type.getClass().getName()
                                + ") is already defined by clpipe or an earlier plug-in");
                    }
                    registry.register(type);
                }
            }
        }
        return registry;
    }
}
