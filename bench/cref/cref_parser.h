/*
 * The frame parser: a port of lb.dataplane.packet.PacketParser into a ParsedPacket (struct parsed), with the same
 * checks in the same order and the same ParseResult codes: Ethernet, up to two VLAN tags, ARP, IPv4 (IHL, total
 * length, options, fragments with the RFC 1858 test), IPv6 (payload length, extension-header walk of at most 8
 * headers with order, option and fragment checks), TCP (data offset), UDP (length, IKE), ICMP and ICMPv6 errors
 * (the quoted flow, turned around), ESP/AH, and neighbor discovery (RFC 4861 checks, link-layer option).
 * Checksums are not verified, as in Java. Everything is read in place; nothing outside [frame, frame + length).
 */
#ifndef CREF_PARSER_H
#define CREF_PARSER_H

#include <stdint.h>

#include "cref_hash.h"

/* ---- ParseResult ---- */
enum {
    PR_OK = 0,
    PR_BAD_FRAME_BOUNDS,
    PR_TRUNCATED_ETHERNET,
    PR_TRUNCATED_VLAN,
    PR_VLAN_TOO_DEEP,
    PR_TRUNCATED_ARP,
    PR_BAD_ARP,
    PR_TRUNCATED_IPV4,
    PR_BAD_IPV4_VERSION,
    PR_BAD_IHL,
    PR_BAD_IPV4_TOTAL_LENGTH,
    PR_BAD_IPV4_OPTIONS,
    PR_BAD_IPV4_FRAGMENT,
    PR_TRUNCATED_IPV6,
    PR_BAD_IPV6_VERSION,
    PR_BAD_IPV6_PAYLOAD_LENGTH,
    PR_IPV6_EXT_CHAIN_TOO_LONG,
    PR_TRUNCATED_IPV6_EXT,
    PR_BAD_IPV6_EXT_ORDER,
    PR_BAD_IPV6_OPTIONS,
    PR_BAD_IPV6_FRAGMENT,
    PR_TRUNCATED_TCP,
    PR_BAD_TCP_DATA_OFFSET,
    PR_TRUNCATED_UDP,
    PR_BAD_UDP_LENGTH,
    PR_TRUNCATED_ICMP,
    PR_ICMP_ERROR_INNER_TRUNCATED,
    PR_BAD_ICMP_ERROR_INNER,
    PR_TRUNCATED_ND,
    PR_BAD_ND,
    PR_BAD_ND_OPTION,
    PR_COUNT
};

static const char *const PARSE_RESULT_NAMES[PR_COUNT] = {
    "ok", "bad_frame_bounds", "truncated_ethernet", "truncated_vlan", "vlan_too_deep", "truncated_arp", "bad_arp",
    "truncated_ipv4", "bad_ipv4_version", "bad_ihl", "bad_ipv4_total_length", "bad_ipv4_options",
    "bad_ipv4_fragment", "truncated_ipv6", "bad_ipv6_version", "bad_ipv6_payload_length", "ipv6_ext_chain_too_long",
    "truncated_ipv6_ext", "bad_ipv6_ext_order", "bad_ipv6_options", "bad_ipv6_fragment", "truncated_tcp",
    "bad_tcp_data_offset", "truncated_udp", "bad_udp_length", "truncated_icmp", "icmp_error_inner_truncated",
    "bad_icmp_error_inner", "truncated_nd", "bad_nd", "bad_nd_option",
};

/* ---- FrameKind, IpProtocol, descriptors ---- */
enum { KIND_NONE = 0, KIND_ARP = 1, KIND_IPV4 = 2, KIND_IPV6 = 3, KIND_OTHER = 4 };

