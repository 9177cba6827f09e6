package io.gatehouse.app.cli;

/** The exit codes every gatehouse command uses (sysexits-style where one fits). */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed at run time. */
    public static final int FAILURE = 1;
    /** The command line or the configuration is wrong; the message says how. */
    public static final int USAGE = 2;
    /** A needed resource (a port, a server) is unavailable. */
    public static final int UNAVAILABLE = 69;

    private ExitCodes() {
    }
}
