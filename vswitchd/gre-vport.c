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

/* The bottom of the seam: what ovs-gre does with Open vSwitch's private
 * vport details (vswitchd/gre-vport.h says what it offers).  It is
 * compiled against the OVS tree configure chose, and uses only the
 * members of 'struct netdev_vport' that read the same in every supported
 * version; where and how a version keeps the tunnel configuration is in
 * that version's vswitchd/ovsNN/gre-vport-tnl.h.
 *
 * Why it is needed.  OVS treats a tunnel netdev specially only if its class
 * "is a vport class", which OVS decides by 'class->construct ==
 * netdev_vport_construct' and then reads with CONTAINER_OF into its private
 * 'struct vport_class' and 'struct netdev_vport'.  That gives the shared
 * datapath port ("gre_sys"), the tnl-ports entries, the OpenFlow port
 * counters, 'dpif/show' and route-change status.  A class that does not
 * look like a vport class would lose all of them.  So ovs-gre's classes:
 *
 *   1. are laid out as 'struct vport_class' ('struct gre_vport_class' in
 *      gre-vport-class.h) and use OVS's exported netdev_vport_construct();
 *
 *   2. allocate netdevs as 'struct netdev_vport' (OVS's
 *      lib/netdev-vport-private.h) followed by ovs-gre's port, and publish
 *      the tunnel configuration where OVS reads it: ofproto through
 *      get_tunnel_config, the route-change code
 *      (netdev_vport_route_changed()) directly.
 *
 * Several callbacks here must behave exactly as static functions of OVS's
 * lib/netdev-vport.c that a vport class would otherwise use; each names
 * the function it matches, to be checked again when OVS changes. */

#include <config.h>

#include "gre-vport.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "gre-options.h"
#include "gre-vport-class.h"
#include "netdev-provider.h"
#include "netdev-vport-private.h"
#include "gre-vport-tnl.h"
#include "ovs-router.h"
#include "packets.h"
#include "simap.h"
#include "util.h"

/* A netdev of one of ovs-gre's classes: OVS's vport netdev, which OVS
 * casts to, then ovs-gre's port. */
struct gre_vport_netdev {
    struct netdev_vport vport;
    struct gre_port *port;          /* NULL until first configured. */
};

/* Returns the class layout of 'class', or NULL if it is not one of
 * ovs-gre's.  Only ovs-gre's classes use gre_vport_get_tunnel_config(). */
static const struct gre_vport_class *
class_cast(const struct netdev_class *class)
{
    return (class->get_tunnel_config == gre_vport_get_tunnel_config
            ? CONTAINER_OF(class, struct gre_vport_class, netdev_class)
            : NULL);
}

static struct gre_vport_netdev *
gre_vport_cast(const struct netdev *netdev)
{
    ovs_assert(class_cast(netdev_get_class(netdev)));
    return CONTAINER_OF(netdev, struct gre_vport_netdev, vport.up);
}

static struct netdev_vport *
vport_of(const struct netdev *netdev)
{
    return &gre_vport_cast(netdev)->vport;
}

/* Registration and identity. */

/* Readies 'gc', an entry of a class table, for registration. */
void
gre_vport_class_init(struct gre_vport_class *gc)
{
    simap_init(&gc->global_cfg_tracker);
}

/* Returns how the OVS version ovs-gre is built for reads and reports the
 * options of these types, where versions differ. */
const struct gre_options_dialect *
gre_vport_options_dialect(void)
{
    static const struct gre_options_dialect d = GRE_VPORT_OPTIONS_DIALECT;

    return &d;
}

/* Returns the netdev class to register for 'gc'. */
const struct netdev_class *
gre_vport_netdev_class(const struct gre_vport_class *gc)
{
    return &gc->netdev_class;
}

/* Returns the port type of 'class', or NULL if 'class' is not one of
 * ovs-gre's classes. */
const struct gre_type *
gre_vport_class_type(const struct netdev_class *class)
{
    const struct gre_vport_class *gc = class_cast(class);

    return gc ? gc->type : NULL;
}

/* Returns the port type of 'netdev', which must be of ovs-gre's classes. */
const struct gre_type *
gre_vport_type(const struct netdev *netdev)
{
    const struct gre_vport_class *gc = class_cast(netdev_get_class(netdev));

    ovs_assert(gc);
    return gc->type;
}

/* Returns ovs-gre's port behind 'netdev', or NULL if it was never
 * configured. */
struct gre_port *
gre_vport_port(const struct netdev *netdev)
{
    return gre_vport_cast(netdev)->port;
}

