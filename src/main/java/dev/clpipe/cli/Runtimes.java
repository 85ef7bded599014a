package dev.clpipe.cli;

import dev.clpipe.cl.ClRuntime;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/** The device runtime a command asked for: compiling with the cache, or offline binaries only. */
final class Runtimes {
    static final Option KERNELS_OPTION = Option.builder().longOpt("kernels").hasArg().argName("DIR")
            .desc("load kernel binaries from DIR (written by 'clpipe kernels build') and never compile").build();

    private Runtimes() {}

    static ClRuntime from(CommandLine line) {
        return line.hasOption("kernels") ? ClRuntime.offline(Path.of(line.getOptionValue("kernels"))) : ClRuntime.standard();
    }
}
