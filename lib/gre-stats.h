/*
 * Copyright (c) 2026 The ovs-gre authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef GRE_STATS_H
#define GRE_STATS_H 1

/* Per-tunnel counters.  Every counter is updated from datapath threads
 * with relaxed atomic adds and read by the main thread; a reader may see
 * one counter a packet ahead of another, never a torn value. */

#include <stdint.h>
#include "ovs-atomic.h"

/* How a drop is reported in the standard statistics: as a receive error
 * (a malformed or corrupted packet), a receive drop (a packet the
 * configuration refuses) or a transmit drop. */
enum gre_drop_kind {
    GRE_RX_ERROR,
    GRE_RX_DROPPED,
    GRE_TX_DROPPED,
};

/* Why a packet was dropped.  GRE_DROP(ENUM, name, KIND, description): 'name'
 * is the counter's name in 'gre/show' and in Interface statistics, KIND
 * the standard counter it adds to (GRE_<KIND>), 'description' says when it
 * moves. */
#define GRE_DROP_REASONS                                                  \
    GRE_DROP(NOT_IP, "not_ip", RX_ERROR,                                   \
             "the outer header is neither IPv4 nor IPv6")                  \
    GRE_DROP(IP_HEADER, "ip_header", RX_ERROR,                             \
             "the outer IP header is malformed")                           \
    GRE_DROP(IP_TRUNCATED, "ip_truncated", RX_ERROR,                       \
             "the outer IP header or its payload is cut short")            \
    GRE_DROP(IP_CSUM, "ip_csum", RX_ERROR,                                 \
             "the outer IPv4 header checksum is wrong")                    \
    GRE_DROP(IP_OPTIONS, "ip_options", RX_ERROR,                           \
             "the outer IPv4 header has options")                          \
    GRE_DROP(NOT_GRE, "not_gre", RX_ERROR,                                 \
             "the outer IP header's protocol (or an IPv6 fragment's next " \
             "header) is not GRE")                                        \
    GRE_DROP(GRE_TRUNCATED, "gre_truncated", RX_ERROR,                     \
             "the GRE header is cut short")                                \
    GRE_DROP(GRE_VERSION, "gre_version", RX_ERROR,                         \
             "the GRE version is not 0 (for example PPTP's version 1)")    \
    GRE_DROP(GRE_ROUTING, "gre_routing", RX_ERROR,                         \
             "the GRE routing bit (RFC 1701) is set")                      \
    GRE_DROP(GRE_FLAGS, "gre_flags", RX_ERROR,                             \
             "the GRE header has a reserved or RFC 1701 bit set, or a "    \
             "flag ERSPAN does not use")                                   \
    GRE_DROP(GRE_CSUM, "gre_csum", RX_ERROR,                               \
             "the GRE checksum is wrong")                                  \
    GRE_DROP(GRE_CSUM_MISSING, "gre_csum_missing", RX_DROPPED,             \
             "the port requires GRE checksums (in_csum) and the packet "   \
             "has none")                                                   \
    GRE_DROP(GRE_PROTO, "gre_proto", RX_DROPPED,                           \
             "the payload protocol cannot be carried by the port")         \
    GRE_DROP(ERSPAN_TRUNCATED, "erspan_truncated", RX_ERROR,               \
             "the ERSPAN header is cut short")                             \
    GRE_DROP(ERSPAN_VERSION, "erspan_version", RX_ERROR,                   \
             "the ERSPAN header has an unknown version")                   \
    GRE_DROP(NO_TUNNEL, "no_tunnel", RX_DROPPED,                           \
             "no port has these endpoints and key")                        \
    GRE_DROP(SEQ_MISSING, "seq_missing", RX_DROPPED,                       \
             "the port checks sequence numbers (in_seq) and the packet "   \
             "has none")                                                   \
    GRE_DROP(SEQ_OLD, "seq_old", RX_DROPPED,                               \
             "the sequence number is behind the last one accepted")        \
    GRE_DROP(RX_OFFLOAD, "rx_offload", RX_DROPPED,                         \
             "an aggregate the underlay's GRO made is not a whole TCP "    \
             "packet over IPv4 or IPv6 once decapsulated")                 \
    GRE_DROP(TX_OFFLOAD, "tx_offload", TX_DROPPED,                         \
             "a packet to send asks for segmentation or a checksum that "  \
             "cannot be done in software (not TCP or UDP over IPv4 or "    \
             "IPv6, or malformed)")                                       \
    GRE_DROP(FRAG_BAD, "frag_bad", RX_ERROR,                               \
             "a fragment of an outer IPv4 or IPv6 packet is malformed: "   \
             "cut short, not the last and not a multiple of 8 bytes, or "  \
             "(IPv6) its Fragment header does not follow the IPv6 header")\
    GRE_DROP(FRAG_OVERLAP, "frag_overlap", RX_ERROR,                       \
             "a fragment overlaps another of its datagram, or disagrees "  \
             "with its end (RFC 5722): the whole datagram is dropped")     \
    GRE_DROP(FRAG_TOO_BIG, "frag_too_big", RX_ERROR,                       \
             "the fragments of a datagram reach beyond 65535 bytes (of "   \
             "the IPv6 payload for IPv6)")                                \
    GRE_DROP(FRAG_TOO_MANY, "frag_too_many", RX_ERROR,                     \
             "a datagram comes in more than 64 fragments")                 \
    GRE_DROP(FRAG_TIMEOUT, "frag_timeout", RX_DROPPED,                     \
             "a fragmented datagram was still incomplete after 30 s")      \
    GRE_DROP(FRAG_EVICTED, "frag_evicted", RX_DROPPED,                     \
             "an incomplete fragmented datagram, the oldest, was evicted " \
             "to keep reassembly within 4 MB and 1024 datagrams")          \
    GRE_DROP(TOO_BIG, "too_big", TX_DROPPED,                               \
             "a packet to send is larger than the tunnel MTU and may not "  \
             "be fragmented (IPv4 with DF, IPv6, or not IP); for IP an "   \
             "ICMP error goes back to its sender (see icmp_too_big)")      \
    GRE_DROP(FRAG_NO_ROOM, "frag_no_room", TX_DROPPED,                     \
             "a packet to send is larger than the tunnel MTU and its "     \
             "fragments do not fit in the datapath's batch")               \
    GRE_DROP(ICMP_NO_HOST, "icmp_no_host", RX_DROPPED,                     \
             "an ICMP error for a tunnel endpoint could not be handed to " \
             "the host: no route to the endpoint's internal interface")     \
    GRE_DROP(KEEPALIVE_FORGED, "keepalive_forged", RX_DROPPED,             \
             "a GRE packet of protocol 0 on a port with keepalives whose " \
             "proof is not the port's: forged, corrupted, cut short, or "  \
             "made for another port")                                     \
    GRE_DROP(KEEPALIVE_STALE, "keepalive_stale", RX_DROPPED,               \
             "a keepalive reply with the port's proof that answers no "    \
             "keepalive sent in the last keepalive_retries periods (or "   \
             "the port's keepalives are off)")                            \
    GRE_DROP(KEEPALIVE_REPLAYED, "keepalive_replayed", RX_DROPPED,         \
             "a keepalive reply whose counter is not beyond that of a "    \
             "reply already taken: a replay")                             \
    GRE_DROP(KEEPALIVE_RATELIMITED, "keepalive_ratelimited", RX_DROPPED,   \
             "a peer's keepalive not sent back: over the port's limit of " \
             "10 a second (bursts of 20), or too many waiting")