#define IPP_HOP_BY_HOP 0
#define IPP_ICMP 1
#define IPP_TCP 6
#define IPP_UDP 17
#define IPP_ROUTING 43
#define IPP_FRAGMENT 44
#define IPP_GRE 47
#define IPP_ESP 50
#define IPP_AH 51
#define IPP_ICMPV6 58
#define IPP_DESTINATION_OPTIONS 60
#define IKE_PORT 500
#define IKE_NAT_T_PORT 4500

#define ETH_HEADER_LENGTH 14
#define ETH_DESTINATION_OFFSET 0
#define ETH_SOURCE_OFFSET 6
#define ETH_TYPE_OFFSET 12
#define ETH_TAG_LENGTH 4
#define ETH_TAG_TCI_OFFSET 2
#define ETH_VLAN_ID_MASK 0x0fff
#define ETH_MIN_FRAME_LENGTH 60
#define ETH_MAC_LENGTH 6
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define ETH_BROADCAST_MAC 0xffffffffffffULL
#define ETH_IPV6_ALL_NODES_MAC 0x333300000001ULL

#define ARP_LENGTH 28
#define ARP_OPCODE_REQUEST 1

#define IPV4_MIN_HEADER_LENGTH 20
#define IPV4_MORE_FRAGMENTS 0x2000
#define IPV4_FRAGMENT_OFFSET_MASK 0x1fff
#define IPV4_MAX_DATAGRAM_LENGTH 65535

#define IPV6_HEADER_LENGTH 40
#define IPV6_FRAGMENT_HEADER_LENGTH 8
#define IPV6_FRAGMENT_OFFSET_MASK 0xfff8
#define IPV6_MORE_FRAGMENTS 0x0001
#define IPV6_MAX_PAYLOAD_LENGTH 65535
#define IPV6_EXT_MIN_LENGTH 2
#define IPV6_ND_HOP_LIMIT 255
#define IPV6_ALL_NODES_HI 0xff02000000000000ULL
#define IPV6_ALL_NODES_LO 1ULL

#define TCP_MIN_HEADER_LENGTH 20
#define UDP_HEADER_LENGTH 8
#define ICMP_HEADER_LENGTH 8
#define ICMP_QUOTED_PORTS_LENGTH 4

#define ND_ROUTER_SOLICITATION 133
#define ND_ROUTER_ADVERTISEMENT 134
#define ND_NEIGHBOR_SOLICITATION 135
#define ND_NEIGHBOR_ADVERTISEMENT 136
#define ND_FLAGS_OFFSET 4
#define ND_TARGET_OFFSET 8
#define ND_NEIGHBOR_OPTIONS_OFFSET 24
#define ND_ROUTER_SOLICITATION_OPTIONS_OFFSET 8
#define ND_ROUTER_ADVERTISEMENT_OPTIONS_OFFSET 16
#define ND_OPTION_UNIT 8
#define ND_OPTION_SOURCE_LINK_LAYER_ADDRESS 1
#define ND_OPTION_TARGET_LINK_LAYER_ADDRESS 2
#define ND_FLAG_SOLICITED 0x40
#define ND_FLAG_OVERRIDE 0x20
#define ND_ADVERTISEMENT_LENGTH (ND_NEIGHBOR_OPTIONS_OFFSET + ND_OPTION_UNIT)

#define MAX_VLAN_TAGS 2
#define MAX_IPV6_EXTENSION_HEADERS 8
#define NONE (-1)

/* ParsedPacket: offsets count from the frame's first byte; IPv4 addresses are IPv4-mapped. */
struct parsed {
    int kind;
    int ether_type;
    int vlan_count;
    int vlan_id;
    int outer_vlan_id;
    int l3_offset;

    int arp_opcode;
    int arp_sender_mac_offset;
    int arp_target_mac_offset;
    uint32_t arp_sender_ip;
    uint32_t arp_target_ip;

    int ip_version;
    int l3_end;
    int hop_limit;
    int protocol;
    uint64_t src_hi;
    uint64_t src_lo;
    uint64_t dst_hi;
    uint64_t dst_lo;
    uint8_t fragment;
    uint8_t first_fragment;
    uint8_t more_fragments;
    uint32_t fragment_id;
    int fragment_offset;

