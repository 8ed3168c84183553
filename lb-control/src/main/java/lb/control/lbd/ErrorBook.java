package lb.control.lbd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import lb.control.admin.OperatorCodec;

/**
 * The recent distinct errors and warnings of one source (lbd's log, the dataplane's log), for {@code lbctl errors}:
 * each kept once with how often it happened and when first and last. Lines are grouped with their numbers blanked
 * (a pid, an epoch or a correlation id does not make an error new); the latest line of a group is the one shown. At
 * most {@link #CAPACITY} groups: the one seen longest ago goes first. Thread safe (lbd logs from more than one
 * thread).
 */
final class ErrorBook {
    static final int CAPACITY = 64;
    private static final Pattern NUMBERS = Pattern.compile("\\d+");
    /** What makes a log line an error. */
    private static final Pattern ERROR = Pattern.compile("(?i:\\b(error|failed|fail|cannot)\\b)|[a-z]Exception\\b");
    /** What makes a log line a warning: something went wrong that lb works around. */
    private static final Pattern WARNING = Pattern.compile("\\b(refused|refuses|not delivered|given up|lost|" +
        "did not|no status|skipped|timed out|warn|warning|missed|not answering)\\b", Pattern.CASE_INSENSITIVE);

    private record Group(String severity, String message, long count, long firstMs, long lastMs) {
    }

    private final String source;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    ErrorBook(final String source) {
        this.source = source;
    }

    /** The severity of a log line: "error", "warning", or null when it is neither. */
    static String severity(final String line) {
        if (ERROR.matcher(line).find()) {
            return "error";
        }
        return WARNING.matcher(line).find() ? "warning" : null;
    }

    /** Notes a log line if it is an error or a warning. */
    synchronized void offer(final long nowMs, final String line) {
        final String severity = severity(line);
        if (severity == null) {
            return;
        }
        final String key = NUMBERS.matcher(line).replaceAll("#").toLowerCase(Locale.ROOT);
        final Group before = groups.remove(key);
        groups.put(key, before == null ? new Group(severity, line, 1, nowMs, nowMs) :
            new Group(severity, line, before.count() + 1, before.firstMs(), nowMs));
        if (groups.size() > CAPACITY) {
            groups.remove(groups.keySet().iterator().next());
        }
    }

    /** Every group, the latest first. */
    synchronized List<OperatorCodec.ErrorEntry> entries() {
        final List<OperatorCodec.ErrorEntry> entries = new ArrayList<>();
        for (final Group group : groups.values()) {
            entries.add(new OperatorCodec.ErrorEntry(source, group.severity(), group.message(), group.count(),
                group.firstMs(), group.lastMs()));
        }
        entries.sort(Comparator.comparingLong(OperatorCodec.ErrorEntry::lastMs).reversed());
        return entries;
    }
}
