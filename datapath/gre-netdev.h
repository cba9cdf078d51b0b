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

#ifndef GRE_NETDEV_H
#define GRE_NETDEV_H 1

/* The netdev provider behaviour of ovs-gre's ports in dpif-netdev:
 * configuration, header building, and the batch push and pop that the
 * datapath's tnl_push and tnl_pop actions run.
 *
 * What ties these to OVS's private structures (the netdev and class
 * layouts, the registration, the interposed batch entry points) is in
 * vswitchd/ovs-glue.c; this file asks it through ovs-glue.h. */

#include <stdbool.h>
#include "gre-type.h"
#include "openvswitch/types.h"
#include "byte-order.h"

struct dp_packet;
struct dp_packet_batch;
struct gre_port;
struct netdev;
struct netdev_class;
struct netdev_stats;
struct ovs_action_push_tnl;

/* State ovs-gre keeps for each netdev of its classes. */
struct gre_netdev {
    struct gre_port *port;      /* NULL until first configured. */

    /* Why the last configuration was refused while an earlier one stays in
     * force, or NULL.  Main thread only. */
    char *config_error;
};

void gre_netdev_class_init(struct netdev_class *, const struct gre_type *);
void gre_netdev_init(void);
void gre_netdev_destruct(struct gre_netdev *);
const char *gre_netdev_config_error(const struct netdev *);
void gre_netdev_add_stats(const struct netdev *, struct netdev_stats *);

/* Cross-type delivery.
 *
 * OVS sends a packet to a shared datapath port by its outer addresses
 * alone, so when gre and erspan ports (or ip6gre and ip6erspan ports)
 * share a local address, OVS's tunnel port map sends all their traffic to
 * one of the two datapath ports.  The pop still finds the right port; when
 * that port's type is not the receiving datapath port's, it marks the
 * packet's tunnel metadata with the port's type in 'tp_dst' (unused by
 * GRE, which has no UDP ports), and the glue makes ofproto look the packet
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

void gre_netdev_push_batch(const struct netdev *, struct dp_packet_batch *,
                           const struct ovs_action_push_tnl *);
void gre_netdev_pop_batch(struct netdev *, struct dp_packet_batch *);
void gre_netdev_pop_type_batch(const struct gre_type *,
                               struct dp_packet_batch *);

#endif /* gre-netdev.h */