    int l4_offset;
    uint8_t has_ports;
    int src_port;
    int dst_port;
    int tcp_flags;
    uint8_t ipsec;

    int icmp_type;
    int icmp_code;
    uint8_t icmp_error;
    int inner_l3_offset;
    int inner_l4_offset;

    uint64_t nd_target_hi;
    uint64_t nd_target_lo;
    int nd_flags;
    int nd_link_layer_address_offset;

    /* The connection key's hash, memoised by the classifier for the table named (ParsedPacket.connectionHash). */
    uint64_t connection_hash;
    const void *connection_hash_owner;
};


/*
 * Every field to its reset value, as ParsedPacket.reset: field by field rather than `*out = PARSED_RESET`, which gcc
 * compiles to a `rep stosq` of the whole 192-byte struct and a patch-up of the NONE fields (about 13 ns per frame
 * measured with perf: the string instruction's start-up dominates a copy this small). These stores gcc merges into
 * a few vector stores.
 */
static inline void parsed_reset(struct parsed *p)
{
    p->kind = KIND_NONE;
    p->ether_type = 0;
    p->vlan_count = 0;
    p->vlan_id = NONE;
    p->outer_vlan_id = NONE;
    p->l3_offset = NONE;
    p->arp_opcode = 0;
    p->arp_sender_mac_offset = NONE;
    p->arp_target_mac_offset = NONE;
    p->arp_sender_ip = 0;
    p->arp_target_ip = 0;
    p->ip_version = 0;
    p->l3_end = NONE;
    p->hop_limit = 0;
    p->protocol = NONE;
    p->src_hi = 0;
    p->src_lo = 0;
    p->dst_hi = 0;
    p->dst_lo = 0;
    p->fragment = 0;
    p->first_fragment = 0;
    p->more_fragments = 0;
    p->fragment_id = 0;
    p->fragment_offset = 0;
    p->l4_offset = NONE;
    p->has_ports = 0;
    p->src_port = 0;
    p->dst_port = 0;
    p->tcp_flags = 0;
    p->ipsec = 0;
    p->icmp_type = NONE;
    p->icmp_code = NONE;
    p->icmp_error = 0;
    p->inner_l3_offset = NONE;
    p->inner_l4_offset = NONE;
    p->nd_target_hi = 0;
    p->nd_target_lo = 0;
    p->nd_flags = 0;
    p->nd_link_layer_address_offset = NONE;
    p->connection_hash = 0;
    p->connection_hash_owner = NULL;
}

/* The parser's own state: the outcome of the last extension-header walk (PacketParser's chain fields). */
struct parser {
    int chain_protocol;
    int chain_has_fragment_header;
    int chain_fragment;
    int chain_first_fragment;
    int chain_more_fragments;
    uint32_t chain_fragment_id;
    int chain_fragment_offset;
};

static inline uint64_t ipv4_mapped(uint32_t ipv4) { return IPV4_MAPPED_PREFIX | ipv4; }

static inline int is_vlan_tpid(uint32_t ether_type)
{
    return ether_type == 0x8100 || ether_type == 0x88a8 || ether_type == 0x9100;
}

static inline int is_ike(int src_port, int dst_port)
{
    return src_port == IKE_PORT || src_port == IKE_NAT_T_PORT || dst_port == IKE_PORT || dst_port == IKE_NAT_T_PORT;
}

