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

#ifndef GRE_HEADER_H
#define GRE_HEADER_H 1

/* Building, pushing and parsing the outer headers of GRE-family tunnels.
 *
 * Transmit is split as OVS splits it:
 *
 *   - gre_build_header() runs once per datapath flow and writes the whole
 *     outer header (Ethernet, IPv4 or IPv6, GRE, ERSPAN) into the tunnel
 *     push action, with lengths, checksums and sequence numbers left for
 *     later.
 *
 *   - gre_push_plan_init() reads that template once per batch and notes
 *     what has to be patched per packet; gre_push_header() then prepends
 *     the template to one packet and patches only lengths, checksums, the
 *     sequence number and the ERSPAN timestamp.
 *
 * Receive: gre_parse_packet() validates the outer IP header and the GRE
 * header (and, for GRE protocol 0x88be or 0x22eb, the ERSPAN type I, II or
 * III header) of a packet whose l3 and l4 offsets are set, fills a small
 * neutral 'struct gre_rx_info' and returns the number of bytes to pull, or
 * a negative errno with the drop reason in the info.  It reads nothing
 * past the end of the packet and writes nothing into it.
 *
 * Error convention: builders return 0 or a positive errno; parsers return a
 * length or a negative errno. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gre-stats.h"
#include "gre-type.h"
#include "openvswitch/types.h"

struct dp_packet;
struct flow_tnl;
struct netdev_tnl_build_header_params;
struct netdev_tunnel_config;
struct ovs_action_push_tnl;

int gre_build_header(enum gre_kind, const struct netdev_tunnel_config *,
                     struct ovs_action_push_tnl *,
                     const struct netdev_tnl_build_header_params *);

/* What gre_push_header() patches in one header template. */
struct gre_push_plan {
    uint16_t hdr_len;           /* Whole template. */
    uint16_t ip_ofs;            /* Outer IP header. */
    uint16_t gre_ofs;           /* GRE header. */
    uint16_t gre_flags;         /* Host byte order. */
    uint16_t seq_ofs;           /* From the start; 0 if no sequence. */
    uint16_t ts_ofs;            /* ERSPAN v2 timestamp; 0 if none. */
    bool ipv6;
    bool csum;                  /* GRE checksum to compute. */
};

void gre_push_plan_init(struct gre_push_plan *,
                        const struct ovs_action_push_tnl *);
void gre_push_header(struct dp_packet *, const struct ovs_action_push_tnl *,
                     const struct gre_push_plan *, uint32_t seq,
                     ovs_be32 timestamp);
ovs_be32 gre_erspan_timestamp(void);

/* What a received packet's tunnel headers say, beyond the tunnel metadata
 * (addresses, key, ERSPAN fields) written into its 'struct flow_tnl'. */
struct gre_rx_info {
    enum gre_kind kind;         /* From the GRE protocol. */
    bool ipv6;                  /* Outer IPv6 (addresses in 'tnl'). */
    bool has_key;
    ovs_be32 key;               /* GRE key, or the ERSPAN session ID. */
    bool has_seq;
    uint32_t seq;
    bool has_csum;              /* And it is right, on success. */
    ovs_be32 packet_type;       /* Of the payload. */
    enum gre_drop drop;         /* Why, when the parse fails. */
    bool attributable;          /* On failure: endpoints and key valid. */
};

int gre_parse_packet(struct dp_packet *, struct flow_tnl *,
                     struct gre_rx_info *);

#endif /* gre-header.h */
