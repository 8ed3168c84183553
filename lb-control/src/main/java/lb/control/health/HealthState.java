package lb.control.health;

/**
 * Rise and fall counting of one check, pure: {@code fall} failures in a row make a healthy rule unhealthy, {@code
 * rise} successes in a row make an unhealthy one healthy; it starts healthy.
 */
public final class HealthState {
    private final int rise;
    private final int fall;
    private boolean healthy = true;
    private int inARow;
    private String lastFailure = "";

    public HealthState(final int rise, final int fall) {
        this.rise = rise;
        this.fall = fall;
    }

    /**
     * One check's result.
     *
     * @param failure why it failed, or null when it passed.
     * @return whether the state changed.
     */
    public boolean result(final String failure) {
        final boolean passed = failure == null;
        if (!passed) {
            lastFailure = failure;
        }
        if (passed == healthy) {
            inARow = 0;
            return false;
        }
        inARow++;
        if (inARow >= (healthy ? fall : rise)) {
            healthy = !healthy;
            inARow = 0;
            return true;
        }
        return false;
    }

    public boolean healthy() {
        return healthy;
    }

    /** Why the last failed check failed ("" before any). */
    public String lastFailure() {
        return lastFailure;
    }
}