static inline int parse_arp(const uint8_t *base, int l3, int length, struct parsed *out)
{
    out->kind = KIND_ARP;
    if (length - l3 < ARP_LENGTH) {
        return PR_TRUNCATED_ARP;
    }
    const uint8_t *at = base + l3;
    if (rd16(at) != 1 || rd16(at + 2) != ETHERTYPE_IPV4 || rd8(at + 4) != ETH_MAC_LENGTH || rd8(at + 5) != 4) {
        return PR_BAD_ARP;
    }
    out->arp_opcode = (int)rd16(at + 6);
    out->arp_sender_mac_offset = l3 + 8;
    out->arp_sender_ip = rd32(at + 14);
    out->arp_target_mac_offset = l3 + 18;
    out->arp_target_ip = rd32(at + 24);
    return PR_OK;
}

static inline int ipv4_options_valid(const uint8_t *from, const uint8_t *end)
{
    const uint8_t *at = from;
    while (at < end) {
        const uint32_t type = rd8(at);
        if (type == 0) {
            return 1;
        }
        if (type == 1) {
            at++;
            continue;
        }
        if (end - at < 2) {
            return 0;
        }
        const uint32_t option_length = rd8(at + 1);
        if (option_length < 2 || option_length > (uint32_t)(end - at)) {
            return 0;
        }
        at += option_length;
    }
    return 1;
}

static inline int ipv6_options_valid(const uint8_t *from, const uint8_t *end)
{
    const uint8_t *at = from;
    while (at < end) {
        if (rd8(at) == 0) {
            at++;
            continue;
        }
        if (end - at < 2) {
            return 0;
        }
        at += 2 + rd8(at + 1);
    }
    return at == end;
}

static inline int is_walked_extension_header(int next_header)
{
    return next_header == IPP_HOP_BY_HOP || next_header == IPP_ROUTING || next_header == IPP_FRAGMENT ||
        next_header == IPP_DESTINATION_OPTIONS;
}

/* Walks the IPv6 extension headers from start; the upper-layer offset, or a drop reason negated. */
static inline int walk_extension_headers(struct parser *ps, const uint8_t *base, int start, int end,
    int first_next_header, int quoted)
{
    ps->chain_has_fragment_header = 0;
    ps->chain_fragment = 0;
    ps->chain_first_fragment = 0;
    ps->chain_more_fragments = 0;
    ps->chain_fragment_id = 0;
    ps->chain_fragment_offset = 0;
    int next_header = first_next_header;
    int at = start;
    for (int headers = 0;; headers++) {
        if (!is_walked_extension_header(next_header)) {
            ps->chain_protocol = next_header;
            return at;
        }
        if (headers == MAX_IPV6_EXTENSION_HEADERS) {
            return -PR_IPV6_EXT_CHAIN_TOO_LONG;
        }
        const uint8_t *header = base + at;
        if (next_header == IPP_FRAGMENT) {
            if (ps->chain_has_fragment_header) {
                return -PR_BAD_IPV6_FRAGMENT;
            }
            if (end - at < IPV6_FRAGMENT_HEADER_LENGTH) {
                return -PR_TRUNCATED_IPV6_EXT;
            }
            ps->chain_has_fragment_header = 1;
            const uint32_t offset_flags = rd16(header + 2);
            const int fragment_offset = (int)(offset_flags & IPV6_FRAGMENT_OFFSET_MASK);
            const int more = (offset_flags & IPV6_MORE_FRAGMENTS) != 0;
            const int unfragmentable_length = at - start;
            next_header = (int)rd8(header);
            at += IPV6_FRAGMENT_HEADER_LENGTH;
            if (fragment_offset != 0 || more) {
                const int fragment_length = end - at;
                if (!quoted && ((more && (fragment_length & 7) != 0) ||
                        unfragmentable_length + fragment_offset + fragment_length > IPV6_MAX_PAYLOAD_LENGTH)) {
                    return -PR_BAD_IPV6_FRAGMENT;
                }
                ps->chain_fragment = 1;
                ps->chain_first_fragment = fragment_offset == 0;
                ps->chain_more_fragments = more;
                ps->chain_fragment_id = rd32(header + 4);
                ps->chain_fragment_offset = fragment_offset;
                if (fragment_offset != 0) {
                    ps->chain_protocol = next_header;
                    return at;
                }
            }
        } else {
            if (next_header == IPP_HOP_BY_HOP && headers != 0) {
                return -PR_BAD_IPV6_EXT_ORDER;
            }
            if (end - at < IPV6_EXT_MIN_LENGTH) {
                return -PR_TRUNCATED_IPV6_EXT;
            }
            const int header_length = ((int)rd8(header + 1) + 1) * 8;
            if (header_length > end - at) {
                return -PR_TRUNCATED_IPV6_EXT;
            }
            if (next_header != IPP_ROUTING &&
                !ipv6_options_valid(header + IPV6_EXT_MIN_LENGTH, header + header_length)) {
                return -PR_BAD_IPV6_OPTIONS;
            }
            next_header = (int)rd8(header);
            at += header_length;
        }
    }
}

