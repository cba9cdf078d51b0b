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

struct dp_packet;
struct dp_packet_batch;
struct gre_type;
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

void gre_netdev_push_batch(const struct netdev *, struct dp_packet_batch *,
                           const struct ovs_action_push_tnl *);
void gre_netdev_pop_batch(struct netdev *, struct dp_packet_batch *);

#endif /* gre-netdev.h */
