package lb.dataplane.config;

/**
 * A host's load weight on a multiple-host rule: 0 (no new traffic) to 100, or {@link #EQUAL}.
 *
 * <p>{@code EQUAL} counts as 50, the middle of the range and NLB's preset value, so that a rule where every host says
 * equal splits evenly and a rule mixing equal with numbers still has a defined meaning.
 */
public record LoadWeight(boolean equal, int percent) {
    /** Highest weight. */
    public static final int MAX = 100;
    /** What {@link #EQUAL} counts as. */
    public static final int EQUAL_PERCENT = 50;
    /** Equal share: NLB's default. */
    public static final LoadWeight EQUAL = new LoadWeight(true, EQUAL_PERCENT);

    public LoadWeight {
        if (equal && percent != EQUAL_PERCENT) {
            throw new IllegalArgumentException("an equal load weight counts as " + EQUAL_PERCENT + ", not " + percent);
        }
    }

    /**
     * An explicit weight; any int is held so that the validator reports a bad one with its host and rule.
     */
    public static LoadWeight of(final int percent) {
        return new LoadWeight(false, percent);
    }

    /**
     * Whether the weight is {@link #EQUAL} or within 0..100.
     */
    public boolean isValid() {
        return equal || (percent >= 0 && percent <= MAX);
    }

    @Override
    public String toString() {
        return equal ? "equal" : Integer.toString(percent);
    }
}
