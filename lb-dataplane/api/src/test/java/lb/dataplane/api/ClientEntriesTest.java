package lb.dataplane.api;

import lb.dataplane.api.sbe.IpVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientEntriesTest {
    @Test
    void shouldRefuseAnEntryBeyondCapacityAndRefillAfterClear() {
        final ClientEntries entries = new ClientEntries(1);
        entries.add(IpVersion.V4, 0, Addresses.ipv4MappedLow(1), 2, 3);
        assertTrue(entries.isFull());
        assertThrows(IllegalStateException.class, () -> entries.add(IpVersion.V4, 0, 0, 2, 3));

        entries.clear();
        entries.add(IpVersion.V6, 7, 8, 9, ClientEntries.MAX_EXPIRES_IN_MS);
        assertEquals(1, entries.size());
        assertEquals(9, entries.owner(0));
        assertEquals(ClientEntries.MAX_EXPIRES_IN_MS, entries.expiresInMs(0));
    }

    @Test
    void shouldNameTheFieldWhenAValueDoesNotFitTheWire() {
        final ClientEntries entries = new ClientEntries(4);
        assertEquals("owner host id must be 0-65535, was 65536", assertThrows(IllegalArgumentException.class,
            () -> entries.add(IpVersion.V4, 0, 0, 65_536, 0)).getMessage());
        assertEquals("expiresInMs must be 0-4294967295, was -1", assertThrows(IllegalArgumentException.class,
            () -> entries.add(IpVersion.V4, 0, 0, 1, -1)).getMessage());
    }
}