static inline int parse_tcp(const uint8_t *at, int available, struct parsed *out)
{
    if (available < TCP_MIN_HEADER_LENGTH) {
        return PR_TRUNCATED_TCP;
    }
    const int header_length = (int)(rd8(at + 12) >> 4) * 4;
    if (header_length < TCP_MIN_HEADER_LENGTH || header_length > available) {
        return PR_BAD_TCP_DATA_OFFSET;
    }
    out->src_port = (int)rd16(at);
    out->dst_port = (int)rd16(at + 2);
    out->has_ports = 1;
    out->tcp_flags = (int)rd8(at + 13);
    return PR_OK;
}

static inline int parse_udp(const uint8_t *at, int available, struct parsed *out)
{
    if (available < UDP_HEADER_LENGTH) {
        return PR_TRUNCATED_UDP;
    }
    const int udp_length = (int)rd16(at + 4);
    if (udp_length < UDP_HEADER_LENGTH || (!out->fragment && udp_length > available)) {
        return PR_BAD_UDP_LENGTH;
    }
    out->src_port = (int)rd16(at);
    out->dst_port = (int)rd16(at + 2);
    out->has_ports = 1;
    out->ipsec = is_ike(out->src_port, out->dst_port);
    return PR_OK;
}

/* The ports of a quoted packet, which the VIP side sent: its destination port is the client's. */
static inline int quoted_transport(const uint8_t *base, int l4, int end, struct parsed *out)
{
    out->inner_l4_offset = l4;
    const int protocol = out->protocol;
    if (protocol == IPP_TCP || protocol == IPP_UDP) {
        if (end - l4 < ICMP_QUOTED_PORTS_LENGTH) {
            return PR_ICMP_ERROR_INNER_TRUNCATED;
        }
        out->src_port = (int)rd16(base + l4 + 2);
        out->dst_port = (int)rd16(base + l4);
        out->has_ports = 1;
        out->ipsec = protocol == IPP_UDP && is_ike(out->src_port, out->dst_port);
    } else {
        out->ipsec = protocol == IPP_ESP || protocol == IPP_AH;
    }
    return PR_OK;
}

static inline int is_v4_icmp_error(int type) { return type == 3 || type == 11 || type == 12; }
static inline int is_v6_icmp_error(int type) { return type >= 1 && type <= 4; }

