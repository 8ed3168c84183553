package lb.dataplane.pipeline;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import lb.dataplane.net.IpProtocol;
import lb.dataplane.net.Ipv4Mapped;
import lb.dataplane.packet.ArpDescriptor;
import lb.dataplane.packet.ArpWriter;
import lb.dataplane.packet.Checksums;
import lb.dataplane.packet.EthernetDescriptor;
import lb.dataplane.packet.FrameKind;
import lb.dataplane.packet.NdWriter;
import lb.dataplane.packet.PacketParser;
import lb.dataplane.packet.ParseResult;
import lb.dataplane.packet.ParsedPacket;
import lb.dataplane.view.DataplaneView;

/**
 * The per-frame logic of a worker, independent of I/O so the same code runs on DPDK mbufs, on pcap
 * files and in unit tests: {@link #ingress} for frames from the cluster network, {@link #egress} for
 * frames from the host's kernel. It rewrites frames in place, never copies, allocates or throws.
 *
 * <p>Ingress: a VIP packet is classified ({@link Classifier}); accepted ones get the kernel port's MAC
 * as destination so the host's stack takes them. ARP and ND requests for a VIP are answered in place,
 * naming the cluster MAC, only while the view lets this host answer; other hosts' announcements of a
 * VIP are dropped. Everything else is the host's own traffic, passed when it is addressed to this host; IP
 * packets to the cluster MAC that are not for a VIP are dropped, since the cluster MAC carries only VIP traffic.
 *
 * <p>Egress (the stale-ARP rule): every ARP or ND frame the kernel sends that claims a VIP is checked
 * against the current view as it leaves; allowed ones are rewritten to name the cluster MAC, the rest
 * are dropped, and so are those claiming an address the config no longer has as a VIP (the host's kernel may
 * still hold it). Packets from a VIP leave with the view's source MAC (masked in unicast mode).
 */
public final class Pipeline {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ND_NEIGHBOR_SOLICITATION = 135;
    private static final int ND_NEIGHBOR_ADVERTISEMENT = 136;
    private static final int ICMPV6_CHECKSUM_OFFSET = 2;
    /** Most frames {@link #prepare} takes per burst (the dataplane's largest --burst). */
    public static final int MAX_BURST = 512;

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket packet = new ParsedPacket();
    private final Classifier classifier;
    private final long kernelMac;
    private final long nicMac;
    private final ParsedPacket[] packets = new ParsedPacket[MAX_BURST];
    private final int[] parseResults = new int[MAX_BURST];
    private final int[] hints = new int[MAX_BURST];
    private int lastLength;
    private int lastParseResult;

    /**
     * @param classifier the classifier of this worker.
     * @param nicMac     MAC of the cluster-network port.
     * @param kernelMac  MAC of the kernel (exception path) port.
     */
    public Pipeline(final Classifier classifier, final long nicMac, final long kernelMac) {
        this.classifier = classifier;
        for (int i = 0; i < MAX_BURST; i++) {
            packets[i] = new ParsedPacket();
        }
        this.nicMac = nicMac;
        this.kernelMac = kernelMac;
    }

    /**
     * First pass over a burst from the cluster network: parses frame {@code index} and notes which
     * connection-table slot its decision will read first (the key's hash is kept for that lookup); the worker then
     * prefetches all the burst's slots together ({@link #prefetchAddresses}), and {@link #decide} decides each frame. With a million flows the
     * table is far larger than the caches and nearly every lookup misses: one after the other, the misses cost a
     * memory latency each; issued together they overlap. The decisions are exactly {@link #ingress}'s.
     *
     * @param index  the frame's place in the burst, 0 to {@link #MAX_BURST} - 1.
     * @param memory segment holding the frame.
     * @param offset its first byte.
     * @param length its length.
     */
    public void prepare(final int index, final MemorySegment memory, final long offset, final int length) {
        final ParsedPacket p = packets[index];
        final int result = parser.parse(memory, offset, length, p);
        parseResults[index] = result;
        hints[index] = result == ParseResult.OK ? classifier.connectionHomeSlot(p) : -1;
    }

    /**
     * Writes the addresses that frames 0 to {@code count} - 1 will read first in the connection table (the control
     * word and entry of each noted slot) for a real prefetch ({@code lb_prefetch} in the dataplane).
     *
     * @param count frames prepared.
     * @param out   native address of room for 2 x count addresses.
     * @return addresses written.
     */
    public int prefetchAddresses(final int count, final long out) {
        return classifier.connectionSlotAddresses(hints, count, out);
    }

    /**
     * @return the slot {@link #prepare} noted for frame {@code index}, -1 for none (tests).
     */
    int hintedSlot(final int index) {
        return hints[index];
    }

