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

#ifndef GRE_OFFLOAD_H
#define GRE_OFFLOAD_H 1

/* TSO, checksum offload and GRO through GRE-family tunnels.
 *
 * With other_config:userspace-tso-enable=true, Open vSwitch receives TCP
 * packets of up to 64 kB from taps and vhost ports, flagged
 * DP_PACKET_OL_TX_TCP_SEG (segment me) and DP_PACKET_OL_TX_TCP_CKSUM (the
 * TCP checksum holds only the pseudo-header sum).  OVS 3.1 drops them at
 * any tunnel; OVS 3.5 carries them through gre and ip6gre without
 * sequence numbers, and drops them at ERSPAN.  Here, on both:
 *
 * Transmit, in two steps.
 *
 *   1. At the tunnel push, gre_offload_tx_prepare() looks at a flagged
 *      packet.  A packet that needs no segmentation gets the checksums it
 *      asks for computed and its flags cleared: it leaves as any packet.
 *      A packet that does is given a segment size (its own, where the OVS
 *      version gives packets one, but no larger than keeps each outer IP
 *      packet within the MTU of the interface the route to the remote
 *      endpoint leaves by, see gre_offload_path_mtu()) and a number of
 *      segments, so that the push can reserve one GRE sequence number per
 *      segment, in batch order.  After the push, gre_offload_tx_mark()
 *      stores the segment size in the outer IP length field, which means
 *      nothing in a packet that is not sent as it is, and leaves the
 *      packet flagged.
 *
 *   2. On output, gre_offload_send() (called for every netdev_send())
 *      segments ovs-gre's tunnelled TSO packets in software (no OVS port
 *      segments GRE-tunnelled TCP that ovs-gre pushed) and, on an OVS
 *      version whose output drops them (3.1), plain TSO packets and
 *      checksum-offload packets where the port lacks the offload.  Each
 *      segment is a whole packet: inner IPv4 length, id (+1 per segment)
 *      and checksum or IPv6 length; TCP sequence number, flags (FIN and
 *      PSH only on the last, CWR only on the first) and checksum; outer
 *      IPv4 length, id (+1 per segment) and checksum or IPv6 length; the
 *      GRE sequence number (+1 per segment) and the GRE checksum when the
 *      header has them.  Segments are copies, except that a packet in
 *      DPDK memory leaving by a DPDK port keeps its payload where it is
 *      (gre-gso-mbuf.h).
 *
 * Receive: gre_offload_gro() coalesces, after the pop, consecutive TCP
 * segments of one inner flow of one tunnel found in one batch into one TSO
 * packet, so that a TSO-capable output (a tap) gets fewer, larger packets.
 * An underlay port read through an af_packet socket with userspace TSO on
 * may also deliver aggregates that the kernel's GRO made of GRE packets
 * (up to 64 kB, flagged for segmentation, their TCP checksum partial):
 * the pop takes them whole, without checking the GRE checksum that only
 * the first segment had, and gre_offload_rx_aggregate() flags the inner
 * packet for the output to segment.
 *
 * What differs between OVS versions (segment sizes, checksum requests,
 * what the output does itself) the seam describes in struct
 * gre_offload_ovs below.
 *
 * Limitations:
 *   - Segmentation handles TCP over IPv4 (no fragments) or IPv6 (no
 *     extension headers), after at most two VLAN tags; anything else
 *     flagged for segmentation is dropped and counted.  Checksum offload
 *     is resolved for TCP and UDP; an SCTP checksum request is dropped.
 *   - The segment size of a tunnelled packet follows the MTU of the route's
 *     interface (GRE_OFFLOAD_UNDERLAY_MTU without a route), not a
 *     discovered path MTU.
 *   - A tunnelled TSO packet is handed whole to a port that segments
 *     GRE-tunnelled TCP itself (a NIC with DPDK's GRE tunnel TSO) only on
 *     an OVS version that can describe one to the port, only with an
 *     outer IPv4 header, and only without GRE checksum and sequence
 *     numbers (ERSPAN always has them), which a NIC does not write per
 *     segment; everything else is segmented here.  OVS 3.1 cannot: its
 *     netdev-dpdk configures a port's transmit offloads without GRE
 *     tunnel TSO (and without outer IPv4 checksum), and rewrites every
 *     offload length of a packet itself before the PMD sees it, in
 *     private functions outside ovs-gre's reach.  OVS 3.5's netdev-dpdk
 *     keeps the outer lengths of a GRE packet only when an outer checksum
 *     is asked for, which an IPv6 outer header has none of, so an ip6gre
 *     TSO packet would reach the PMD described as one long L2 header.
 *   - GRO merges only pure ACK segments (PSH allowed on the last), with
 *     identical IP and TCP headers apart from lengths, ids, checksums and
 *     sequence numbers, every segment but the last of the first's size,
 *     and right checksums; it never merges across batches. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dp_packet;
struct dp_packet_batch;
struct gre_layout;
struct gre_l4_geom;
struct gre_push_plan;
struct netdev;
struct ovs_action_push_tnl;

/* What the offloads need to know of the packet metadata of the Open
 * vSwitch version in use, where versions differ.  The seam (vswitchd/)
 * sets it at start-up with gre_offload_set_ovs(); until then it describes
 * OVS 3.1. */
struct gre_offload_ovs {
    /* The offload flag that asks for the IPv4 header checksum to be
     * written, or 0 if the version has none (3.1). */
    uint64_t tx_ip_csum;

