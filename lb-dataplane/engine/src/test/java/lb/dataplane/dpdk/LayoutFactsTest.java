package lb.dataplane.dpdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutFactsTest {
    @Test
    void shouldAgreeWithTheShimOnEveryOffsetSizeAndConstant() {
        final Map<String, Long> shim = LayoutFacts.fromShim();
        assertTrue(shim.containsKey("rte_mbuf.data_off"), "shim facts: " + shim.keySet());
        assertEquals(List.of(), LayoutFacts.differences(shim, LayoutFacts.fromJava()));
        assertDoesNotThrow(LayoutFacts::verify);
    }

    @Test
    void shouldNameEveryFactThatDiffersIsMissingOrUnchecked() {
        final Map<String, Long> java = new LinkedHashMap<>();
        java.put("rte_mbuf.data_off", 16L);
        java.put("rte_mbuf.pkt_len", 36L);
        java.put("sizeof(struct rte_mbuf)", 128L);
        final Map<String, Long> shim = new LinkedHashMap<>();
        shim.put("rte_mbuf.data_off", 18L);
        shim.put("sizeof(struct rte_mbuf)", 128L);
        shim.put("rte_mbuf.new_field", 99L);

        assertEquals(List.of(
            "rte_mbuf.data_off: C says 18, Java bindings say 16",
            "rte_mbuf.pkt_len: Java relies on it but the shim does not report it",
            "rte_mbuf.new_field: the shim reports it but Java does not check it"),
            LayoutFacts.differences(shim, java));
    }
}
