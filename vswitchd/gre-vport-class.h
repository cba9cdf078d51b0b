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

#ifndef GRE_VPORT_CLASS_H
#define GRE_VPORT_CLASS_H 1

/* ovs-gre's netdev classes as Open vSwitch must see them (see
 * vswitchd/gre-vport.h for the layer this belongs to).  'struct
 * vport_class' is the same in OVS 3.1 and 3.5; a version that changes it
 * puts its own gre-vport-class.h in its vswitchd/ovsNN/, which comes
 * first on the include path. */

#include "netdev-provider.h"
#include "simap.h"

struct gre_type;

/* Laid out as 'struct vport_class' of OVS's lib/netdev-vport.c in its
 * first three members, which is all OVS reads (through CONTAINER_OF, once
 * netdev_vport_construct() as the class's 'construct' has told it that
 * this is a vport class). */
struct gre_vport_class {
    const char *dpif_port;              /* The shared datapath port. */
    struct netdev_class netdev_class;
    struct simap global_cfg_tracker;    /* Only OVS's own tunnel
                                         * configuration uses it. */

    /* ovs-gre's own, beyond what OVS reads. */
    const struct gre_type *type;
};

/* Callbacks of vswitchd/gre-vport.c; see there. */
struct netdev *gre_vport_alloc(void);
void gre_vport_dealloc(struct netdev *);
int gre_vport_set_etheraddr(struct netdev *, const struct eth_addr);
int gre_vport_get_etheraddr(const struct netdev *, struct eth_addr *);
enum netdev_pt_mode gre_vport_get_pt_mode(const struct netdev *);
int gre_vport_update_flags(struct netdev *, enum netdev_flags off,
                           enum netdev_flags on,
                           enum netdev_flags *old_flagsp);
const struct netdev_tunnel_config *gre_vport_get_tunnel_config(
    const struct netdev *);
int gre_vport_get_status(const struct netdev *, struct smap *);
int gre_vport_get_ifindex(const struct netdev *);

/* The members of a 'struct netdev_class' that only touch the vport.  OVS's
 * own netdev_vport_construct() makes it a vport class.  ('get_status' is
 * the provider's, which adds to gre_vport_get_status().) */
#define GRE_VPORT_FUNCTIONS                                     \
    .alloc = gre_vport_alloc,                                   \
    .construct = netdev_vport_construct,                        \
    .dealloc = gre_vport_dealloc,                               \
    .set_etheraddr = gre_vport_set_etheraddr,                   \
    .get_etheraddr = gre_vport_get_etheraddr,                   \
    .get_pt_mode = gre_vport_get_pt_mode,                       \
    .update_flags = gre_vport_update_flags,                     \
    .get_tunnel_config = gre_vport_get_tunnel_config,           \
    .get_ifindex = gre_vport_get_ifindex

/* An entry of a table of classes: type 'TYPE' (a 'const struct gre_type
 * *'), shared datapath port 'DPIF_PORT', and the other netdev_class
 * members in '...'. */
#define GRE_VPORT_CLASS(TYPE, DPIF_PORT, ...)                   \
    {                                                           \
        .dpif_port = DPIF_PORT,                                 \
        .netdev_class = { GRE_VPORT_FUNCTIONS, __VA_ARGS__ },   \
        .type = TYPE,                                           \
    }

int netdev_vport_construct(struct netdev *);

#endif /* gre-vport-class.h */
