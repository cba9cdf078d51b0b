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
#include "gre-offload.h"

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

/* OVS 3.5: DP_PACKET_OL_TX_IP_CKSUM asks for the IPv4 header checksum
 * (miniflow extraction and header rewrites leave it unwritten); a TSO
 * packet carries its segment size, which netdev-linux gives the kernel as
 * gso_size and must not be 0; and netdev_send() segments and checksums in
 * software whatever a port cannot offload, but takes a GRE packet that
 * ovs-gre pushed, which carries no OVS tunnel flag, for plain TCP. */
#define GRE_OFFLOAD_OVS_INIT {                  \
    .tx_ip_csum = DP_PACKET_OL_TX_IP_CKSUM,     \
    .get_segsz = gre_packet_get_segsz,          \
    .set_segsz = gre_packet_set_segsz,          \
    .send_all = false,                          \
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
