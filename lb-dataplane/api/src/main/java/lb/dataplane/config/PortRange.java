package lb.dataplane.config;

/**
 * An inclusive range of destination ports, printed {@code start-end} (a single port {@code p} as {@code p-p}).
 *
 * <p>Any ints are representable so that the validator, not the constructor, reports a bad range with its rule.
 */
public record PortRange(int start, int end) implements Comparable<PortRange> {
    /** The highest port. */
    public static final int MAX_PORT = 65535;
    /** Every port: NLB's default for a new rule. */
    public static final PortRange ALL = new PortRange(0, MAX_PORT);

    /**
     * Parses {@code 80} or {@code 80-90}.
     *
     * @throws IllegalArgumentException naming the text when it is neither.
     */
    public static PortRange parse(final String text) {
        final String trimmed = text.trim();
        final int dash = trimmed.indexOf('-', 1);
        try {
            if (dash < 0) {
                final int port = Integer.parseInt(trimmed);
                return new PortRange(port, port);
            }
            return new PortRange(
                Integer.parseInt(trimmed.substring(0, dash).trim()), Integer.parseInt(trimmed.substring(dash + 1).trim()));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port or a port range start-end");
        }
    }

    /**
     * Whether start and end are ports and start is not after end.
     */
    public boolean isValid() {
        return start >= 0 && start <= end && end <= MAX_PORT;
    }

    /**
     * Whether the port is in the range.
     */
    public boolean contains(final int port) {
        return port >= start && port <= end;
    }

    /**
     * Whether some port is in both ranges.
     */
    public boolean overlaps(final PortRange other) {
        return start <= other.end && other.start <= end;
    }

    @Override
    public int compareTo(final PortRange other) {
        return start != other.start ? Integer.compare(start, other.start) : Integer.compare(end, other.end);
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
