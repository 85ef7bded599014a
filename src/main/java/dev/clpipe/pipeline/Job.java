package dev.clpipe.pipeline;

/** A self-contained step that owns its loop (training, evaluation), run between streams. */
public interface Job {
    void run(StageContext context) throws Exception;
}