/* Makes 'port' ovs-gre's port behind 'netdev'. */
void
gre_vport_set_port(struct netdev *netdev, struct gre_port *port)
{
    gre_vport_cast(netdev)->port = port;
}

/* Configuration. */

/* Writes into 'tnl' the tunnel configuration OVS reads for a port
 * configured as 'opts'.  Members that OVS has but ovs-gre's types do not
 * use (the UDP port, extensions, SRv6) stay zero, as OVS leaves them for
 * GRE-family ports. */
static void
tnl_from_options(struct netdev_tunnel_config *tnl,
                 const struct gre_options *opts)
{
    memset(tnl, 0, sizeof *tnl);

    tnl->ipv6_dst = opts->remote_ip;
    tnl->ip_dst_flow = opts->remote_ip_flow;
    tnl->ipv6_src = opts->local_ip;
    tnl->ip_src_flow = opts->local_ip_flow;

    tnl->in_key_present = opts->in_key.present;
    tnl->in_key_flow = opts->in_key.flow;
    tnl->in_key = opts->in_key.value;
    tnl->out_key_present = opts->out_key.present;
    tnl->out_key_flow = opts->out_key.flow;
    tnl->out_key = opts->out_key.value;

    tnl->ttl = opts->ttl;
    tnl->ttl_inherit = opts->ttl_inherit;
    tnl->tos = opts->tos;
    tnl->tos_inherit = opts->tos_inherit;
    tnl->dont_fragment = opts->df_default;
    tnl->egress_pkt_mark = opts->egress_pkt_mark;
    tnl->set_egress_pkt_mark = opts->egress_pkt_mark_set;
    tnl->pt_mode = opts->pt_mode;

    tnl->csum = gre_vport_tnl_csum(opts);
    tnl->set_seq = opts->seq;

    tnl->erspan_ver = opts->erspan_ver.value;
    tnl->erspan_ver_flow = opts->erspan_ver.flow;
    tnl->erspan_idx = opts->erspan_idx.value;
    tnl->erspan_idx_flow = opts->erspan_idx.flow;
    tnl->erspan_dir = opts->erspan_dir.value;
    tnl->erspan_dir_flow = opts->erspan_dir.flow;
    tnl->erspan_hwid = opts->erspan_hwid.value;
    tnl->erspan_hwid_flow = opts->erspan_hwid.flow;
}

/* Looks up the interface that the route to 'vport''s remote endpoint
 * leaves by, and that interface's carrier; records both if either
 * changed, and returns true then.  Must match OVS's
 * tunnel_check_status_change__(), which OVS's route-change code runs on
 * ovs-gre's netdevs too. */
static bool
refresh_egress(struct netdev_vport *vport)
    OVS_REQUIRES(vport->mutex)
{
    const struct netdev_tunnel_config *tnl = gre_vport_tnl(vport);
    char name[IFNAMSIZ] = "";
    struct in6_addr gw;
    bool up = false;

    if (ovs_router_lookup(tnl->egress_pkt_mark, &tnl->ipv6_dst, name, NULL,
                          &gw)) {
        struct netdev *egress;

        if (!netdev_open(name, NULL, &egress)) {
            up = netdev_get_carrier(egress);
            netdev_close(egress);
        }
    }
    if (!strcmp(vport->egress_iface, name) && vport->carrier_status == up) {
        return false;
    }
    ovs_strlcpy_arrays(vport->egress_iface, name);
    vport->carrier_status = up;
    return true;
}

/* Makes the configuration that OVS reads for 'netdev' the one of 'opts',
 * and tells OVS if it changed. */
void
gre_vport_publish(struct netdev *netdev, const struct gre_options *opts)
{
    struct netdev_vport *vport = vport_of(netdev);
    struct netdev_tunnel_config tnl;

    tnl_from_options(&tnl, opts);
    ovs_mutex_lock(&vport->mutex);
    if (memcmp(gre_vport_tnl(vport), &tnl, sizeof tnl)) {
        gre_vport_tnl_replace(vport, &tnl);
        refresh_egress(vport);
        netdev_change_seq_changed(netdev);
    }
    ovs_mutex_unlock(&vport->mutex);
}

/* Statistics and lifetime. */

/* Fills in the packet and byte counters of 'stats' from those ofproto adds
 * to 'netdev' through netdev_vport_inc_rx() and netdev_vport_inc_tx(),
 * leaving the rest of 'stats' alone.  Must match OVS's
 * netdev_vport_get_stats(). */
