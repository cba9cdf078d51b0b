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

#ifndef GRE_DP_H
#define GRE_DP_H 1

/* The datapath side of ovs-gre: the batch push and pop that dpif-netdev's
 * tnl_push and tnl_pop actions run on the shared datapath port of each
 * type.  It needs no netdev: the port type says everything, and the port
 * table (gre-port.h) says which configured port a packet belongs to.
 *
 * Ownership: the batch functions delete every packet they drop and leave
 * the others in the batch, in order; the single-packet functions are for
 * OVS's per-packet provider callbacks. */

#include "byte-order.h"
#include "gre-type.h"
#include "openvswitch/types.h"

struct dp_packet;
struct dp_packet_batch;
struct ovs_action_push_tnl;

void gre_dp_push_batch(const struct gre_type *, const char *name,
                       struct dp_packet_batch *,
                       const struct ovs_action_push_tnl *);
void gre_dp_push_one(const struct gre_type *, struct dp_packet *,
                     const struct ovs_action_push_tnl *);
void gre_dp_pop_batch(const struct gre_type *, struct dp_packet_batch *);
struct dp_packet *gre_dp_pop_one(const struct gre_type *, struct dp_packet *);

/* Cross-type delivery.
 *
 * OVS sends a packet to a shared datapath port by its outer addresses
 * alone, so when gre and erspan ports (or ip6gre and ip6erspan ports)
 * share a local address, OVS's tunnel port map sends all their traffic to
 * one of the two datapath ports.  The pop still finds the right port; when
 * that port's type is not the receiving datapath port's, it marks the
 * packet's tunnel metadata with the port's type in 'tp_dst' (unused by
 * GRE, which has no UDP ports), and the seam makes ofproto look the packet
 * up among that type's ports. */
#define GRE_XTYPE_MARK_BASE 0xffe0

static inline ovs_be16
gre_xtype_mark(const struct gre_type *type)
{
    return htons(GRE_XTYPE_MARK_BASE + type->index);
}

/* Returns the type index marked in 'tp_dst', or -1 if it is no mark. */
static inline int
gre_xtype_from_mark(ovs_be16 tp_dst)
{
    int x = ntohs(tp_dst) - GRE_XTYPE_MARK_BASE;

    return x >= 0 && x < GRE_N_TYPES ? x : -1;
}

#endif /* gre-dp.h */
