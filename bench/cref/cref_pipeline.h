/*
 * The per-frame logic: ports of lb.dataplane.pipeline.Pipeline (ingress and egress), Classifier (the NLB
 * verdict), Verdict, and of the writers the ingress path uses in place (ArpWriter.reply,
 * NdWriter.solicitedAdvertisement, Checksums). Frames are decided and rewritten in place; nothing is copied.
 */
#ifndef CREF_PIPELINE_H
#define CREF_PIPELINE_H

#include <stdint.h>

#include "cref_hash.h"
#include "cref_parser.h"
#include "cref_table.h"
#include "cref_view.h"

/* ---- Verdict ---- */
enum {
    V_ACCEPT = 0,
    V_PASS = 1,
    V_REPLY = 2,
    V_FIRST_DROP = 3,
    V_DROP_NOT_OWNER = 3,
    V_DROP_MOVED_BUCKET_NOT_TRACKED = 4,
    V_DROP_STICKY_ELSEWHERE = 5,
    V_DROP_RULE_DISABLED = 6,
    V_DROP_FILTERING_DISABLED = 7,
    V_DROP_RULE_DRAINING = 8,
    V_DROP_NO_OWNER = 9,
    V_DROP_FRAGMENT_UNROUTABLE = 10,
    V_DROP_VIP_NOT_ANSWERABLE = 11,
    V_DROP_REPLY_FAILED = 12,
    V_DROP_NOT_FOR_HOST = 13,
    V_DROP_STALE_VIP_CLAIM = 14,
    V_DROP_MALFORMED = 15,
    V_DROP_PEER_VIP_CLAIM = 16,
    V_DROP_CLUSTER_MAC_NOT_VIP = 17,
    V_COUNT = 18
};