static inline int parse_icmp(const uint8_t *base, int l4, int end, struct parsed *out)
{
    if (end - l4 < ICMP_HEADER_LENGTH) {
        return PR_TRUNCATED_ICMP;
    }
    out->icmp_type = (int)rd8(base + l4);
    out->icmp_code = (int)rd8(base + l4 + 1);
    if (!is_v4_icmp_error(out->icmp_type)) {
        return PR_OK;
    }
    const int quoted = l4 + ICMP_HEADER_LENGTH;
    if (end - quoted < IPV4_MIN_HEADER_LENGTH) {
        return PR_ICMP_ERROR_INNER_TRUNCATED;
    }
    const uint8_t *at = base + quoted;
    const uint32_t version_ihl = rd8(at);
    const int header_length = (int)(version_ihl & 0x0f) * 4;
    if (version_ihl >> 4 != 4 || header_length < IPV4_MIN_HEADER_LENGTH) {
        return PR_BAD_ICMP_ERROR_INNER;
    }
    if (end - quoted < header_length) {
        return PR_ICMP_ERROR_INNER_TRUNCATED;
    }
    out->icmp_error = 1;
    out->inner_l3_offset = quoted;
    out->protocol = (int)rd8(at + 9);
    out->src_lo = ipv4_mapped(rd32(at + 16));
    out->dst_lo = ipv4_mapped(rd32(at + 12));
    if ((rd16(at + 6) & IPV4_FRAGMENT_OFFSET_MASK) != 0) {
        return PR_OK;
    }
    return quoted_transport(base, quoted + header_length, end, out);
}

static inline int parse_quoted_ipv6(struct parser *ps, const uint8_t *base, int quoted, int end, struct parsed *out)
{
    if (end - quoted < IPV6_HEADER_LENGTH) {
        return PR_ICMP_ERROR_INNER_TRUNCATED;
    }
    const uint8_t *at = base + quoted;
    if (rd8(at) >> 4 != 6) {
        return PR_BAD_ICMP_ERROR_INNER;
    }
    const int upper = walk_extension_headers(ps, base, quoted + IPV6_HEADER_LENGTH, end, (int)rd8(at + 6), 1);
    if (upper < 0) {
        return upper == -PR_TRUNCATED_IPV6_EXT ? PR_ICMP_ERROR_INNER_TRUNCATED : PR_BAD_ICMP_ERROR_INNER;
    }
    out->icmp_error = 1;
    out->inner_l3_offset = quoted;
    out->protocol = ps->chain_protocol;
    out->src_hi = rd64(at + 24);
    out->src_lo = rd64(at + 32);
    out->dst_hi = rd64(at + 8);
    out->dst_lo = rd64(at + 16);
    if (ps->chain_fragment && !ps->chain_first_fragment) {
        return PR_OK;
    }
    return quoted_transport(base, upper, end, out);
}

static inline int parse_nd(struct parser *ps, const uint8_t *base, int l4, int end, int type, struct parsed *out)
{
    if (out->hop_limit != IPV6_ND_HOP_LIMIT || out->icmp_code != 0 || ps->chain_has_fragment_header) {
        return PR_BAD_ND;
    }
    const int options_at = l4 + (type == ND_ROUTER_SOLICITATION ? ND_ROUTER_SOLICITATION_OPTIONS_OFFSET :
        type == ND_ROUTER_ADVERTISEMENT ? ND_ROUTER_ADVERTISEMENT_OPTIONS_OFFSET : ND_NEIGHBOR_OPTIONS_OFFSET);
    if (options_at > end) {
        return PR_TRUNCATED_ND;
    }
    const uint8_t *at = base + l4;
    if (type == ND_NEIGHBOR_SOLICITATION || type == ND_NEIGHBOR_ADVERTISEMENT) {
        out->nd_target_hi = rd64(at + ND_TARGET_OFFSET);
        out->nd_target_lo = rd64(at + ND_TARGET_OFFSET + 8);
    }
    if (type == ND_NEIGHBOR_ADVERTISEMENT) {
        out->nd_flags = (int)rd8(at + ND_FLAGS_OFFSET);
    }
    const uint32_t wanted = type == ND_NEIGHBOR_ADVERTISEMENT ? ND_OPTION_TARGET_LINK_LAYER_ADDRESS :
        ND_OPTION_SOURCE_LINK_LAYER_ADDRESS;
    int option = options_at;
    while (option < end) {
        if (end - option < 2) {
            return PR_BAD_ND_OPTION;
        }
        const int option_length = (int)rd8(base + option + 1) * ND_OPTION_UNIT;
        if (option_length == 0 || option_length > end - option) {
            return PR_BAD_ND_OPTION;
        }
        if (out->nd_link_layer_address_offset == NONE && rd8(base + option) == wanted) {
            out->nd_link_layer_address_offset = option + 2;
        }
        option += option_length;
    }
    return PR_OK;
}