    /* Read and write the segment size a TSO packet is to be cut at, or
     * NULL if packets carry none (3.1: the output port's MTU decides). */
    uint16_t (*get_segsz)(const struct dp_packet *);
    void (*set_segsz)(struct dp_packet *, uint16_t);

    /* Whether the output does in software what a port cannot offload for
     * every packet (true: 3.1, which would drop them), or only for
     * ovs-gre's tunnelled TSO packets, leaving the rest to OVS (false). */
    bool send_all;

    /* Hands tunnelled TSO packet 'p' whole to output port 'netdev', for
     * the port to segment, if the OVS version can describe a GRE-tunnelled
     * TSO packet to a port and 'netdev' advertises what that takes (GRE
     * tunnel TSO and the checksum offloads): sets the packet's offload
     * flags, header offsets and segment size 'mss' as the version's own
     * push would and returns true.  Returns false, 'p' untouched, if not.
     * 'p' is a whole GRE packet (its outer lengths and checksums right)
     * without GRE checksum or sequence number, whose outer headers 'lay'
     * and inner headers 'g' locate.  NULL if the version has no way (3.1:
     * see "Limitations" above). */
    bool (*tnl_tso)(struct dp_packet *p, const struct netdev *netdev,
                    const struct gre_layout *lay,
                    const struct gre_l4_geom *g, uint16_t mss);
};

void gre_offload_set_ovs(const struct gre_offload_ovs *);
const struct gre_offload_ovs *gre_offload_get_ovs(void);

/* The underlay path MTU that tunnelled TSO packets are segmented for when
 * the route to the remote endpoint does not tell. */
#define GRE_OFFLOAD_UNDERLAY_MTU 1500

/* Where a packet's TCP or UDP headers are, as offsets into its data. */
struct gre_l4_geom {
    uint16_t l3;                /* IPv4 or IPv6 header. */
    uint16_t l4;                /* TCP or UDP header. */
    uint16_t hdr_len;           /* All headers, TCP options included. */
    uint32_t end;               /* End of the IP packet (before any
                                 * Ethernet padding). */
    uint8_t proto;              /* IPPROTO_TCP or IPPROTO_UDP. */
    bool ipv6;
};

int gre_l4_geom_parse(const struct dp_packet *, uint16_t ofs, bool is_eth,
                      struct gre_l4_geom *);
uint32_t gre_l4_pseudo_sum(const uint8_t *data, const struct gre_l4_geom *);
void gre_l4_csum_write(uint8_t *data, const struct gre_l4_geom *,
                       size_t summed_end, uint64_t rest_sum);
void gre_ip_fix(uint8_t *ip, bool ipv6, size_t len, size_t ihl,
                uint16_t id_inc);

int gre_offload_path_mtu(const struct ovs_action_push_tnl *,
                         const struct gre_push_plan *);
uint32_t gre_offload_tx_prepare(struct dp_packet *,
                                const struct gre_push_plan *, int path_mtu,
                                uint16_t *mss);
void gre_offload_tx_mark(struct dp_packet *, const struct gre_push_plan *,
                         uint16_t mss);

bool gre_offload_send_needed(const struct dp_packet_batch *,
                             const struct netdev *);
int gre_offload_send(struct netdev *, int qid, struct dp_packet_batch *,
                     bool concurrent_txq,
                     int (*send)(struct netdev *, int qid,
                                 struct dp_packet_batch *, bool));

void gre_offload_gro(struct dp_packet_batch *);
bool gre_offload_rx_aggregate(struct dp_packet *);

/* Totals since start-up, for 'gre/show'. */
struct gre_offload_stats {
    uint64_t tx_resolved;       /* Checksums computed at the push. */
    uint64_t gso_packets;       /* Packets segmented in software... */
    uint64_t gso_segments;      /* ...into this many segments. */
    uint64_t gso_dropped;       /* Flagged packets that could not be. */
    uint64_t gro_segments;      /* Received segments merged... */
    uint64_t gro_packets;       /* ...into this many packets. */
    uint64_t gro_csum_bad;      /* Segments not merged: bad checksum. */
    uint64_t rx_aggregates;     /* Aggregates received from the underlay
                                 * and decapsulated. */
    uint64_t segsz_lowered;     /* TSO packets whose segment size was
                                 * lowered to fit the output port. */
    uint64_t tnl_tso;           /* Tunnelled TSO packets handed whole to
                                 * a port with GRE tunnel TSO. */
    uint64_t gso_zero_copy;     /* Of 'gso_segments', those whose payload
                                 * stayed in its mbuf (DPDK). */
};

/* The totals, as counters to add to. */
enum gre_offload_counter {
    GRE_OFFLOAD_TX_RESOLVED,
    GRE_OFFLOAD_GSO_PACKETS,
    GRE_OFFLOAD_GSO_SEGMENTS,
    GRE_OFFLOAD_GSO_DROPPED,
    GRE_OFFLOAD_GRO_SEGMENTS,
    GRE_OFFLOAD_GRO_PACKETS,
    GRE_OFFLOAD_GRO_CSUM_BAD,
    GRE_OFFLOAD_RX_AGGREGATES,
    GRE_OFFLOAD_SEGSZ_LOWERED,
    GRE_OFFLOAD_TNL_TSO,
    GRE_OFFLOAD_GSO_ZERO_COPY,
    GRE_OFFLOAD_N_COUNTERS
};

void gre_offload_stats_read(struct gre_offload_stats *);
void gre_offload_count(enum gre_offload_counter, uint64_t n);

#endif /* gre-offload.h */
