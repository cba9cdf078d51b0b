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

#ifndef GRE_KA_H
#define GRE_KA_H 1

/* Keepalives at the pop (see lib/gre-keepalive.h for the protocol).
 *
 * A GRE packet of protocol 0 that a port with keepalives receives is a
 * reply, or is refused with a reason (gre_ka_rx_reply()); on a port
 * without keepalives it is dropped as before (gre_proto).
 *
 * A peer's keepalive (a GRE packet carrying an IP packet from our
 * endpoint back to the peer with GRE protocol 0 and the port's key) is
 * sent back whether or not the port sends keepalives of its own, as a
 * router does (gre_ka_rx_reflect()).  The datapath thread checks it and
 * queues the inner packet; the main thread routes it to the peer through
 * the underlay bridge (gre_ka_next_reflection()).  Nothing else is sent
 * back. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-packet.h"
#include "openvswitch/types.h"
#include "packets.h"

/* Cisco MetaData (EtherType 0x8909), which Cisco routers with inline
 * TrustSec tagging put before the inner packet of their keepalives: the
 * next EtherType, a version (1), the length of the options in 32-bit
 * words, and the options (the SGT). */
#define GRE_ETH_TYPE_CMD 0x8909
#define GRE_CMD_VERSION 1

struct flow_tnl;
struct gre_port;
struct gre_rx_info;

bool gre_ka_rx_reply(struct gre_port *, struct dp_packet *,
                     const struct gre_rx_info *, const struct flow_tnl *);
bool gre_ka_rx_reflect(struct gre_port *, struct dp_packet *, size_t inner,
                       ovs_be16 proto, const struct flow_tnl *);

/* Returns true if 'packet', decapsulated with a payload other than
 * Ethernet, might be a peer's keepalive: IP carrying GRE, or Cisco
 * MetaData.  Cheap enough for every such packet. */
static inline bool
gre_ka_maybe_keepalive(const struct dp_packet *packet)
{
    const uint8_t *p = dp_packet_data(packet);
    size_t size = dp_packet_size(packet);

    if (packet->packet_type == htonl(PT_IPV4)) {
        return size >= IP_HEADER_LEN && p[9] == IPPROTO_GRE;
    } else if (packet->packet_type == htonl(PT_IPV6)) {
        return size >= IPV6_HEADER_LEN && p[6] == IPPROTO_GRE;
    }
    return packet->packet_type == PACKET_TYPE_BE(OFPHTN_ETHERTYPE,
                                                 GRE_ETH_TYPE_CMD);
}

struct dp_packet *gre_ka_next_reflection(void);
uint64_t gre_ka_seqno(void);
void gre_ka_wait(uint64_t seqno);

#endif /* gre-ka.h */