static inline int parse_icmpv6(struct parser *ps, const uint8_t *base, int l4, int end, struct parsed *out)
{
    if (end - l4 < ICMP_HEADER_LENGTH) {
        return PR_TRUNCATED_ICMP;
    }
    const int type = (int)rd8(base + l4);
    out->icmp_type = type;
    out->icmp_code = (int)rd8(base + l4 + 1);
    if (is_v6_icmp_error(type)) {
        return parse_quoted_ipv6(ps, base, l4 + ICMP_HEADER_LENGTH, end, out);
    }
    if (type >= ND_ROUTER_SOLICITATION && type <= ND_NEIGHBOR_ADVERTISEMENT) {
        return parse_nd(ps, base, l4, end, type, out);
    }
    return PR_OK;
}

static inline int parse_upper_layer(struct parser *ps, const uint8_t *base, int l4, int end, struct parsed *out)
{
    out->l4_offset = l4;
    switch (out->protocol) {
    case IPP_TCP:
        return parse_tcp(base + l4, end - l4, out);
    case IPP_UDP:
        return parse_udp(base + l4, end - l4, out);
    case IPP_ICMP:
        return out->ip_version == 4 ? parse_icmp(base, l4, end, out) : PR_OK;
    case IPP_ICMPV6:
        return out->ip_version == 6 ? parse_icmpv6(ps, base, l4, end, out) : PR_OK;
    case IPP_ESP:
    case IPP_AH:
        out->ipsec = 1;
        return PR_OK;
    default:
        return PR_OK;
    }
}

static inline int parse_ipv4(struct parser *ps, const uint8_t *base, int l3, int length, struct parsed *out)
{
    out->kind = KIND_IPV4;
    out->ip_version = 4;
    if (length - l3 < IPV4_MIN_HEADER_LENGTH) {
        return PR_TRUNCATED_IPV4;
    }
    const uint8_t *at = base + l3;
    const uint32_t version_ihl = rd8(at);
    if (version_ihl >> 4 != 4) {
        return PR_BAD_IPV4_VERSION;
    }
    const int header_length = (int)(version_ihl & 0x0f) * 4;
    if (header_length < IPV4_MIN_HEADER_LENGTH) {
        return PR_BAD_IHL;
    }
    if (length - l3 < header_length) {
        return PR_TRUNCATED_IPV4;
    }
    const int total_length = (int)rd16(at + 2);
    if (total_length < header_length || total_length > length - l3) {
        return PR_BAD_IPV4_TOTAL_LENGTH;
    }
    if (!ipv4_options_valid(at + IPV4_MIN_HEADER_LENGTH, at + header_length)) {
        return PR_BAD_IPV4_OPTIONS;
    }
    const int protocol = (int)rd8(at + 9);
    out->l3_end = l3 + total_length;
    out->hop_limit = (int)rd8(at + 8);
    out->protocol = protocol;
    out->src_lo = ipv4_mapped(rd32(at + 12));
    out->dst_lo = ipv4_mapped(rd32(at + 16));

    const uint32_t flags_fragment = rd16(at + 6);
    const int fragment_offset = (int)(flags_fragment & IPV4_FRAGMENT_OFFSET_MASK) * 8;
    const int more = (flags_fragment & IPV4_MORE_FRAGMENTS) != 0;
    if (more || fragment_offset != 0) {
        if (fragment_offset + total_length > IPV4_MAX_DATAGRAM_LENGTH ||
            (fragment_offset == 8 && protocol == IPP_TCP)) {
            return PR_BAD_IPV4_FRAGMENT;
        }
        out->fragment = 1;
        out->first_fragment = fragment_offset == 0;
        out->more_fragments = more;
        out->fragment_id = rd16(at + 4);
        out->fragment_offset = fragment_offset;
        if (fragment_offset != 0) {
            return PR_OK;
        }
    }
    return parse_upper_layer(ps, base, l3 + header_length, out->l3_end, out);
}

