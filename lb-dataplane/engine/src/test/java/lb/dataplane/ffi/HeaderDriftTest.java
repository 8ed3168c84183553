package lb.dataplane.ffi;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails when the Java bindings in {@link Dpdk} and the C headers disagree: every shim function
 * (lb_shim.h) must be bound with the same name, arity and types, nothing else lb_* may be bound, and
 * every bound DPDK function must match its declaration in the installed DPDK headers.
 */
class HeaderDriftTest {
    private static final Path PROJECT = Path.of(System.getProperty("lb.project.dir", "..")).toAbsolutePath();
    private static final Path SHIM_HEADER = PROJECT.resolve("native/include/lb_shim.h");
    private static final Path DPDK_INCLUDE = Path.of("/usr/include/dpdk");

    @Test
    void shouldBindEveryShimFunctionWithTheHeadersSignature() throws IOException {
        final Map<String, CHeaderPrototypes.Prototype> header = CHeaderPrototypes.read(SHIM_HEADER);
        final Map<String, FunctionDescriptor> java = bound("lb_");
        assertTrue(header.size() >= 7, "parsed only " + header.keySet() + " from " + SHIM_HEADER);

        final List<String> drift = new ArrayList<>();
        final TreeSet<String> names = new TreeSet<>(header.keySet());
        names.addAll(java.keySet());
        for (final String name : names) {
            compare(name, header.get(name), java.get(name), SHIM_HEADER.toString(), drift);
        }
        assertEquals(List.of(), drift, "lb_shim.h and lb.dataplane.ffi.Dpdk disagree; regenerate the bindings " +
            "with native/jextract.sh:\n" + String.join("\n", drift));
    }

    @Test
    void shouldBindEveryDpdkFunctionWithTheInstalledHeadersSignature() throws IOException {
        assertTrue(Files.isDirectory(DPDK_INCLUDE), DPDK_INCLUDE + " is missing: install dpdk-dev (./lb test does)");
        final Map<String, CHeaderPrototypes.Prototype> declared = new TreeMap<>();
        try (Stream<Path> headers = Files.list(DPDK_INCLUDE)) {
            for (final Path header : headers.filter(p -> p.toString().endsWith(".h")).sorted().toList()) {
                CHeaderPrototypes.read(header).forEach(declared::putIfAbsent);
            }
        }
        final Map<String, FunctionDescriptor> java = bound("rte_");
        assertTrue(java.size() >= 20, "expected the DPDK bindings, found " + java.keySet());

        final List<String> drift = new ArrayList<>();
        java.forEach((name, descriptor) -> compare(name, declared.get(name), descriptor, DPDK_INCLUDE.toString(), drift));
        assertEquals(List.of(), drift, "the DPDK headers and lb.dataplane.ffi.Dpdk disagree:\n" +
            String.join("\n", drift));
    }

    @Test
    void shouldBindExactlyTheFunctionsJextractIsToldToInclude() throws IOException {
        final TreeSet<String> listed = new TreeSet<>();
        for (final String line : Files.readAllLines(PROJECT.resolve("native/jextract-symbols.txt"))) {
            if (line.startsWith("--include-function ")) {
                listed.add(line.substring("--include-function ".length()).strip());
            }
        }
        final TreeSet<String> bound = new TreeSet<>(bound("lb_").keySet());
        bound.addAll(bound("rte_").keySet());
        assertEquals(listed, bound, "native/jextract-symbols.txt and lb.dataplane.ffi.Dpdk list different functions");
    }

    @Test
    void shouldReadPrototypesTheWayJextractMapsThem() {
        assertEquals(FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_SHORT,
                java.lang.foreign.ValueLayout.JAVA_SHORT, java.lang.foreign.ValueLayout.ADDRESS,
                java.lang.foreign.ValueLayout.JAVA_INT),
            parse("uint16_t f(uint16_t port_id, struct rte_mbuf **pkts, unsigned int n);"));
        assertEquals(FunctionDescriptor.ofVoid(java.lang.foreign.ValueLayout.ADDRESS),
            parse("void f(const struct rte_eth_conf *);"));
        assertEquals(FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS),
            parse("__rte_experimental const char *f(void) __rte_warn_unused_result;"));
        assertEquals(FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT,
                java.lang.foreign.ValueLayout.JAVA_INT),
            parse("int\nf(unsigned int);"));
    }

    private static FunctionDescriptor parse(final String declaration) {
        try {
            final Path file = Files.createTempFile("proto", ".h");
            Files.writeString(file, declaration + "\nstatic inline int g(void) { return 0; }\n");
            final Map<String, CHeaderPrototypes.Prototype> read = CHeaderPrototypes.read(file);
            Files.delete(file);
            assertEquals(List.of("f"), List.copyOf(read.keySet()), declaration);
            return read.get("f").descriptor();
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static void compare(final String name, final CHeaderPrototypes.Prototype c, final FunctionDescriptor java,
        final String where, final List<String> drift) {
        if (c == null) {
            drift.add(name + ": bound in Java but not declared in " + where);
        } else if (java == null) {
            drift.add(name + ": declared in " + where + " but not bound in Java (" + c.text() + ")");
        } else {
            final String cCarriers;
            try {
                cCarriers = carriers(c.descriptor());
            } catch (final IllegalArgumentException ex) {
                drift.add(name + ": C `" + c.text() + "`: " + ex.getMessage());
                return;
            }
            if (!cCarriers.equals(carriers(java))) {
                drift.add(name + ": C `" + c.text() + "` is " + cCarriers + " but Java binds " + carriers(java));
            }
        }
    }

    /** Names and attributes aside, what the call passes: e.g. "(short,short,address,short)short". */
    private static String carriers(final FunctionDescriptor descriptor) {
        final StringBuilder text = new StringBuilder("(");
        final List<MemoryLayout> args = descriptor.argumentLayouts();
        for (int i = 0; i < args.size(); i++) {
            text.append(i == 0 ? "" : ",").append(carrier(args.get(i)));
        }
        return text.append(')').append(descriptor.returnLayout().map(HeaderDriftTest::carrier).orElse("void"))
            .toString();
    }

    private static String carrier(final MemoryLayout layout) {
        return ((java.lang.foreign.ValueLayout)layout).carrier().getSimpleName().replace("MemorySegment", "address");
    }

    /** Every function the bindings expose, found by jextract's {@code name$descriptor()} accessors. */
    private static Map<String, FunctionDescriptor> bound(final String prefix) {
        final Map<String, FunctionDescriptor> bound = new TreeMap<>();
        Arrays.stream(Dpdk.class.getDeclaredMethods())
            .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getName().endsWith("$descriptor") &&
                m.getName().startsWith(prefix))
            .forEach(m -> bound.put(m.getName().substring(0, m.getName().length() - "$descriptor".length()),
                descriptor(m)));
        return bound;
    }

    private static FunctionDescriptor descriptor(final Method method) {
        try {
            return (FunctionDescriptor)method.invoke(null);
        } catch (final ReflectiveOperationException ex) {
            throw new AssertionError("cannot read " + method, ex);
        }
    }
}
