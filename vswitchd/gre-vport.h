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

#ifndef GRE_VPORT_H
#define GRE_VPORT_H 1

/* The bottom of ovs-gre's seam to Open vSwitch: what the rest of vswitchd/
 * needs from one OVS version's private vport details, the same for every
 * supported version.
 *
 * vswitchd/gre-vport.c implements it, compiled against the OVS version
 * configure chose, with what differs between versions (where the tunnel
 * configuration lives, the options dialect) from that version's
 * vswitchd/ovsNN/gre-vport-tnl.h; gre-vport-class.h lays out 'struct
 * gre_vport_class' as OVS's private 'struct vport_class' and provides
 * GRE_VPORT_FUNCTIONS, the vport-only members of a class table entry.  See
 * Documentation/ovs-gre.rst, "The seam to Open vSwitch".
 *
 * Calls run one way: the class table and interposers (gre-classes.c) and
 * the provider callbacks (gre-provider.c) call down into these; these call
 * only OVS and lib/.
 *
 * Everything here is for netdevs of ovs-gre's classes only, and runs in
 * the main thread unless it says otherwise. */

#include <stdbool.h>

struct gre_options;
struct gre_options_dialect;
struct gre_port;
struct gre_type;
struct gre_vport_class;
struct netdev;
struct netdev_class;
struct netdev_stats;

/* Registration, and how this OVS version reads and reports options. */
void gre_vport_class_init(struct gre_vport_class *);
const struct gre_options_dialect *gre_vport_options_dialect(void);
const struct netdev_class *gre_vport_netdev_class(
    const struct gre_vport_class *);

/* Identity: the port type of one of ovs-gre's classes or netdevs.  Any
 * thread. */
const struct gre_type *gre_vport_class_type(const struct netdev_class *);
const struct gre_type *gre_vport_type(const struct netdev *);

/* ovs-gre's port behind a netdev: NULL until its first configuration. */
struct gre_port *gre_vport_port(const struct netdev *);
void gre_vport_set_port(struct netdev *, struct gre_port *);

/* Configuration: makes 'opts' the tunnel configuration OVS reads. */
void gre_vport_publish(struct netdev *, const struct gre_options *);

/* The packet and byte counters ofproto keeps in the vport. */
void gre_vport_get_stats(const struct netdev *, struct netdev_stats *);

/* Releases what OVS's construction of the vport set up. */
void gre_vport_destruct(struct netdev *);

#endif /* gre-vport.h */