/* Events that are no drops.  GRE_EVENT(ENUM, name, description). */
#define GRE_EVENTS                                                        \
    GRE_EVENT(ICMP_TOO_BIG, "icmp_too_big",                               \
              "ICMP Fragmentation Needed or ICMPv6 Packet Too Big "       \
              "messages sent back into the bridge for packets larger "    \
              "than the tunnel MTU")                                      \
    GRE_EVENT(ICMP_RATELIMITED, "icmp_ratelimited",                       \
              "such messages not sent: over the port's rate limit, or "   \
              "too many waiting to enter the bridge")                     \
    GRE_EVENT(FRAGMENTED, "fragmented",                                   \
              "inner IPv4 packets without DF fragmented to fit the "      \
              "tunnel MTU")                                               \
    GRE_EVENT(OUTER_FRAGMENTED, "outer_fragmented",                       \
              "packets sent in outer IP fragments: without DF through a " \
              "port with df_default=false, or IPv6 packets of up to 1280 "\
              "bytes when the tunnel MTU is below 1280")                  \
    GRE_EVENT(FRAGMENTS, "fragments",                                     \
              "the fragments those packets became, inner or outer")       \
    GRE_EVENT(REASSEMBLED, "reassembled",                                 \
              "outer IPv4 and IPv6 packets reassembled from fragments "   \
              "before the pop")                                           \
    GRE_EVENT(PMTU_LEARNED, "pmtu_learned",                               \
              "ICMP Fragmentation Needed or Packet Too Big messages from "\
              "the underlay about the port's packets that lowered (or "   \
              "held) the path MTU to its remote")                         \
    GRE_EVENT(ICMP_IGNORED, "icmp_ignored",                               \
              "such messages for a tunnel endpoint that quote no packet " \
              "of a port, or that would not lower its path MTU: handed "  \
              "to the host, nothing learned")                             \
    GRE_EVENT(TRUNCATED, "truncated",                                     \
              "ERSPAN: mirrored frames too big for the tunnel MTU that "  \
              "were truncated to fit, with the T bit set")                \
    GRE_EVENT(MSS_CLAMPED, "mss_clamped",                                 \
              "TCP SYN and SYN-ACK segments whose MSS option was lowered "\
              "(mss_clamp)")                                              \
    GRE_EVENT(KEEPALIVE_SENT, "keepalive_sent",                           \
              "keepalives sent (keepalive)")                              \
    GRE_EVENT(KEEPALIVE_REPLIES, "keepalive_replies",                     \
              "replies to the port's keepalives taken")                   \
    GRE_EVENT(KEEPALIVE_REFLECTED, "keepalive_reflected",                 \
              "peers' keepalives decapsulated and sent back")             \
    GRE_EVENT(KEEPALIVE_UNSENT, "keepalive_unsent",                       \
              "keepalives, or peers' keepalives to send back, not sent: " \
              "no route to the peer, or its next hop's link-layer "       \
              "address not known yet (an ARP request or neighbour "       \
              "solicitation goes out instead)")

