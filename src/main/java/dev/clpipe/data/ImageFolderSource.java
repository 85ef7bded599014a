package dev.clpipe.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams the image files under a root folder, depth first, each folder's entries sorted by name
 * (String order of the file name, so the order is the same on every machine). Only one folder
 * listing per open level is held in memory, so iteration starts at once on a folder of millions
 * of files and memory stays bounded by the widest single folder.
 *
 * <ul>
 *   <li>Files are kept by extension (case-insensitive; default png, jpg, jpeg, bmp, gif).</li>
 *   <li>Names starting with '.' are ignored (hidden files, macOS {@code ._x.jpg} resource forks).</li>
 *   <li>Labels (optional): class-per-subfolder, the label of a file is the index of its first path
 *       component in {@link #labels()}, the sorted names of the root's (non-hidden) subfolders, or
 *       a class list given with {@link Builder#classes}; files directly in the root, or in a
 *       folder not in the list, get -1.</li>
 *   <li>Sharding: shard {@code i} of {@code n} keeps the k-th kept file when {@code k % n == i};
 *       the n shards partition the files.</li>
 *   <li>Symbolic links: links whose target is outside the root are skipped and, with a
 *       {@link SkippedReport}, reported as {@code symlink_escape}; links to files inside the root
 *       are followed; links to folders are not followed (their content is walked anyway, and
 *       following them could loop).</li>
 *   <li>Names: every name the filesystem allows is kept as its own path (a backslash is part of a
 *       Linux name, a newline too); a name the JVM cannot decode is reported as
 *       {@code invalid_name}, a FIFO, socket or device (never opened: a FIFO would block) as
 *       {@code not_regular_file}.</li>
 * </ul>
 * Each {@link #iterator()} walks anew. Errors listing a folder surface as UncheckedIOException.
 */
public final class ImageFolderSource implements Iterable<ImageRef> {
    public static final Set<String> DEFAULT_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final Set<String> extensions;
    private final boolean labelled;
    private final List<String> labels;
    private final java.util.Map<String, Integer> labelIndex = new java.util.HashMap<>();
    private final int shardIndex;
    private final int shardCount;
    private final SkippedReport skipped;

    private ImageFolderSource(Builder b) throws IOException {
        if (!Files.isDirectory(b.root)) {
            throw new IOException("image folder " + b.root + " does not exist or is not a folder");
        }
        this.root = b.root.toRealPath();
        this.extensions = b.extensions;
        this.labelled = b.labelled;
        this.shardIndex = b.shardIndex;
        this.shardCount = b.shardCount;
        this.skipped = b.skipped;
        this.labels = !labelled ? List.of() : b.classes != null ? b.classes : listClassFolders(root);
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** All images under {@code root}, default extensions, no labels, one shard. */
    public static ImageFolderSource of(Path root) throws IOException {
        return builder(root).build();
    }

    /** The real (symlink-resolved) root folder. */
    public Path root() {
        return root;
    }

    /** Class names (sorted root subfolder names); label i is labels().get(i). Empty without labels. */
    public List<String> labels() {
        return labels;
    }

    @Override
    public Iterator<ImageRef> iterator() {
        return new Walker();
    }

    /** Whether the relative path survives a round trip through a String (the JVM's file-name encoding). */
    private static boolean decodable(Path relative) {
        return relative.equals(relative.getFileSystem().getPath(relative.toString()));
    }

    /**
     * A path for reports: as the JVM decodes it when that round-trips, otherwise as in a file URI
     * (each byte that does not decode shown as {@code %XX}), so two such names stay apart.
     */
    private String shownName(Path p) {
        Path relative = root.relativize(p);
        if (decodable(relative)) {
            return relative.toString();
        }
        String all = p.toUri().getRawPath();
        String base = root.toUri().getRawPath();
        base = base.endsWith("/") ? base : base + "/";
        return all.startsWith(base) ? all.substring(base.length()) : all;
    }

    private static String kind(BasicFileAttributes attrs) {
        return attrs.isOther() ? "a FIFO, socket or device" : "neither file nor folder";
    }

    /** A sequential, ordered stream over {@link #iterator()}. */
    public Stream<ImageRef> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    private static List<String> listClassFolders(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toUnmodifiableList());
        }
    }

    /** By file name; raw bytes (as the URI shows them) break ties between names that decode alike. */
    private static final java.util.Comparator<Path> BY_NAME = java.util.Comparator.comparing((Path p) -> p.getFileName().toString())
            .thenComparing(p -> p.toUri().getRawPath());

    private boolean wanted(String fileName) {
        if (fileName.startsWith(".")) {
            return false;
        }
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && extensions.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Depth-first walk keeping one sorted listing per open folder. */
    private final class Walker implements Iterator<ImageRef> {
        private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
        private long kept;
        private ImageRef next;

        Walker() {
            stack.push(list(root));
        }

        @Override
        public boolean hasNext() {
            while (next == null && !stack.isEmpty()) {
                Iterator<Path> top = stack.peek();
                if (!top.hasNext()) {
                    stack.pop();
                    continue;
                }
                next = visit(top.next());
            }
            return next != null;
        }

        @Override
        public ImageRef next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ImageRef r = next;
            next = null;
            return r;
        }

        private ImageRef visit(Path p) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                return null;
            }
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                return null; // vanished between listing and visit
            }
            if (attrs.isDirectory()) {
                stack.push(list(p));
                return null;
            }
            if (!wanted(name)) {
                return null;
            }
            if (!decodable(root.relativize(p))) {
                String encoding = System.getProperty("sun.jnu.encoding", "?");
                report(p, RejectReason.INVALID_NAME, "the file name is not valid " + encoding + (encoding.equals("UTF-8") ? ""
                        : " (the encoding the JVM reads file names in; run under a UTF-8 locale such as LANG=C.UTF-8 to read UTF-8 names)"));
                return null;
            }
            if (attrs.isSymbolicLink() && !linkStaysInside(p)) {
                return null;
            }
            if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
                report(p, RejectReason.NOT_REGULAR_FILE, "not a regular file (" + kind(attrs) + "); not opened");
                return null;
            }
            long k = kept++;
            if (k % shardCount != shardIndex) {
                return null;
            }
            Path rel = root.relativize(p);
            return new ImageRef(rel, p, labelled ? labelOf(rel) : -1);
        }

        private void report(Path p, RejectReason reason, String message) {
            if (skipped != null) {
                skipped.add(shownName(p), reason, message);
            }
        }

        private boolean linkStaysInside(Path link) {
            Path rel = root.relativize(link);
            try {
                Path real = link.toRealPath();
                if (real.startsWith(root) && Files.isRegularFile(real)) {
                    return true;
                }
                if (real.startsWith(root) && skipped != null) {
                    skipped.add(rel.toString(), RejectReason.NOT_REGULAR_FILE,
                            "symbolic link to something that is not a regular file (" + real + "); not opened");
                }
                if (!real.startsWith(root) && skipped != null) {
                    skipped.add(rel.toString(), RejectReason.SYMLINK_ESCAPE,
                            "symbolic link points outside the root folder, to " + real);
                }
            } catch (IOException e) {
                if (skipped != null) {
                    skipped.add(rel.toString(), RejectReason.IO_ERROR, "broken symbolic link: " + e.getMessage());
                }
            }
            return false;
        }

        private int labelOf(Path rel) {
            if (rel.getNameCount() < 2) {
                return -1;
            }
            return labelIndex.getOrDefault(rel.getName(0).toString(), -1);
        }

        /**
         * The folder's entries sorted by name. The listed paths themselves are kept (not rebuilt
         * from their names): a name that is not valid in the JVM's file-name encoding would not
         * round-trip through a String and would silently vanish.
         */
        private Iterator<Path> list(Path dir) {
            List<Path> paths = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    paths.add(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list folder " + dir + ": " + e.getMessage(), e);
            }
            paths.sort(BY_NAME);
            return paths.iterator();
        }
    }

    /** Options of an {@link ImageFolderSource}. */
    public static final class Builder {
        private final Path root;
        private Set<String> extensions = DEFAULT_EXTENSIONS;
        private boolean labelled;
        private int shardIndex = 0;
        private int shardCount = 1;
        private SkippedReport skipped;
        private List<String> classes;

        private Builder(Path root) {
            this.root = root;
        }

        /** Extensions to keep, without dots, any case. */
        public Builder extensions(Set<String> exts) {
            if (exts.isEmpty()) {
                throw new IllegalArgumentException("extension filter must not be empty");
            }
            this.extensions = exts.stream().map(e -> e.replaceFirst("^\\.", "").toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            return this;
        }

        /** Class-per-subfolder labels. */
        public Builder labels(boolean on) {
            this.labelled = on;
            return this;
        }

        /**
         * Labels from a given class list instead of the root's folders (e.g. a test set labelled
         * with the training set's classes); files in folders not in the list get label -1.
         */
        public Builder classes(List<String> names) {
            if (names.isEmpty() || names.size() != new java.util.HashSet<>(names).size()) {
                throw new IllegalArgumentException("class list must be non-empty and without duplicates, got " + names);
            }
            this.classes = List.copyOf(names);
            this.labelled = true;
            return this;
        }

        /** Keep only shard {@code index} of {@code count} (0 ≤ index < count). */
        public Builder shard(int index, int count) {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard must be i/n with 0 <= i < n, got " + index + "/" + count);
            }
            this.shardIndex = index;
            this.shardCount = count;
            return this;
        }

        /** Where escaping or broken symbolic links are reported. */
        public Builder skipped(SkippedReport report) {
            this.skipped = report;
            return this;
        }

        /** @throws IOException if the root is not a readable folder */
        public ImageFolderSource build() throws IOException {
            return new ImageFolderSource(this);
        }
    }
}
