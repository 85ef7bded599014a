package dev.clpipe.data;

import java.nio.file.Path;

/**
 * One image file found by {@link ImageFolderSource}.
 *
 * @param relative root-relative path (use it in reports and outputs)
 * @param absolute absolute path to open
 * @param label    index into {@link ImageFolderSource#labels()}, or -1 without labels / for files
 *                 directly in the root
 */
public record ImageRef(Path relative, Path absolute, int label) {
    /**
     * Root-relative path with '/' separators on every OS. A backslash is a separator only where the
     * OS says so: on Linux {@code a\b.png} is one file name and stays one.
     */
    public String name() {
        String separator = relative.getFileSystem().getSeparator();
        return separator.equals("/") ? relative.toString() : relative.toString().replace(separator, "/");
    }
}
