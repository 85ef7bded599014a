package dev.clpipe.pipeline;

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

    /** The first line of the message, with the root cause's when it says more ("No space left on device" under an image writer's message). */
    public static String message(Throwable failed) {
        String message = failed.getMessage();
        String line = message == null || message.isBlank() ? failed.getClass().getSimpleName() : message.lines().findFirst().orElse("");
        Throwable root = failed;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String rootMessage = root == failed || root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        return rootMessage.isBlank() || line.contains(rootMessage) ? line : line + " (" + rootMessage + ")";
    }

    /** What to change when the JVM runs out of memory. */
    public static final String MEMORY_ADVICE = "lower the batch (--set batch=N) or the worker threads (--set workers=N), "
            + "or give the JVM more memory, e.g. CLPIPE_JAVA_OPTS=-Xmx8g ./clpipe run ...";
}
