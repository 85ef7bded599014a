package dev.clpipe.cli;

/** The documented process exit codes (README, DESIGN.md). */
public enum ExitCode {
    OK(0), OTHER(1), USAGE(2), DEVICE(3), DATA(4);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