    /**
     * Decides a frame from the cluster network.
     *
     * @param memory   segment holding the frame.
     * @param offset   position of its first byte.
     * @param length   its length.
     * @param capacity bytes writable from offset (for answers longer than the request).
     * @param view     the view of this burst.
     * @param nowMs    milliseconds, for table timestamps.
     * @return a {@link Verdict}: ACCEPT or PASS (to the kernel), REPLY (back out the NIC, {@link #lastLength()}
     * bytes), or a drop.
     */
    public int ingress(final MemorySegment memory, final long offset, final int length, final int capacity,
        final DataplaneView view, final long nowMs) {
        prepare(0, memory, offset, length);
        return decide(0, memory, offset, length, capacity, view, nowMs);
    }

    /**
     * Decides frame {@code index} of a burst that {@link #prepare} parsed: as {@link #ingress}.
     *
     * @param index    the frame's place in the burst.
     * @param memory   segment holding the frame.
     * @param offset   position of its first byte.
     * @param length   its length.
     * @param capacity bytes writable from offset.
     * @param view     the view of this burst.
     * @param nowMs    milliseconds, for table timestamps.
     * @return a {@link Verdict}, as {@link #ingress}.
     */
    public int decide(final int index, final MemorySegment memory, final long offset, final int length,
        final int capacity, final DataplaneView view, final long nowMs) {
        final ParsedPacket p = packets[index];
        lastParseResult = parseResults[index];
        lastLength = length;
        if (lastParseResult != ParseResult.OK) {
            return Verdict.DROP_MALFORMED;
        }
        switch (p.kind()) {
            case FrameKind.ARP -> {
                return arp(p, memory, offset, capacity, view);
            }
            case FrameKind.IPV4, FrameKind.IPV6 -> {
                if (p.protocol() == IpProtocol.ICMPV6 && !p.isIcmpError()) {
                    final int nd = neighborDiscovery(p, memory, offset, capacity, view);
                    if (nd >= 0) {
                        return nd;
                    }
                }
                final int verdict = classifier.classify(p, view, nowMs);
                if (verdict == Verdict.ACCEPT) {
                    Macs.put(memory, offset + EthernetDescriptor.DESTINATION_OFFSET, kernelMac);
                    return Verdict.ACCEPT;
                }
                return verdict == Verdict.PASS ? ipForHost(memory, offset, view) : verdict;
            }
            default -> {
                return forHost(memory, offset, view);
            }
        }
    }

    /**
     * Decides a frame from the host's kernel, on its way out to the cluster network.
     *
     * @param memory segment holding the frame.
     * @param offset position of its first byte.
     * @param length its length.
     * @param view   the view of this burst.
     * @param nowMs  milliseconds, for table timestamps.
     * @return {@link Verdict#PASS} (send it, possibly rewritten) or a drop.
     */
    public int egress(final MemorySegment memory, final long offset, final int length, final DataplaneView view,
        final long nowMs) {
        final ParsedPacket p = packet;
        lastParseResult = parser.parse(memory, offset, length, p);
        lastLength = length;
        if (lastParseResult != ParseResult.OK) {
            return Verdict.DROP_MALFORMED;
        }
        if (p.kind() == FrameKind.ARP) {
            final long sender = Ipv4Mapped.low(p.arpSenderIp());
            final int vip = view.vipIndex(0, sender);
            if (vip < 0) {
                return view.isRetiredVip(0, sender) ? Verdict.DROP_STALE_VIP_CLAIM : Verdict.PASS;
            }
            if (!view.mayAnswerFor(vip)) {
                return Verdict.DROP_STALE_VIP_CLAIM;
            }
            Macs.put(memory, offset + p.arpSenderMacOffset(), view.clusterMac());
            Macs.put(memory, offset + EthernetDescriptor.SOURCE_OFFSET, view.sourceMac());
            return Verdict.PASS;
        }
        if (p.kind() != FrameKind.IPV4 && p.kind() != FrameKind.IPV6) {
            return Verdict.PASS;
        }
        final int sourceVip = view.vipIndex(p.srcHi(), p.srcLo());
        if (p.protocol() == IpProtocol.ICMPV6 && !p.isIcmpError() && isNeighborDiscovery(p.icmpType())) {
            final int targetVip = view.vipIndex(p.ndTargetHi(), p.ndTargetLo());
            final boolean advertisement = p.icmpType() == ND_NEIGHBOR_ADVERTISEMENT;
            final int claimed = advertisement ? targetVip : sourceVip;
            if (claimed < 0) {
                final boolean retired = advertisement ? view.isRetiredVip(p.ndTargetHi(), p.ndTargetLo()) :
                    view.isRetiredVip(p.srcHi(), p.srcLo());
                return retired ? Verdict.DROP_STALE_VIP_CLAIM : Verdict.PASS;
            }
            if (!view.mayAnswerFor(claimed)) {
                return Verdict.DROP_STALE_VIP_CLAIM;
            }
            nameClusterMac(memory, offset, view);
            return Verdict.PASS;
        }
        if (sourceVip >= 0) {
            Macs.put(memory, offset + EthernetDescriptor.SOURCE_OFFSET, view.sourceMac());
            classifier.observeOutbound(p, nowMs);
        }
        return Verdict.PASS;
    }

    /**
     * @return the frame length after the last call (an answer's length after REPLY).
     */
    public int lastLength() {
        return lastLength;
    }