enum gre_event {
#define GRE_EVENT(ENUM, NAME, DESC) GRE_EVENT_##ENUM,
    GRE_EVENTS
#undef GRE_EVENT
    GRE_N_EVENTS
};

const char *gre_event_name(enum gre_event);
const char *gre_event_description(enum gre_event);

enum gre_drop {
#define GRE_DROP(ENUM, NAME, KIND, DESC) GRE_DROP_##ENUM,
    GRE_DROP_REASONS
#undef GRE_DROP
    GRE_N_DROPS,

    /* Not a reason: what a check returns when it accepts a packet. */
    GRE_DROP_NONE = GRE_N_DROPS
};

const char *gre_drop_name(enum gre_drop);
const char *gre_drop_description(enum gre_drop);
enum gre_drop_kind gre_drop_kind(enum gre_drop);

struct gre_stats {
    atomic_uint64_t tx_packets;
    atomic_uint64_t tx_bytes;         /* Inner bytes, before the push. */
    atomic_uint64_t rx_packets;
    atomic_uint64_t rx_bytes;         /* Inner bytes, after the pop. */
    atomic_uint64_t drops[GRE_N_DROPS];
    atomic_uint64_t events[GRE_N_EVENTS];
};

/* A plain copy of 'struct gre_stats'. */
struct gre_stats_snapshot {
    uint64_t tx_packets;
    uint64_t tx_bytes;
    uint64_t rx_packets;
    uint64_t rx_bytes;
    uint64_t drops[GRE_N_DROPS];
    uint64_t events[GRE_N_EVENTS];
};

void gre_stats_init(struct gre_stats *);
void gre_stats_read(const struct gre_stats *, struct gre_stats_snapshot *);
uint64_t gre_stats_count_kind(const struct gre_stats_snapshot *,
                              enum gre_drop_kind);

static inline void
gre_stats_add(atomic_uint64_t *counter, uint64_t n)
{
    uint64_t orig;

    atomic_add_relaxed(counter, n, &orig);
}

#endif /* gre-stats.h */
