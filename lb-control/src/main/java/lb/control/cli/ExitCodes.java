package lb.control.cli;

/**
 * lbctl's exit statuses, stable for scripts (README, "lbctl"): each failure kind has its own.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Something unexpected failed; stderr says what. */
    public static final int FAILURE = 1;
    /** The command line is wrong; stderr names the option. */
    public static final int USAGE = 2;
    /** lbd or the dataplane is not reachable (no counters file, no answer). */
    public static final int UNREACHABLE = 3;
    /** lbd refused the change; stderr carries its reason. */
    public static final int REFUSED = 4;
    /** No answer in time. */
    public static final int TIMEOUT = 5;

    private ExitCodes() {
    }
}