    /**
     * @return the parser's result for the last frame ({@link ParseResult}).
     */
    public int lastParseResult() {
        return lastParseResult;
    }

    /**
     * @return this worker's classifier (for its fallback counters).
     */
    public Classifier classifier() {
        return classifier;
    }

    private int arp(final ParsedPacket p, final MemorySegment memory, final long offset, final int capacity,
        final DataplaneView view) {
        if (p.arpOpcode() == ArpDescriptor.OPCODE_REQUEST) {
            final int vip = view.vipIndex(0, Ipv4Mapped.low(p.arpTargetIp()));
            if (vip >= 0 && p.arpSenderIp() != p.arpTargetIp()) {
                if (!view.mayAnswerFor(vip)) {
                    return Verdict.DROP_VIP_NOT_ANSWERABLE;
                }
                final int length = ArpWriter.reply(memory, offset, capacity, p, view.sourceMac(), view.clusterMac());
                if (length == 0) {
                    return Verdict.DROP_REPLY_FAILED;
                }
                lastLength = length;
                return Verdict.REPLY;
            }
        }
        if (view.vipIndex(0, Ipv4Mapped.low(p.arpSenderIp())) >= 0) {
            return Verdict.DROP_PEER_VIP_CLAIM;
        }
        return forHost(memory, offset, view);
    }

    /** @return a verdict for ND about a VIP, or -1 when the ICMPv6 message is not that. */
    private int neighborDiscovery(final ParsedPacket p, final MemorySegment memory, final long offset,
        final int capacity, final DataplaneView view) {
        final int type = p.icmpType();
        if (!isNeighborDiscovery(type)) {
            return -1;
        }
        final int vip = view.vipIndex(p.ndTargetHi(), p.ndTargetLo());
        if (vip < 0) {
            return -1;
        }
        if (type == ND_NEIGHBOR_ADVERTISEMENT) {
            return Verdict.DROP_PEER_VIP_CLAIM;
        }
        if (!view.mayAnswerFor(vip)) {
            return Verdict.DROP_VIP_NOT_ANSWERABLE;
        }
        final int length = NdWriter.solicitedAdvertisement(memory, offset, capacity, p, view.sourceMac(),
            view.clusterMac(), true);
        if (length == 0) {
            return Verdict.DROP_REPLY_FAILED;
        }
        lastLength = length;
        return Verdict.REPLY;
    }

    private static boolean isNeighborDiscovery(final int icmpType) {
        return icmpType == ND_NEIGHBOR_SOLICITATION || icmpType == ND_NEIGHBOR_ADVERTISEMENT;
    }

    /** Rewrites an outgoing NS/NA about a VIP to name the cluster MAC, with a fresh ICMPv6 checksum. */
    private void nameClusterMac(final MemorySegment memory, final long offset, final DataplaneView view) {
        final ParsedPacket p = packet;
        Macs.put(memory, offset + EthernetDescriptor.SOURCE_OFFSET, view.sourceMac());
        final int option = p.ndLinkLayerAddressOffset();
        if (option == ParsedPacket.NONE) {
            return;
        }
        Macs.put(memory, offset + option, view.clusterMac());
        final long icmp = offset + p.l4Offset();
        final int icmpLength = p.l3End() - p.l4Offset();
        memory.set(U16, icmp + ICMPV6_CHECKSUM_OFFSET, (short)0);
        memory.set(U16, icmp + ICMPV6_CHECKSUM_OFFSET, (short)Checksums.icmpv6(memory, icmp, icmpLength,
            p.srcHi(), p.srcLo(), p.dstHi(), p.dstLo()));
    }

    /**
     * IP traffic that is not for a VIP: the host's own, as {@link #forHost}, except at the cluster MAC. Only VIP
     * traffic is sent there (a host's kernel claims its own addresses with its own MAC; egress leaves its ARP and
     * ND as they are), so passing anything else would hand it to every host's kernel at once.
     */
    private int ipForHost(final MemorySegment memory, final long offset, final DataplaneView view) {
        if (Macs.get(memory, offset + EthernetDescriptor.DESTINATION_OFFSET) == view.clusterMac()) {
            return Verdict.DROP_CLUSTER_MAC_NOT_VIP;
        }
        return forHost(memory, offset, view);
    }

    /**
     * The host's own traffic: group-addressed frames and frames to the host's MACs go to the kernel (with
     * the kernel port's MAC as destination); unicast to other MACs, which a switch floods to every port
     * of an NLB cluster, is dropped.
     */
    private int forHost(final MemorySegment memory, final long offset, final DataplaneView view) {
        final long destination = Macs.get(memory, offset + EthernetDescriptor.DESTINATION_OFFSET);
        if (Macs.isGroup(destination) || destination == kernelMac) {
            return Verdict.PASS;
        }
        if (destination == nicMac || destination == view.clusterMac()) {
            Macs.put(memory, offset + EthernetDescriptor.DESTINATION_OFFSET, kernelMac);
            return Verdict.PASS;
        }
        return Verdict.DROP_NOT_FOR_HOST;
    }
}