void
gre_vport_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct netdev_vport *vport = vport_of(netdev);

    ovs_mutex_lock(&vport->mutex);
    stats->rx_packets = vport->stats.rx_packets;
    stats->rx_bytes = vport->stats.rx_bytes;
    stats->tx_packets = vport->stats.tx_packets;
    stats->tx_bytes = vport->stats.tx_bytes;
    ovs_mutex_unlock(&vport->mutex);
}

/* Releases what netdev_vport_construct() set up in 'netdev', as OVS's
 * netdev_vport_destruct() does for a tunnel that is not VXLAN. */
void
gre_vport_destruct(struct netdev *netdev)
{
    struct netdev_vport *vport = vport_of(netdev);

    gre_vport_tnl_release(vport);
    free(vport->peer);
    vport->peer = NULL;
    ovs_mutex_destroy(&vport->mutex);
}

/* The netdev_class callbacks in GRE_VPORT_FUNCTIONS. */

/* 'alloc': a zeroed netdev of ovs-gre's layout, for
 * netdev_vport_construct() to initialize. */
struct netdev *
gre_vport_alloc(void)
{
    struct gre_vport_netdev *dev = xzalloc(sizeof *dev);

    return &dev->vport.up;
}

/* 'dealloc': frees what gre_vport_alloc() allocated. */
void
gre_vport_dealloc(struct netdev *netdev)
{
    free(gre_vport_cast(netdev));
}

/* 'set_etheraddr': a tunnel's MAC exists only for OpenFlow's sake.  Must
 * match OVS's netdev_vport_set_etheraddr(). */
int
gre_vport_set_etheraddr(struct netdev *netdev, const struct eth_addr mac)
{
    struct netdev_vport *vport = vport_of(netdev);

    ovs_mutex_lock(&vport->mutex);
    vport->etheraddr = mac;
    ovs_mutex_unlock(&vport->mutex);
    netdev_change_seq_changed(netdev);
    return 0;
}

/* 'get_etheraddr'.  Must match OVS's netdev_vport_get_etheraddr(). */
int
gre_vport_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct netdev_vport *vport = vport_of(netdev);

    ovs_mutex_lock(&vport->mutex);
    *mac = vport->etheraddr;
    ovs_mutex_unlock(&vport->mutex);
    return 0;
}

/* 'get_pt_mode': the configured packet_type.  Must match OVS's
 * netdev_vport_get_pt_mode(). */
enum netdev_pt_mode
gre_vport_get_pt_mode(const struct netdev *netdev)
{
    return gre_vport_tnl(vport_of(netdev))->pt_mode;
}

/* 'update_flags': a tunnel is up and promiscuous, and cannot be anything
 * else.  Must match OVS's netdev_vport_update_flags(). */
int
gre_vport_update_flags(struct netdev *netdev OVS_UNUSED,
                       enum netdev_flags off, enum netdev_flags on OVS_UNUSED,
                       enum netdev_flags *old_flagsp)
{
    enum netdev_flags always = NETDEV_UP | NETDEV_PROMISC;

    if (off & always) {
        return EOPNOTSUPP;
    }
    *old_flagsp = always;
    return 0;
}

/* 'get_tunnel_config': the published configuration, which OVS reads in
 * place (get_netdev_tunnel_config() in OVS). */
const struct netdev_tunnel_config *
gre_vport_get_tunnel_config(const struct netdev *netdev)
{
    return gre_vport_tnl(vport_of(netdev));
}

/* 'get_status': the interface toward the remote endpoint and its carrier,
 * once a route names one.  Must match OVS's tunnel_get_status(). */
int
gre_vport_get_status(const struct netdev *netdev, struct smap *status)
{
    struct netdev_vport *vport = vport_of(netdev);

    ovs_mutex_lock(&vport->mutex);
    if (vport->egress_iface[0]) {
        smap_add(status, "tunnel_egress_iface", vport->egress_iface);
        smap_add(status, "tunnel_egress_iface_carrier",
                 vport->carrier_status ? "up" : "down");
    }
    ovs_mutex_unlock(&vport->mutex);
    return 0;
}

/* 'get_ifindex': ovs-gre's ports have no kernel device.  (OVS's
 * netdev_vport_get_ifindex() asks the kernel for a device of the port's
 * name, which the userspace datapath never creates.) */
int
gre_vport_get_ifindex(const struct netdev *netdev OVS_UNUSED)
{
    return -ENODEV;
}
