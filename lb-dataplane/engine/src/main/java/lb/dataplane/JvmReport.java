package lb.dataplane;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * What the JVM did while the dataplane ran, for operators and the benchmark harness: the garbage
 * collectors in use and their collections, and the heap bytes the worker threads allocated (the hot
 * path's claim is zero per packet).
 */
final class JvmReport {
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final List<Thread> workers = new ArrayList<>();

    /**
     * @param worker a worker thread to account for.
     */
    void addWorker(final Thread worker) {
        workers.add(worker);
    }

    /**
     * @return bytes allocated on the heap by the worker threads so far (those still alive).
     */
    long workerAllocatedBytes() {
        long sum = 0;
        for (final Thread t : workers) {
            final long bytes = threads.getThreadAllocatedBytes(t.threadId());
            if (bytes > 0) {
                sum += bytes;
            }
        }
        return sum;
    }

    /**
     * @return collections by every collector so far (pauses and concurrent cycles).
     */
    static long collectionCount() {
        long sum = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        return sum;
    }

    /**
     * @return e.g. {@code "jvm 25.0.1+8-LTS, gc G1 Young Generation, G1 Concurrent GC, G1 Old Generation"}.
     */
    static String describe() {
        final List<String> names = new ArrayList<>();
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName());
        }
        return "jvm " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), gc " +
            String.join(", ", names) + ", heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    /**
     * @return e.g. {@code "gc: G1 Young Generation 0 collections 0 ms; G1 Old Generation 0 collections 0 ms"}.
     */
    static String collections() {
        final List<String> parts = new ArrayList<>();
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            parts.add(gc.getName() + " " + gc.getCollectionCount() + " collections " + gc.getCollectionTime() + " ms");
        }
        return "gc: " + String.join("; ", parts);
    }
}
