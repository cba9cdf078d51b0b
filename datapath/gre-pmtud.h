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

#ifndef GRE_PMTUD_H
#define GRE_PMTUD_H 1

/* Path MTU at the push: packets too big for the tunnel.
 *
 * The push knows the header it prepends; the MTU of the underlay is that
 * of the interface by which the route to the remote endpoint leaves (as
 * Linux sizes a tunnel), looked up at most once a second per datapath
 * thread and destination.  A packet whose outer IP packet would exceed it
 * is, on a gre or ip6gre port:
 *
 *   - a packet that is not IPv6 and has no DF (an IPv4 packet without
 *     DF, or not IP), if the port's outer header lets the underlay
 *     fragment (IPv4 without DF: df_default=false): pushed, and the outer
 *     packet fragmented (RFC 4459 section 3.1);
 *
 *   - otherwise, an IPv4 packet without DF: fragmented, and each fragment
 *     pushed, so that the far end has nothing to reassemble;
 *
 *   - an IPv6 packet of at most 1280 bytes when the tunnel MTU is below
 *     1280: pushed, and the outer packet fragmented, IPv4 or IPv6 (RFC
 *     2473 section 7.1); a larger one is answered as too big for 1280;
 *
 *   - an IPv4 packet with DF, or an IPv6 packet: dropped, and an ICMP
 *     Fragmentation Needed or Packet Too Big with the tunnel MTU goes back
 *     to its sender (gre-mtu.h), unless the port has pmtud=false (then it
 *     is sent whole, as Open vSwitch sends it).  The error enters the
 *     bridge as if the tunnel port had received it from the remote
 *     endpoint: the datapath thread queues it with that tunnel metadata
 *     and the main thread runs it through the datapath
 *     (gre_pmtud_next_icmp());
 *
 *   - anything else: dropped.
 *
 * On an ERSPAN port the mirrored frame is truncated to fit, and the
 * ERSPAN header's T bit set, as Linux's erspan does: its packets are
 * mirrored copies, whose senders must not hear of the mirror's MTU.
 *
 * The underlay's MTU is lowered by a path MTU learned from an ICMP
 * Fragmentation Needed or Packet Too Big that a router on the way sent
 * about one of our outer packets (gre_pmtud_rx_icmp()): per remote
 * endpoint, for 10 minutes, never below 552 (IPv4) or 1280 (IPv6). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dp_packet;
struct gre_port;
struct gre_port_key;
struct gre_push_plan;
struct ovs_action_push_tnl;

struct in6_addr;

void gre_pmtud_template_dst(const struct ovs_action_push_tnl *,
                            const struct gre_push_plan *, struct in6_addr *);
int gre_pmtud_route_mtu(const struct in6_addr *dst, uint32_t mark,
                        char out_dev[16]);
int gre_pmtud_underlay_mtu(const struct ovs_action_push_tnl *,
                           const struct gre_push_plan *, uint32_t mark);

/* What the push does with the packet gre_pmtud_too_big() lets leave, once
 * its header is pushed: anything but GRE_PMTUD_PUSH is gre_pmtud_finish()'s
 * to do. */
enum gre_pmtud_then {
    GRE_PMTUD_PUSH,             /* Nothing more. */
    GRE_PMTUD_FRAGMENT_OUTER,   /* Fragment the outer packet. */
    GRE_PMTUD_TRUNCATED,        /* Set the ERSPAN T bit. */
};

size_t gre_pmtud_too_big(struct gre_port *, const struct gre_port_key *,
                         const struct ovs_action_push_tnl *,
                         const struct gre_push_plan *, int underlay_mtu,
                         struct dp_packet *, struct dp_packet **out,
                         size_t max, enum gre_pmtud_then *);
size_t gre_pmtud_finish(struct gre_port *, const struct gre_push_plan *,
                        int underlay_mtu, enum gre_pmtud_then,
                        struct dp_packet *, struct dp_packet **out,
                        size_t max);

void gre_pmtud_clamp_mss(struct gre_port *, struct dp_packet *,
                         const struct ovs_action_push_tnl *,
                         const struct gre_push_plan *, int underlay_mtu);

int gre_pmtud_path_mtu(const struct in6_addr *dst, uint32_t mark,
                       char out_dev[16]);
int gre_pmtud_show_mtu(const struct in6_addr *dst, uint32_t mark,
                       char out_dev[16], int *learned);
struct ds;
void gre_pmtud_show_learned(struct ds *);
void gre_pmtud_forget(void);

struct gre_stats;
void gre_pmtud_rx_icmp(struct dp_packet *, struct gre_stats *);

struct dp_packet *gre_pmtud_next_icmp(void);
void gre_pmtud_wait(void);

#endif /* gre-pmtud.h */