static inline int parse_ipv6(struct parser *ps, const uint8_t *base, int l3, int length, struct parsed *out)
{
    out->kind = KIND_IPV6;
    out->ip_version = 6;
    if (length - l3 < IPV6_HEADER_LENGTH) {
        return PR_TRUNCATED_IPV6;
    }
    const uint8_t *at = base + l3;
    if (rd8(at) >> 4 != 6) {
        return PR_BAD_IPV6_VERSION;
    }
    const int payload_length = (int)rd16(at + 4);
    if (payload_length > length - l3 - IPV6_HEADER_LENGTH) {
        return PR_BAD_IPV6_PAYLOAD_LENGTH;
    }
    out->l3_end = l3 + IPV6_HEADER_LENGTH + payload_length;
    out->hop_limit = (int)rd8(at + 7);
    out->src_hi = rd64(at + 8);
    out->src_lo = rd64(at + 16);
    out->dst_hi = rd64(at + 24);
    out->dst_lo = rd64(at + 32);

    const int upper = walk_extension_headers(ps, base, l3 + IPV6_HEADER_LENGTH, out->l3_end, (int)rd8(at + 6), 0);
    if (upper < 0) {
        return -upper;
    }
    out->protocol = ps->chain_protocol;
    if (ps->chain_fragment) {
        out->fragment = 1;
        out->first_fragment = (uint8_t)ps->chain_first_fragment;
        out->more_fragments = (uint8_t)ps->chain_more_fragments;
        out->fragment_id = ps->chain_fragment_id;
        out->fragment_offset = ps->chain_fragment_offset;
        if (!ps->chain_first_fragment) {
            return PR_OK;
        }
    }
    return parse_upper_layer(ps, base, upper, out->l3_end, out);
}

/* Parses the frame at [frame, frame + length); PR_OK or a drop reason. */
static inline int parse_frame(struct parser *ps, const uint8_t *frame, int length, struct parsed *out)
{
    parsed_reset(out);
    if (length < 0) {
        return PR_BAD_FRAME_BOUNDS;
    }
    if (length < ETH_HEADER_LENGTH) {
        return PR_TRUNCATED_ETHERNET;
    }
    int type_at = ETH_TYPE_OFFSET;
    uint32_t ether_type = rd16(frame + type_at);
    while (is_vlan_tpid(ether_type)) {
        if (out->vlan_count == MAX_VLAN_TAGS) {
            return PR_VLAN_TOO_DEEP;
        }
        if (type_at + ETH_TAG_LENGTH + 2 > length) {
            return PR_TRUNCATED_VLAN;
        }
        out->outer_vlan_id = out->vlan_id;
        out->vlan_id = (int)(rd16(frame + type_at + ETH_TAG_TCI_OFFSET) & ETH_VLAN_ID_MASK);
        out->vlan_count++;
        type_at += ETH_TAG_LENGTH;
        ether_type = rd16(frame + type_at);
    }
    const int l3 = type_at + 2;
    out->ether_type = (int)ether_type;
    out->l3_offset = l3;
    switch (ether_type) {
    case ETHERTYPE_IPV4:
        return parse_ipv4(ps, frame, l3, length, out);
    case ETHERTYPE_IPV6:
        return parse_ipv6(ps, frame, l3, length, out);
    case ETHERTYPE_ARP:
        return parse_arp(frame, l3, length, out);
    default:
        out->kind = KIND_OTHER;
        return PR_OK;
    }
}

#endif
