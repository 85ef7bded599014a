package dev.clpipe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Options;

/** The text of {@code --help}, overall and per command. */
final class HelpText {
    private HelpText() {}

    static String overview(Collection<Command> commands) {
        StringBuilder text = new StringBuilder();
        text.append("clpipe ").append(Main.version()).append(" - config-driven image pipelines on any OpenCL device\n\n");
        text.append("usage: clpipe COMMAND [options]   (clpipe COMMAND --help for its options)\n\ncommands:\n");
        for (Command c : commands) text.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        text.append("""

                common options: -v/--verbose, -q/--quiet, -h/--help
                device strings (--device): auto, cpu, gpu, accelerator, all, P:D, name~TEXT, comma lists
                exit codes: 0 ok, 1 other error, 2 usage or config error, 3 device/OpenCL error, 4 data error
                environment: CLPIPE_CACHE (compiled kernel cache, default ~/.cache/clpipe)
                """);
        return text.toString();
    }

    static String forCommand(Command command, Options options) {
        StringWriter buffer = new StringWriter();
        PrintWriter writer = new PrintWriter(buffer);
        HelpFormatter formatter = new HelpFormatter();
        formatter.setWidth(100);
        String usage = "clpipe " + command.name() + " [options]" + (command.arguments().isEmpty() ? "" : " " + command.arguments());
        formatter.printHelp(writer, 100, usage, command.summary(), options, 2, 4, "", false);
        writer.flush();
        return buffer.toString();
    }
}
