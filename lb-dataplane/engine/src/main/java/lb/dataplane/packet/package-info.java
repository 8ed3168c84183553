/**
 * Frames in place: {@link lb.dataplane.packet.PacketParser} reads an Ethernet frame where the NIC wrote it into a
 * per-worker {@link lb.dataplane.packet.ParsedPacket} (or names a {@link lb.dataplane.packet.ParseResult} drop
 * reason), and {@link lb.dataplane.packet.ArpWriter} and {@link lb.dataplane.packet.NdWriter} write the ARP and ND
 * frames that announce or answer for a VIP. The {@code *Descriptor} classes draw each header's layout next to its
 * offsets. Nothing here allocates or throws per packet.
 */
package lb.dataplane.packet;