/* The constant names of lb.dataplane.pipeline.Verdict, and the snake_case names it prints. */
static const char *const VERDICT_CONSTANTS[V_COUNT] = {
    "ACCEPT", "PASS", "REPLY", "DROP_NOT_OWNER", "DROP_MOVED_BUCKET_NOT_TRACKED", "DROP_STICKY_ELSEWHERE",
    "DROP_RULE_DISABLED", "DROP_FILTERING_DISABLED", "DROP_RULE_DRAINING", "DROP_NO_OWNER",
    "DROP_FRAGMENT_UNROUTABLE", "DROP_VIP_NOT_ANSWERABLE", "DROP_REPLY_FAILED", "DROP_NOT_FOR_HOST",
    "DROP_STALE_VIP_CLAIM", "DROP_MALFORMED", "DROP_PEER_VIP_CLAIM", "DROP_CLUSTER_MAC_NOT_VIP",
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10
#define IPV4_NETWORK_MASK_LO 0xffffffffffffff00ULL

/* ---- Checksums ---- */

static inline uint64_t checksum_sum(const uint8_t *at, int length)
{
    uint64_t sum = 0;
    const uint8_t *position = at;
    const uint8_t *end = at + length;
    while (end - position >= 4) {
        sum += rd32(position);
        position += 4;
    }
    if (end - position >= 2) {
        sum += rd16(position);
        position += 2;
    }
    if (position < end) {
        sum += (uint64_t)rd8(position) << 8;
    }
    return sum;
}

static inline uint32_t checksum_fold(uint64_t sum)
{
    uint64_t folded = (sum >> 32) + (sum & 0xffffffffULL);
    folded = (folded >> 16) + (folded & 0xffff);
    folded = (folded >> 16) + (folded & 0xffff);
    folded = (folded >> 16) + (folded & 0xffff);
    return (uint32_t)folded;
}

static inline uint64_t halves(uint64_t value) { return (value >> 32) + (value & 0xffffffffULL); }

static inline uint32_t checksum_icmpv6(const uint8_t *at, int length, uint64_t src_hi, uint64_t src_lo,
    uint64_t dst_hi, uint64_t dst_lo)
{
    const uint64_t pseudo = halves(src_hi) + halves(src_lo) + halves(dst_hi) + halves(dst_lo) + (uint32_t)length +
        IPP_ICMPV6;
    return ~checksum_fold(pseudo + checksum_sum(at, length)) & 0xffff;
}

/* ---- ArpWriter.reply, NdWriter.solicitedAdvertisement ---- */

static inline int arp_reply(uint8_t *frame, int capacity, const struct parsed *request, uint64_t source_mac,
    uint64_t answer_mac)
{
    if (request->kind != KIND_ARP || request->arp_opcode != ARP_OPCODE_REQUEST) {
        return 0;
    }
    const int l3 = request->l3_offset;
    const int length = l3 + ARP_LENGTH;
    if ((length > ETH_MIN_FRAME_LENGTH ? length : ETH_MIN_FRAME_LENGTH) > capacity) {
        return 0;
    }
    const uint64_t requester_mac = rd_mac(frame + request->arp_sender_mac_offset);
    wr_mac(frame + ETH_DESTINATION_OFFSET, requester_mac);
    wr_mac(frame + ETH_SOURCE_OFFSET, source_mac);
    uint8_t *at = frame + l3;
    wr16(at, 1);
    wr16(at + 2, ETHERTYPE_IPV4);
    wr8(at + 4, ETH_MAC_LENGTH);
    wr8(at + 5, 4);
    wr16(at + 6, 2);
    wr_mac(at + 8, answer_mac);
    wr32(at + 14, request->arp_target_ip);
    wr_mac(at + 18, requester_mac);
    wr32(at + 24, request->arp_sender_ip);
    for (int i = length; i < ETH_MIN_FRAME_LENGTH; i++) {
        frame[i] = 0;
    }
    return length > ETH_MIN_FRAME_LENGTH ? length : ETH_MIN_FRAME_LENGTH;
}

static inline int nd_solicited_advertisement(uint8_t *frame, int capacity, const struct parsed *solicitation,
    uint64_t source_mac, uint64_t answer_mac, int override)
{
    if (solicitation->kind != KIND_IPV6 || solicitation->icmp_type != ND_NEIGHBOR_SOLICITATION) {
        return 0;
    }
    const int l3 = solicitation->l3_offset;
    const int length = l3 + IPV6_HEADER_LENGTH + ND_ADVERTISEMENT_LENGTH;
    if (length > capacity) {
        return 0;
    }
    const int from_unspecified = solicitation->src_hi == 0 && solicitation->src_lo == 0;
    uint64_t destination_mac;
    uint64_t dst_hi;
    uint64_t dst_lo;
    int flags = override ? ND_FLAG_OVERRIDE : 0;
    if (from_unspecified) {
        destination_mac = ETH_IPV6_ALL_NODES_MAC;
        dst_hi = IPV6_ALL_NODES_HI;
        dst_lo = IPV6_ALL_NODES_LO;
    } else {
        const int requester_mac_offset = solicitation->nd_link_layer_address_offset != NONE ?
            solicitation->nd_link_layer_address_offset : ETH_SOURCE_OFFSET;
        destination_mac = rd_mac(frame + requester_mac_offset);
        dst_hi = solicitation->src_hi;
        dst_lo = solicitation->src_lo;
        flags |= ND_FLAG_SOLICITED;
    }
    wr_mac(frame + ETH_DESTINATION_OFFSET, destination_mac);
    wr_mac(frame + ETH_SOURCE_OFFSET, source_mac);
    uint8_t *ip = frame + l3;
    const uint64_t target_hi = solicitation->nd_target_hi;
    const uint64_t target_lo = solicitation->nd_target_lo;
    wr32(ip, 6u << 28);
    wr16(ip + 4, ND_ADVERTISEMENT_LENGTH);
    wr8(ip + 6, IPP_ICMPV6);
    wr8(ip + 7, IPV6_ND_HOP_LIMIT);
    wr64(ip + 8, target_hi);
    wr64(ip + 16, target_lo);
    wr64(ip + 24, dst_hi);
    wr64(ip + 32, dst_lo);
    uint8_t *icmp = ip + IPV6_HEADER_LENGTH;
    wr8(icmp, ND_NEIGHBOR_ADVERTISEMENT);
    wr8(icmp + 1, 0);
    wr16(icmp + 2, 0);
    wr32(icmp + ND_FLAGS_OFFSET, (uint32_t)flags << 24);
    wr64(icmp + ND_TARGET_OFFSET, target_hi);
    wr64(icmp + ND_TARGET_OFFSET + 8, target_lo);
    uint8_t *option = icmp + ND_NEIGHBOR_OPTIONS_OFFSET;
    wr8(option, ND_OPTION_TARGET_LINK_LAYER_ADDRESS);
    wr8(option + 1, 1);
    wr_mac(option + 2, answer_mac);
    wr16(icmp + 2, checksum_icmpv6(icmp, ND_ADVERTISEMENT_LENGTH, target_hi, target_lo, dst_hi, dst_lo));
    return length;
}

/* ---- Classifier ---- */

struct classifier {
    struct cref_table *connections;
    struct cref_table *affinity;
    struct cref_table *fragments;
    int last_rule_slot;
    int last_bucket;
    int64_t stateless_fallbacks;
    int64_t half_open_refusals;
};

static inline void classifier_track(struct classifier *c, const struct parsed *p, int protocol, int client_port,
    int vip_port, int host_id, int bucket, int slot, int64_t now)
{
    const int64_t handle = connection_insert(c->connections, protocol, p->ip_version, p->src_hi, p->src_lo,
        client_port, p->dst_hi, p->dst_lo, vip_port, host_id, bucket, slot, META_SYN_SEEN, now);
    if (handle == TABLE_HALF_OPEN_LIMIT) {
        c->half_open_refusals++;
    } else if (handle < 0) {
        c->stateless_fallbacks++;
    }
}

static inline void classifier_update_tcp_state(struct classifier *c, int64_t connection, int64_t meta, int flags,
    int protocol)
{
    if (protocol != IPP_TCP) {
        return;
    }
    const int state = meta_flags(meta) & META_TCP_STATE_MASK;
    if ((flags & (TCP_FIN | TCP_RST)) != 0) {
        if (state != META_CLOSING) {
            connection_transition(c->connections, connection, META_CLOSING);
        }
    } else if (state == META_SYN_SEEN && (flags & (TCP_ACK | TCP_SYN)) == TCP_ACK) {
        connection_transition(c->connections, connection, META_ESTABLISHED);
    }
}

static inline uint64_t masked_hi(const struct parsed *p, int affinity, const struct cref_view *v)
{
    return affinity == AFFINITY_NETWORK && p->ip_version == 6 ? p->src_hi & v->ipv6_mask_hi : p->src_hi;
}

static inline uint64_t masked_lo(const struct parsed *p, int affinity, const struct cref_view *v)
{
    if (affinity != AFFINITY_NETWORK) {
        return p->src_lo;
    }
    return p->ip_version == 4 ? p->src_lo & IPV4_NETWORK_MASK_LO : p->src_lo & v->ipv6_mask_lo;
}

/* The connection key's hash that classify looks up (client to VIP), memoised in the packet (Classifier.connectionHash). */
static inline uint64_t classifier_connection_hash(struct classifier *c, struct parsed *p)
{
    if (p->connection_hash_owner != c->connections) {
        const int has_ports = p->has_ports;
        p->connection_hash = connection_key_hash(c->connections, p->protocol, p->ip_version, p->src_hi, p->src_lo,
            has_ports ? p->src_port : 0, p->dst_hi, p->dst_lo, has_ports ? p->dst_port : 0);
        p->connection_hash_owner = c->connections;
    }
    return p->connection_hash;
}

/* The connection-table slot classify reads first, or -1 when it looks nothing up (Classifier.connectionHomeSlot). */
static inline int classifier_connection_home_slot(struct classifier *c, struct parsed *p)
{
    const int protocol = p->protocol;
    if ((p->kind != KIND_IPV4 && p->kind != KIND_IPV6) ||
        !(protocol == IPP_TCP || protocol == IPP_UDP || protocol == IPP_GRE || p->ipsec) ||
        (!p->has_ports && p->fragment)) {
        return -1;
    }
    return (int)classifier_connection_hash(c, p) & c->connections->mask;
}

static inline int classifier_decide(struct classifier *c, struct parsed *p, const struct cref_view *v, int vip,
    int protocol, int64_t now)
{
    (void)vip;
    const int has_ports = p->has_ports;
    const int slot = view_rule_slot(v, vip, protocol, has_ports ? p->dst_port : 0);
    c->last_rule_slot = slot;
    c->last_bucket = -1;
    if (v->state[slot] == VIEW_RULE_DISABLED) {
        return V_DROP_RULE_DISABLED;
    }
    const int filtering = v->filtering[slot];
    if (filtering == VIEW_DISABLED) {
        return V_DROP_FILTERING_DISABLED;
    }

    const int tracked = protocol == IPP_TCP || protocol == IPP_GRE || p->ipsec ||
        (protocol == IPP_UDP && v->tracks_udp);
    const int icmp_error = p->icmp_error;
    const int client_port = has_ports ? p->src_port : 0;
    const int vip_port = has_ports ? p->dst_port : 0;
    const int host_id = v->host_id;
    const int rule_affinity = v->affinity[slot];
    const int multiple = filtering == VIEW_MULTIPLE;
    /* The bucket first: where this host tracks no flow of the rule in it, the lookup would miss and is skipped
     * (Classifier.decide; lb-cref's view never changes, so the Java's bucket-shape check always holds here). */
    const int hashed_bucket = multiple ? hash_bucket(p->ip_version == 4 ?
            hash_ipv4(&v->hasher, (uint32_t)p->src_lo, (uint32_t)client_port, rule_affinity) :
            hash_ipv6(&v->hasher, p->src_hi, p->src_lo, (uint32_t)client_port, rule_affinity),
        (uint32_t)v->bucket_count) : 0;
    if (tracked && (has_ports || !p->fragment) && !table_untracked(c->connections, slot, hashed_bucket)) {
        int64_t meta = 0;
        const int64_t connection = connection_lookup_meta(c->connections, classifier_connection_hash(c, p), protocol,
            p->ip_version, p->src_hi, p->src_lo, client_port, p->dst_hi, p->dst_lo, vip_port, &meta);
        if (connection >= 0) {
            if (meta_owner(meta) != host_id) {
                return V_DROP_NOT_OWNER;
            }
            if (!icmp_error) {
                table_touch_found(c->connections, connection, CONNECTION_KEY_WORDS, now);
                classifier_update_tcp_state(c, connection, meta, p->tcp_flags, protocol);
            }
            c->last_bucket = meta_bucket(meta);
            return V_ACCEPT;
        }
    }

    if (v->state[slot] == VIEW_DRAINING) {
        return V_DROP_RULE_DRAINING;
    }

    const int sticky = multiple && v->extended_affinity_ms[slot] > 0 && rule_affinity != AFFINITY_NONE;
    const uint64_t client_hi = sticky ? masked_hi(p, rule_affinity, v) : 0;
    const uint64_t client_lo = sticky ? masked_lo(p, rule_affinity, v) : 0;
    int64_t sticky_handle = TABLE_NOT_FOUND;
    if (sticky) {
        sticky_handle = affinity_lookup(c->affinity, slot, p->ip_version, client_hi, client_lo);
        if (sticky_handle >= 0) {
            const int64_t meta = table_meta(c->affinity, sticky_handle);
            if (meta >= 0) {
                if (meta_owner(meta) != host_id) {
                    return V_DROP_STICKY_ELSEWHERE;
                }
                if (!icmp_error) {
                    table_touch(c->affinity, sticky_handle, now);
                }
            }
        }
    }

    int bucket;
    int owned;
    int moved;
    if (multiple) {
        bucket = hashed_bucket;
        owned = view_owns(v, slot, bucket);
        moved = view_is_dirty(v, slot, bucket);
    } else {
        const int owner = v->single_owner[slot];
        if (owner == 0) {
            return V_DROP_NO_OWNER;
        }
        bucket = 0;
        owned = owner == host_id;
        moved = v->single_owner_moved[slot];
    }
    c->last_bucket = bucket;
    const int sticky_here = sticky_handle >= 0;
    if (!owned && !sticky_here) {
        return V_DROP_NOT_OWNER;
    }
    const int start = !icmp_error &&
        (protocol == IPP_TCP ? (p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN : !tracked);
    if (moved && !sticky_here && tracked && !start) {
        return V_DROP_MOVED_BUCKET_NOT_TRACKED;
    }
    if (icmp_error) {
        return V_ACCEPT;
    }
    if (tracked && (protocol != IPP_TCP || start) && (has_ports || !p->fragment)) {
        classifier_track(c, p, protocol, client_port, vip_port, host_id, bucket, slot, now);
    }
    if (sticky && !sticky_here) {
        affinity_insert(c->affinity, slot, p->ip_version, client_hi, client_lo, host_id, bucket, now);
    }
    return V_ACCEPT;
}

static inline int classifier_classify(struct classifier *c, struct parsed *p, const struct cref_view *v,
    int64_t now)
{
    const int vip = view_vip_index(v, p->dst_hi, p->dst_lo);
    if (vip < 0) {
        return V_PASS;
    }
    const int protocol = p->protocol;
    if (!p->has_ports && (protocol == IPP_TCP || protocol == IPP_UDP)) {
        const int owner = fragment_owner_of(c->fragments, protocol, p->ip_version, p->src_hi, p->src_lo, p->dst_hi,
            p->dst_lo, p->fragment_id, now);
        return owner == v->host_id ? V_ACCEPT : V_DROP_FRAGMENT_UNROUTABLE;
    }
    const int verdict = classifier_decide(c, p, v, vip, protocol, now);
    if (verdict == V_ACCEPT && p->fragment) {
        fragment_record_first(c->fragments, protocol, p->ip_version, p->src_hi, p->src_lo, p->dst_hi, p->dst_lo,
            p->fragment_id, v->host_id, now);
    }
    return verdict;
}

/* A FIN or RST from the VIP side, seen on the way out, starts the close linger (Classifier.observeOutbound). */
static inline void classifier_observe_outbound(struct classifier *c, const struct parsed *p, int64_t now)
{
    if (p->protocol != IPP_TCP || !p->has_ports) {
        return;
    }
    const int64_t connection = connection_lookup(c->connections, IPP_TCP, p->ip_version, p->dst_hi, p->dst_lo,
        p->dst_port, p->src_hi, p->src_lo, p->src_port);
    if (connection >= 0) {
        table_touch(c->connections, connection, now);
        if ((p->tcp_flags & (TCP_FIN | TCP_RST)) != 0) {
            connection_transition(c->connections, connection, META_CLOSING);
        }
    }
}

/* ---- Pipeline ---- */

#define PIPELINE_MAX_BURST 512

struct pipeline {
    struct parser parser;
    struct parsed packet;
    /* The burst's frames, parsed by pipeline_prepare (Pipeline.packets, parseResults, hints). */
    struct parsed packets[PIPELINE_MAX_BURST];
    int parse_results[PIPELINE_MAX_BURST];
    int hints[PIPELINE_MAX_BURST];
    struct classifier classifier;
    uint64_t kernel_mac;
    uint64_t nic_mac;
    int last_length;
    int last_parse_result;
};

static inline int is_neighbor_discovery(int icmp_type)
{
    return icmp_type == ND_NEIGHBOR_SOLICITATION || icmp_type == ND_NEIGHBOR_ADVERTISEMENT;
}

/* The host's own traffic: group-addressed or to the host's MACs goes to the kernel, unicast to others is dropped. */
static inline int pipeline_for_host(struct pipeline *pl, uint8_t *frame, const struct cref_view *v)
{
    const uint64_t destination = rd_mac(frame + ETH_DESTINATION_OFFSET);
    if (mac_is_group(destination) || destination == pl->kernel_mac) {
        return V_PASS;
    }
    if (destination == pl->nic_mac || destination == v->cluster_mac) {
        wr_mac(frame + ETH_DESTINATION_OFFSET, pl->kernel_mac);
        return V_PASS;
    }
    return V_DROP_NOT_FOR_HOST;
}

/* IP traffic not for a VIP (Pipeline.ipForHost): the host's own, except at the cluster MAC, which carries VIP traffic only. */
static inline int pipeline_ip_for_host(struct pipeline *pl, uint8_t *frame, const struct cref_view *v)
{
    if (rd_mac(frame + ETH_DESTINATION_OFFSET) == v->cluster_mac) {
        return V_DROP_CLUSTER_MAC_NOT_VIP;
    }
    return pipeline_for_host(pl, frame, v);
}

static inline int pipeline_arp(struct pipeline *pl, const struct parsed *p, uint8_t *frame, int capacity,
    const struct cref_view *v)
{
    if (p->arp_opcode == ARP_OPCODE_REQUEST) {
        const int vip = view_vip_index(v, 0, ipv4_mapped(p->arp_target_ip));
        if (vip >= 0 && p->arp_sender_ip != p->arp_target_ip) {
            if (!v->vip_answerable[vip]) {
                return V_DROP_VIP_NOT_ANSWERABLE;
            }
            const int length = arp_reply(frame, capacity, p, v->source_mac, v->cluster_mac);
            if (length == 0) {
                return V_DROP_REPLY_FAILED;
            }
            pl->last_length = length;
            return V_REPLY;
        }
    }
    if (view_vip_index(v, 0, ipv4_mapped(p->arp_sender_ip)) >= 0) {
        return V_DROP_PEER_VIP_CLAIM;
    }
    return pipeline_for_host(pl, frame, v);
}

/* A verdict for ND about a VIP, or -1 when the ICMPv6 message is not that. */
static inline int pipeline_neighbor_discovery(struct pipeline *pl, const struct parsed *p, uint8_t *frame,
    int capacity, const struct cref_view *v)
{
    const int type = p->icmp_type;
    if (!is_neighbor_discovery(type)) {
        return -1;
    }
    const int vip = view_vip_index(v, p->nd_target_hi, p->nd_target_lo);
    if (vip < 0) {
        return -1;
    }
    if (type == ND_NEIGHBOR_ADVERTISEMENT) {
        return V_DROP_PEER_VIP_CLAIM;
    }
    if (!v->vip_answerable[vip]) {
        return V_DROP_VIP_NOT_ANSWERABLE;
    }
    const int length = nd_solicited_advertisement(frame, capacity, p, v->source_mac, v->cluster_mac, 1);
    if (length == 0) {
        return V_DROP_REPLY_FAILED;
    }
    pl->last_length = length;
    return V_REPLY;
}

/* First pass over a burst (Pipeline.prepare): parse frame i and note the connection slot its decision reads first. */
static inline void pipeline_prepare(struct pipeline *pl, int i, const uint8_t *frame, int length)
{
    struct parsed *p = &pl->packets[i];
    const int result = parse_frame(&pl->parser, frame, length, p);
    pl->parse_results[i] = result;
    pl->hints[i] = result == PR_OK ? classifier_connection_home_slot(&pl->classifier, p) : -1;
}

/* Prefetches the noted slots of frames 0..count-1 (Pipeline.warm). */
static inline void pipeline_warm(struct pipeline *pl, int count)
{
    for (int i = 0; i < count; i++) {
        if (pl->hints[i] >= 0) {
            table_prefetch_slot(pl->classifier.connections, pl->hints[i]);
        }
    }
}

/* Decides frame i of a prepared burst (Pipeline.decide). */
static inline int pipeline_decide(struct pipeline *pl, int i, uint8_t *frame, int length, int capacity,
    const struct cref_view *v, int64_t now)
{
    struct parsed *p = &pl->packets[i];
    pl->last_parse_result = pl->parse_results[i];
    pl->last_length = length;
    if (pl->last_parse_result != PR_OK) {
        return V_DROP_MALFORMED;
    }
    switch (p->kind) {
    case KIND_ARP:
        return pipeline_arp(pl, p, frame, capacity, v);
    case KIND_IPV4:
    case KIND_IPV6: {
        if (p->protocol == IPP_ICMPV6 && !p->icmp_error) {
            const int nd = pipeline_neighbor_discovery(pl, p, frame, capacity, v);
            if (nd >= 0) {
                return nd;
            }
        }
        const int verdict = classifier_classify(&pl->classifier, p, v, now);
        if (verdict == V_ACCEPT) {
            wr_mac(frame + ETH_DESTINATION_OFFSET, pl->kernel_mac);
            return V_ACCEPT;
        }
        return verdict == V_PASS ? pipeline_ip_for_host(pl, frame, v) : verdict;
    }
    default:
        return pipeline_for_host(pl, frame, v);
    }
}

/* Decides a frame from the cluster network (Pipeline.ingress): a burst of one. */
static inline int pipeline_ingress(struct pipeline *pl, uint8_t *frame, int length, int capacity,
    const struct cref_view *v, int64_t now)
{
    pipeline_prepare(pl, 0, frame, length);
    return pipeline_decide(pl, 0, frame, length, capacity, v, now);
}

/* Rewrites an outgoing NS/NA about a VIP to name the cluster MAC, with a fresh ICMPv6 checksum. */
static inline void pipeline_name_cluster_mac(struct pipeline *pl, uint8_t *frame, const struct cref_view *v)
{
    const struct parsed *p = &pl->packet;
    wr_mac(frame + ETH_SOURCE_OFFSET, v->source_mac);
    const int option = p->nd_link_layer_address_offset;
    if (option == NONE) {
        return;
    }
    wr_mac(frame + option, v->cluster_mac);
    uint8_t *icmp = frame + p->l4_offset;
    const int icmp_length = p->l3_end - p->l4_offset;
    wr16(icmp + 2, 0);
    wr16(icmp + 2, checksum_icmpv6(icmp, icmp_length, p->src_hi, p->src_lo, p->dst_hi, p->dst_lo));
}

/* Decides a frame from the host's kernel on its way out (Pipeline.egress): the stale-ARP rule. */
static inline int pipeline_egress(struct pipeline *pl, uint8_t *frame, int length, const struct cref_view *v,
    int64_t now)
{
    struct parsed *p = &pl->packet;
    pl->last_parse_result = parse_frame(&pl->parser, frame, length, p);
    pl->last_length = length;
    if (pl->last_parse_result != PR_OK) {
        return V_DROP_MALFORMED;
    }
    if (p->kind == KIND_ARP) {
        const int vip = view_vip_index(v, 0, ipv4_mapped(p->arp_sender_ip));
        if (vip < 0) {
            return V_PASS;
        }
        if (!v->vip_answerable[vip]) {
            return V_DROP_STALE_VIP_CLAIM;
        }
        wr_mac(frame + p->arp_sender_mac_offset, v->cluster_mac);
        wr_mac(frame + ETH_SOURCE_OFFSET, v->source_mac);
        return V_PASS;
    }
    if (p->kind != KIND_IPV4 && p->kind != KIND_IPV6) {
        return V_PASS;
    }
    const int source_vip = view_vip_index(v, p->src_hi, p->src_lo);
    if (p->protocol == IPP_ICMPV6 && !p->icmp_error && is_neighbor_discovery(p->icmp_type)) {
        const int target_vip = view_vip_index(v, p->nd_target_hi, p->nd_target_lo);
        const int claimed = p->icmp_type == ND_NEIGHBOR_ADVERTISEMENT ? target_vip : source_vip;
        if (claimed < 0) {
            return V_PASS;
        }
        if (!v->vip_answerable[claimed]) {
            return V_DROP_STALE_VIP_CLAIM;
        }
        pipeline_name_cluster_mac(pl, frame, v);
        return V_PASS;
    }
    if (source_vip >= 0) {
        wr_mac(frame + ETH_SOURCE_OFFSET, v->source_mac);
        classifier_observe_outbound(&pl->classifier, p, now);
    }
    return V_PASS;
}

#endif
