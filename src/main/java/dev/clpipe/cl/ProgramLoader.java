package dev.clpipe.cl;

import org.jocl.cl_program;

/** Produces built programs for one context: by compiling (with a cache) or from offline binaries. */
public interface ProgramLoader {
    cl_program load(ClContext context, KernelSource source, String options);
}
