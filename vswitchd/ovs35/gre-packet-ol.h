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

#ifndef GRE_PACKET_OL_H
#define GRE_PACKET_OL_H 1

/* What ovs-gre's offloads (datapath/gre-offload.h) need to know of the
 * packet metadata of Open vSwitch 3.5: GRE_OFFLOAD_OVS_INIT initializes the
 * 'struct gre_offload_ovs' the seam gives the datapath at start-up. */

#include "dp-packet.h"
#include "gre-layout.h"
#include "gre-offload.h"
#include "netdev-provider.h"

/* dp_packet_get_tso_segsz() and dp_packet_set_tso_segsz(), which OVS
 * 3.5 defines inline, as functions. */
static inline uint16_t
gre_packet_get_segsz(const struct dp_packet *p)
{
    return dp_packet_get_tso_segsz(p);
}

static inline void
gre_packet_set_segsz(struct dp_packet *p, uint16_t segsz)
{
    dp_packet_set_tso_segsz(p, segsz);
}

/* The transmit offloads a port needs to take a GRE-tunnelled TSO packet
 * with an outer IPv4 header whole: GRE tunnel TSO, TCP TSO, and the inner
 * TCP, inner IPv4 and outer IPv4 checksums written per segment. */
#define GRE_PACKET_TNL_TSO_NEEDS (NETDEV_TX_GRE_TNL_TSO              \
                                  | NETDEV_TX_OFFLOAD_TCP_TSO        \
                                  | NETDEV_TX_OFFLOAD_TCP_CKSUM      \
                                  | NETDEV_TX_OFFLOAD_IPV4_CKSUM     \
                                  | NETDEV_TX_OFFLOAD_OUTER_IP_CKSUM)

/* The 'tnl_tso' of struct gre_offload_ovs: describes tunnelled TSO packet
 * 'p' as OVS 3.5's own GRE push does (outer IPv4 and its checksum, GRE
 * tunnel, inner IPv4 or IPv6, TCP checksum and segmentation at 'mss';
 * l3 and l4 at the outer IPv4 and GRE headers, inner l3 and l4 at the
 * inner ones), from which its netdev-dpdk fills in the mbuf's tunnel
 * metadata, if 'netdev' advertises GRE_PACKET_TNL_TSO_NEEDS. */
static inline bool
gre_packet_tnl_tso(struct dp_packet *p, const struct netdev *netdev,
                   const struct gre_layout *lay, const struct gre_l4_geom *g,
                   uint16_t mss)
{
    const uint64_t reset = (DP_PACKET_OL_TX_IPV4 | DP_PACKET_OL_TX_IPV6
                            | DP_PACKET_OL_TX_ANY_CKSUM
                            | DP_PACKET_OL_TX_TUNNEL_GENEVE
                            | DP_PACKET_OL_TX_TUNNEL_VXLAN
                            | DP_PACKET_OL_TX_OUTER_IPV6);

    if ((netdev->ol_flags & GRE_PACKET_TNL_TSO_NEEDS)
        != GRE_PACKET_TNL_TSO_NEEDS) {
        return false;
    }
    *dp_packet_ol_flags_ptr(p) &= ~reset;
    dp_packet_hwol_set_tunnel_gre(p);
    dp_packet_hwol_set_tx_outer_ipv4(p);
    dp_packet_hwol_set_tx_outer_ipv4_csum(p);
    if (g->ipv6) {
        dp_packet_hwol_set_tx_ipv6(p);
    } else {
        dp_packet_hwol_set_tx_ipv4(p);
        dp_packet_hwol_set_tx_ip_csum(p);
    }
    dp_packet_hwol_set_csum_tcp(p);
    dp_packet_hwol_set_tcp_seg(p);
    dp_packet_set_tso_segsz(p, mss);
    p->l3_ofs = lay->l3;
    p->l4_ofs = lay->gre;
    p->inner_l3_ofs = g->l3;
    p->inner_l4_ofs = g->l4;
    return true;
}

/* OVS 3.5: DP_PACKET_OL_TX_IP_CKSUM asks for the IPv4 header checksum
 * (miniflow extraction and header rewrites leave it unwritten); a TSO
 * packet carries its segment size, which netdev-linux gives the kernel as
 * gso_size and must not be 0; and netdev_send() segments and checksums in
 * software whatever a port cannot offload, but takes a GRE packet that
 * ovs-gre pushed, which carries no OVS tunnel flag, for plain TCP; a port
 * with GRE tunnel TSO is given a tunnelled TSO packet whole, described
 * with OVS's tunnel flags. */
#define GRE_OFFLOAD_OVS_INIT {                  \
    .tx_ip_csum = DP_PACKET_OL_TX_IP_CKSUM,     \
    .get_segsz = gre_packet_get_segsz,          \
    .set_segsz = gre_packet_set_segsz,          \
    .send_all = false,                          \
    .tnl_tso = gre_packet_tnl_tso,              \
}

/* Does to a packet that OVS's own push has just encapsulated what OVS's
 * output does to it in software for a port that offloads no checksum: OVS
 * 3.5 leaves the outer IPv4 checksum to the output, flagged, and
 * netdev_send() writes it there with dp_packet_ol_send_prepare().  For
 * utilities/ovsgre-bench, which compares and times both sides' packets
 * as they leave. */
static inline void
gre_packet_ovs_push_finish(struct dp_packet *p)
{
    dp_packet_ol_send_prepare(p, 0);
}

#endif /* gre-packet-ol.h */
