package dev.clpipe.pipeline;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line that says why a run failed, for run.json and the last log line: the stage, what went
 * wrong, and for memory errors what to change (a stack trace is in log.txt, not here).
 */
public final class FailureReason {
    private FailureReason() {}

    /** @param stage the stage that failed first, or null when unknown */
    public static String of(Throwable failed, String stage) {
        String where = stage == null ? "" : "stage " + stage + ": ";
        if (failed instanceof OutOfMemoryError) return where + "out of memory (" + failed.getMessage() + "); " + MEMORY_ADVICE;
        return where + message(failed);
    }

    /**
     * The first line of the message, with the root cause's when it says more ("No space left on
     * device" under an image writer's message). The JDK's file-system exceptions carry only the
     * path as their message ({@code runs}), so their kind is put into words.
     */
    public static String message(Throwable failed) {
        if (failed instanceof UncheckedIOException u && u.getCause() != null && u.getCause().toString().equals(u.getMessage())) {
            failed = u.getCause(); // a bare wrapper: its message is only the cause's class and path
        }
        if (failed instanceof FileSystemException f && f.getFile() != null) return fileSystem(f);
        String message = failed.getMessage();
        String line = message == null || message.isBlank() ? failed.getClass().getSimpleName() : message.lines().findFirst().orElse("");
        Throwable root = failed;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String rootMessage = root == failed || root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        return rootMessage.isBlank() || line.contains(rootMessage) ? line : line + " (" + rootMessage + ")";
    }

    private static String fileSystem(FileSystemException e) {
        String what = e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof FileAlreadyExistsException ? "already exists (and is not a folder clpipe may write into)"
                : e instanceof NotDirectoryException ? "is not a folder"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof DirectoryNotEmptyException ? "folder is not empty"
                : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        return e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile()) + ": " + what;
    }

    /**
     * Whether a full disk (or quota) caused this failure: the JDK reports ENOSPC and EDQUOT only
     * as the C library's message, so the messages down the cause chain are compared. Such a
     * failure is not a data error: the inputs are fine, and freeing space then --resume finishes.
     */
    public static boolean outOfSpace(Throwable failed) {
        for (Throwable t = failed; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) return true;
        }
        return false;
    }

    /** What to change when the JVM runs out of memory. */
    public static final String MEMORY_ADVICE = "lower the batch (--set batch=N) or the worker threads (--set workers=N), "
            + "or give the JVM more memory, e.g. CLPIPE_JAVA_OPTS=-Xmx8g ./clpipe run ...";
}
