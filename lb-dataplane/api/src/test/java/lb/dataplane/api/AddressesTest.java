package lb.dataplane.api;

import lb.dataplane.api.sbe.IpAddressDecoder;
import lb.dataplane.api.sbe.IpAddressEncoder;
import lb.dataplane.api.sbe.IpVersion;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressesTest {
    @Test
    void shouldWriteNetworkOrderBytesWithIpv4Mapped() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[IpAddressEncoder.ENCODED_LENGTH]);
        Addresses.put(new IpAddressEncoder().wrap(buffer, 0), IpVersion.V4, 0, Addresses.ipv4MappedLow(0x0a00_0064));

        final byte[] address = new byte[16];
        buffer.getBytes(0, address);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xff, (byte)0xff, 10, 0, 0, 100}, address);
        final IpAddressDecoder decoder = new IpAddressDecoder().wrap(buffer, 0);
        assertEquals(IpVersion.V4, decoder.version());
        assertEquals(0, Addresses.high(decoder));
        assertEquals(Addresses.ipv4MappedLow(0x0a00_0064), Addresses.low(decoder));
    }

    @Test
    void shouldInsistTheVersionMatchesTheAddressForm() {
        final long v4Low = Addresses.ipv4MappedLow(0xc0a8_0001);
        assertTrue(Addresses.isConsistent(IpVersion.V4, 0, v4Low));
        assertFalse(Addresses.isConsistent(IpVersion.V6, 0, v4Low));
        assertTrue(Addresses.isConsistent(IpVersion.V6, 0x2001_0db8_0000_0000L, 1));
        assertFalse(Addresses.isConsistent(IpVersion.V4, 0x2001_0db8_0000_0000L, 1));
        assertFalse(Addresses.isConsistent(IpVersion.SBE_UNKNOWN, 0, v4Low));
    }
}
