package dev.clpipe.cli;

import dev.clpipe.cl.ClException;
import dev.clpipe.cl.DeviceSelector;
import dev.clpipe.cl.ProgramStats;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.Suggestions;
import dev.clpipe.nn.TrainingDivergedException;
import dev.clpipe.pipeline.FailureReason;
import dev.clpipe.pipeline.MissingInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** {@code clpipe SUBCOMMAND [options]}: dispatch, common flags, and the mapping of errors to exit codes. */
public final class Main {
    static {
        dev.clpipe.pipeline.ConsoleLogConfig.selectUnlessSet(); // before the first logger below
    }

    private static final Logger LOG = LogManager.getLogger(Main.class);
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream out;

    Main(PrintStream out, List<Command> available) {
        this.out = out;
        available.forEach(c -> commands.put(c.name(), c));
    }

    static Main standard(PrintStream out) {
        return new Main(out, List.of(new RunCommand(), new ValidateCommand(out), new DevicesCommand(out), new KernelsCommand(out),
                new BenchCommand(out), new ModelCommand(out)));
    }

    public static void main(String[] args) {
        int code = standard(System.out).run(args).code;
        System.out.flush();
        System.exit(code);
    }

    ExitCode run(String[] args) {
        try {
            return dispatch(args);
        } catch (UsageException | ParseException | DeviceSelector.SyntaxException e) {
            LOG.error("{}", e.getMessage());
            LOG.error("run 'clpipe --help' for usage");
            return ExitCode.USAGE;
        } catch (MissingInputException e) {
            LOG.error("{}", e.getMessage());
            return ExitCode.DATA;
        } catch (ConfigException | dev.clpipe.pipeline.PluginException e) {
            LOG.error("{}", e.getMessage());
            return ExitCode.USAGE;
        } catch (ClException | dev.clpipe.data.CodecUnavailableException e) {
            LOG.error("{}", e.getMessage());
            return ExitCode.DEVICE;
        } catch (IOException | UncheckedIOException e) {
            if (!FailureReason.outOfSpace(e)) {
                LOG.error("{}", FailureReason.message(e));
                return ExitCode.DATA;
            }
            return outOfSpace(e);
        } catch (TrainingDivergedException e) {
            LOG.error("{}; try a lower learning rate, e.g. --set stages[train].optimizer.lr=0.01", e.getMessage());
            return ExitCode.OTHER;
        } catch (Exception e) {
            if (FailureReason.outOfSpace(e)) return outOfSpace(e);
            LOG.error("unexpected failure: {}", e.toString(), e);
            return ExitCode.OTHER;
        } catch (OutOfMemoryError e) {
            LOG.error("out of memory ({}); {}", e.getMessage(), FailureReason.MEMORY_ADVICE);
            return ExitCode.OTHER;
        } catch (Error e) { // StackOverflowError, an Error from a library: a bug, so the trace goes to the log
            LOG.error("unexpected failure: {}", e.toString(), e);
            return ExitCode.OTHER;
        }
    }

    /** A full disk is no data error (the inputs are fine): exit 1 as README "Exit codes" says, with what to do. */
    private static ExitCode outOfSpace(Exception e) {
        LOG.error("{}; free some space, then continue with --resume RUN_DIR", FailureReason.message(e));
        return ExitCode.OTHER;
    }

    private ExitCode dispatch(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(HelpText.overview(commands.values()));
            return args.length == 0 ? ExitCode.USAGE : ExitCode.OK;
        }
        if (args[0].equals("--version")) {
            out.println("clpipe " + version());
            return ExitCode.OK;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            throw new UsageException("unknown command '" + args[0] + "'" + Suggestions.hint(args[0], commands.keySet()) + " (commands: "
                    + String.join(", ", commands.keySet()) + ")");
        }
        Options options = withCommonOptions(command.options());
        CommandLine line = new DefaultParser().parse(options, Arrays.copyOfRange(args, 1, args.length));
        if (line.hasOption("help")) {
            out.print(HelpText.forCommand(command, options));
            return ExitCode.OK;
        }
        Logging.configure(line.hasOption("verbose"), line.hasOption("quiet"));
        ExitCode code = command.execute(line);
        LOG.debug("{}", ProgramStats.summary());
        return code;
    }

    static Options withCommonOptions(Options own) {
        Options options = new Options();
        own.getOptions().forEach(options::addOption);
        options.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        options.addOption(Option.builder("v").longOpt("verbose").desc("log details (debug level)").build());
        options.addOption(Option.builder("q").longOpt("quiet").desc("log warnings and errors only").build());
        return options;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
