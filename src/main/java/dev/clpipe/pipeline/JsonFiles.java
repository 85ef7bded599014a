package dev.clpipe.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Writes JSON files atomically, so a reader (or a crash) never leaves half a file. */
public final class JsonFiles {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFiles() {}

    public static void write(Path target, Object value) throws IOException {
        AtomicFiles.write(target, true, JSON.writeValueAsBytes(value));
    }
}
