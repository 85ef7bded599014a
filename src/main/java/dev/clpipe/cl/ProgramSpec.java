package dev.clpipe.cl;

/** A kernel file plus the build options (e.g. tile-size defines) one variant is built with. */
public record ProgramSpec(String file, String options) {
    public ProgramSpec {
        if (file == null || !file.endsWith(".cl")) throw new IllegalArgumentException("kernel file must end in .cl: " + file);
        options = options == null ? "" : options.strip();
    }
}
