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

/* The one place where ovs-gre depends on Open vSwitch 3.1's private
 * details.  configure refuses any OVS but 3.1.x, the series this file was
 * checked against.
 *
 * Why it is needed.  OVS treats a tunnel netdev specially only if its class
 * "is a vport class", which OVS decides by 'class->construct ==
 * netdev_vport_construct' and then reads with CONTAINER_OF into its private
 * 'struct vport_class' and 'struct netdev_vport'.  That gives the shared
 * datapath port ("gre_sys"), the tnl-ports entries, the OpenFlow port
 * counters, 'dpif/show' and route-change status.  A class that does not
 * look like a vport class would lose all of them.  So ovs-gre's classes:
 *
 *   1. are laid out as 'struct vport_class' (below, 'struct glue_class',
 *      whose first three members mirror it; ovs-gre's own member follows),
 *      and use OVS's exported netdev_vport_construct();
 *
 *   2. allocate netdevs as 'struct netdev_vport' (from OVS's
 *      lib/netdev-vport-private.h) followed by ovs-gre's state, and keep
 *      the tunnel configuration in 'netdev_vport.tnl_cfg', where OVS reads
 *      it.
 *
 * How they get in.  The built-in classes are registered by the static
 * array in netdev_vport_tunnel_register() (lib/netdev-vport.c), one
 * netdev_register_provider() call each, from inside netdev_initialize()'s
 * once-only block.  They cannot be unregistered and replaced afterwards
 * from there (netdev_unregister_provider() calls netdev_initialize() and
 * would wait on that same block), so ovs-vswitchd is linked with
 * '-Wl,--wrap=netdev_register_provider' and
 * __wrap_netdev_register_provider() here substitutes ovs-gre's class for
 * OVS's gre, erspan, ip6gre and ip6erspan classes as they are registered:
 * OVS's classes for those types never exist in the daemon.
 *
 * The batch path.  dpif-netdev calls netdev_push_header() and
 * netdev_pop_header() (lib/netdev.c) for its tnl_push and tnl_pop actions;
 * those call the class's per-packet callbacks, and the push drops every
 * packet with offload flags.  With '-Wl,--wrap=netdev_push_header' and
 * '-Wl,--wrap=netdev_pop_header', calls for ovs-gre's classes go to
 * ovs-gre's batch functions instead and every other class to OVS's.
 *
 * Output offloads.  netdev_send() drops every packet whose offload flags
 * (TSO, TCP or UDP checksum) the output port cannot honour.  With
 * '-Wl,--wrap=netdev_send', such batches go through ovs-gre's software
 * segmentation and checksumming first (datapath/gre-offload.h), which is
 * what lets TSO packets into and GRO packets out of tunnels.
 *
 * Shared local addresses.  OVS maps a received tunnel packet to a shared
 * datapath port by its outer addresses only, so gre and erspan ports (or
 * ip6gre and ip6erspan ports) on one local address all receive through
 * whichever of the two datapath ports registered that address first.  The
 * pop finds the right port anyway and marks packets meant for the other
 * type (see "Cross-type delivery" in datapath/gre-dp.h).  Here,
 * '-Wl,--wrap=tnl_port_add' and '-Wl,--wrap=tnl_port_reconfigure' learn
 * the datapath port number of each type, '-Wl,--wrap=tnl_port_receive'
 * makes ofproto look a marked packet up among its type's ports, and
 * '-Wl,--wrap=tnl_wc_init' keeps the mark in the megaflow match so that
 * marked and unmarked packets never share a datapath flow.  (One datapath
 * per type is assumed: with several userspace datapaths the last port
 * number learned wins.)
 *
 * Kernel interfaces.  '-Wl,--wrap=setsockopt' spares the af_packet
 * sockets that read kernel interfaces a copy of every packet they send
 * (see __wrap_setsockopt()).
 *
 * Configuration errors.  OVS 3.1's bridge deletes a port whose
 * reconfiguration fails and writes Interface.error only when creating one,
 * so a bad option would lose a working tunnel.  ovs-gre's set_config
 * therefore keeps the last good configuration and reports success, and
 * '-Wl,--wrap=ofproto_vport_get_status' (called by the bridge when it
 * refreshes an interface's status) returns the kept error sentence, which
 * the bridge then writes into Interface.error.
 *
 * Nothing in this file logs above DBG at start-up: the OVS test harness
 * fails a daemon that prints anything unexpected. */

#include <config.h>

#include "ovs-glue.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "dp-packet.h"
#include "gre-dp.h"
#include "gre-netdev.h"
#include "gre-offload.h"
#include "gre-options.h"
#include "gre-type.h"
#include "netdev-provider.h"
#include "netdev-vport-private.h"
#include "netdev-vport.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/tunnel.h"
#include "openvswitch/flow.h"
#include "flow.h"
#include "openvswitch/vlog.h"
#include "ovs-router.h"
#include "ovs-thread.h"
#include "simap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovs_glue);

/* Mirrors 'struct vport_class' of OVS 3.1's lib/netdev-vport.c in its first
 * three members, which is all OVS reads through CONTAINER_OF. */
struct glue_class {
    const char *dpif_port;
    struct netdev_class netdev_class;
    struct simap global_cfg_tracker;

    /* ovs-gre's own, beyond what OVS reads. */
    const struct gre_type *type;
};

/* A netdev of one of ovs-gre's classes: OVS's vport netdev, which OVS
 * casts to, then ovs-gre's state. */
struct glue_netdev {
    struct netdev_vport vport;
    struct gre_netdev gre;
};

static struct glue_class glue_classes[GRE_N_TYPES];

static const struct glue_class *
glue_class_cast(const struct netdev_class *class)
{
    ovs_assert(glue_is_gre_class(class));
    return CONTAINER_OF(class, struct glue_class, netdev_class);
}

static struct glue_netdev *
glue_netdev_cast(const struct netdev *netdev)
{
    ovs_assert(glue_is_gre_class(netdev_get_class(netdev)));
    return CONTAINER_OF(netdev, struct glue_netdev, vport.up);
}

/* Returns true if 'class' is one of ovs-gre's classes. */
bool
glue_is_gre_class(const struct netdev_class *class)
{
    for (int i = 0; i < GRE_N_TYPES; i++) {
        if (class == &glue_classes[i].netdev_class) {
            return true;
        }
    }
    return false;
}

/* Returns the port type of ovs-gre class 'class'. */
const struct gre_type *
glue_class_type(const struct netdev_class *class)
{
    return glue_class_cast(class)->type;
}

/* Returns ovs-gre's state of 'netdev'. */
struct gre_netdev *
glue_gre_netdev(const struct netdev *netdev)
{
    return &glue_netdev_cast(netdev)->gre;
}

/* Writes into 'tnl' the tunnel configuration OVS 3.1 reads for a port
 * configured as 'opts'. */
static void
tnl_cfg_from_options(struct netdev_tunnel_config *tnl,
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

    tnl->csum = opts->csum;
    tnl->set_seq = opts->seq;

    tnl->erspan_ver = opts->erspan_ver;
    tnl->erspan_idx = opts->erspan_idx;
    tnl->erspan_dir = opts->erspan_dir;
    tnl->erspan_hwid = opts->erspan_hwid;
    tnl->erspan_ver_flow = opts->erspan_ver_flow;
    tnl->erspan_idx_flow = opts->erspan_idx_flow;
    tnl->erspan_dir_flow = opts->erspan_dir_flow;
    tnl->erspan_hwid_flow = opts->erspan_hwid_flow;
}

/* Updates the egress interface and its carrier for the route to the
 * remote endpoint of 'vport', as OVS 3.1 reports them in the Interface
 * status.  Returns true if either changed. */
static bool
update_egress_status(struct netdev_vport *vport)
    OVS_REQUIRES(vport->mutex)
{
    char iface[IFNAMSIZ] = "";
    struct in6_addr gw;
    bool carrier = false;

    if (ovs_router_lookup(vport->tnl_cfg.egress_pkt_mark,
                          &vport->tnl_cfg.ipv6_dst, iface, NULL, &gw)) {
        struct netdev *egress;

        if (!netdev_open(iface, NULL, &egress)) {
            carrier = netdev_get_carrier(egress);
            netdev_close(egress);
        }
    }

    if (strcmp(vport->egress_iface, iface)
        || vport->carrier_status != carrier) {
        ovs_strlcpy_arrays(vport->egress_iface, iface);
        vport->carrier_status = carrier;
        return true;
    }
    return false;
}

/* Makes the configuration that OVS reads for 'netdev' the one of 'opts',
 * and tells OVS if it changed. */
void
glue_publish(struct netdev *netdev, const struct gre_options *opts)
{
    struct netdev_vport *vport = &glue_netdev_cast(netdev)->vport;
    struct netdev_tunnel_config tnl;

    tnl_cfg_from_options(&tnl, opts);
    ovs_mutex_lock(&vport->mutex);
    if (memcmp(&vport->tnl_cfg, &tnl, sizeof tnl)) {
        vport->tnl_cfg = tnl;
        update_egress_status(vport);
        netdev_change_seq_changed(netdev);
    }
    ovs_mutex_unlock(&vport->mutex);
}

/* netdev_class callbacks that only touch 'struct netdev_vport'. */

/* 'alloc': a zeroed netdev of ovs-gre's layout. */
static struct netdev *
glue_alloc(void)
{
    struct glue_netdev *dev = xzalloc(sizeof *dev);

    return &dev->vport.up;
}

/* 'destruct': releases ovs-gre's state, then what
 * netdev_vport_construct() set up. */
static void
glue_destruct(struct netdev *netdev)
{
    struct glue_netdev *dev = glue_netdev_cast(netdev);

    gre_netdev_destruct(&dev->gre);
    free(dev->vport.peer);
    ovs_mutex_destroy(&dev->vport.mutex);
}

/* 'dealloc': frees what glue_alloc() allocated. */
static void
glue_dealloc(struct netdev *netdev)
{
    free(glue_netdev_cast(netdev));
}

/* 'set_etheraddr': tunnels have a MAC only for OpenFlow's sake. */
static int
glue_set_etheraddr(struct netdev *netdev, const struct eth_addr mac)
{
    struct netdev_vport *vport = &glue_netdev_cast(netdev)->vport;

    ovs_mutex_lock(&vport->mutex);
    vport->etheraddr = mac;
    ovs_mutex_unlock(&vport->mutex);
    netdev_change_seq_changed(netdev);
    return 0;
}

/* 'get_etheraddr'. */
static int
glue_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct netdev_vport *vport = &glue_netdev_cast(netdev)->vport;

    ovs_mutex_lock(&vport->mutex);
    *mac = vport->etheraddr;
    ovs_mutex_unlock(&vport->mutex);
    return 0;
}

/* 'get_stats': the packet and byte counters that ofproto adds to the
 * netdev_vport through netdev_vport_inc_rx() and netdev_vport_inc_tx(),
 * the same ones OVS 3.1 reports, and ovs-gre's error and drop counters. */
static int
glue_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct netdev_vport *vport = &glue_netdev_cast(netdev)->vport;

    ovs_mutex_lock(&vport->mutex);
    stats->tx_packets = vport->stats.tx_packets;
    stats->tx_bytes = vport->stats.tx_bytes;
    stats->rx_packets = vport->stats.rx_packets;
    stats->rx_bytes = vport->stats.rx_bytes;
    ovs_mutex_unlock(&vport->mutex);
    gre_netdev_add_stats(netdev, stats);
    return 0;
}

/* 'get_pt_mode'. */
static enum netdev_pt_mode
glue_get_pt_mode(const struct netdev *netdev)
{
    return glue_netdev_cast(netdev)->vport.tnl_cfg.pt_mode;
}

/* 'update_flags': a tunnel is always up and promiscuous. */
static int
glue_update_flags(struct netdev *netdev OVS_UNUSED, enum netdev_flags off,
                  enum netdev_flags on OVS_UNUSED,
                  enum netdev_flags *old_flagsp)
{
    if (off & (NETDEV_UP | NETDEV_PROMISC)) {
        return EOPNOTSUPP;
    }
    *old_flagsp = NETDEV_UP | NETDEV_PROMISC;
    return 0;
}

/* 'get_tunnel_config': OVS reads the configuration in place. */
static const struct netdev_tunnel_config *
glue_get_tunnel_config(const struct netdev *netdev)
{
    return &glue_netdev_cast(netdev)->vport.tnl_cfg;
}

/* 'get_status': the egress interface toward the remote endpoint. */
static int
glue_get_status(const struct netdev *netdev, struct smap *smap)
{
    struct netdev_vport *vport = &glue_netdev_cast(netdev)->vport;

    ovs_mutex_lock(&vport->mutex);
    if (vport->egress_iface[0]) {
        smap_add(smap, "tunnel_egress_iface", vport->egress_iface);
        smap_add(smap, "tunnel_egress_iface_carrier",
                 vport->carrier_status ? "up" : "down");
    }
    ovs_mutex_unlock(&vport->mutex);
    return 0;
}

/* 'get_ifindex': the userspace datapath has no kernel device. */
static int
glue_get_ifindex(const struct netdev *netdev OVS_UNUSED)
{
    return -ENODEV;
}

static void
glue_class_init(struct glue_class *gc, const struct gre_type *type)
{
    struct netdev_class *class = &gc->netdev_class;

    memset(gc, 0, sizeof *gc);
    gc->dpif_port = type->dpif_port;
    gc->type = type;
    simap_init(&gc->global_cfg_tracker);

    class->alloc = glue_alloc;
    class->construct = netdev_vport_construct;
    class->destruct = glue_destruct;
    class->dealloc = glue_dealloc;
    class->set_etheraddr = glue_set_etheraddr;
    class->get_etheraddr = glue_get_etheraddr;
    class->get_stats = glue_get_stats;
    class->get_pt_mode = glue_get_pt_mode;
    class->update_flags = glue_update_flags;
    class->get_tunnel_config = glue_get_tunnel_config;
    class->get_status = glue_get_status;
    class->get_ifindex = glue_get_ifindex;
    gre_netdev_class_init(class, type);
}

/* Link-time interposition (see the top of this file). */

int __real_netdev_register_provider(const struct netdev_class *);
int __wrap_netdev_register_provider(const struct netdev_class *);
int __real_netdev_push_header(const struct netdev *, struct dp_packet_batch *,
                              const struct ovs_action_push_tnl *);
int __wrap_netdev_push_header(const struct netdev *, struct dp_packet_batch *,
                              const struct ovs_action_push_tnl *);
void __real_netdev_pop_header(struct netdev *, struct dp_packet_batch *);
void __wrap_netdev_pop_header(struct netdev *, struct dp_packet_batch *);
int __real_netdev_send(struct netdev *, int qid, struct dp_packet_batch *,
                       bool concurrent_txq);
int __wrap_netdev_send(struct netdev *, int qid, struct dp_packet_batch *,
                       bool concurrent_txq);
int __real_ofproto_vport_get_status(const struct ofproto *, ofp_port_t,
                                    char **errp);
int __real_tnl_port_add(const struct ofport_dpif *, const struct netdev *,
                        odp_port_t, bool native_tnl, const char name[]);
int __wrap_tnl_port_add(const struct ofport_dpif *, const struct netdev *,
                        odp_port_t, bool native_tnl, const char name[]);
bool __real_tnl_port_reconfigure(const struct ofport_dpif *,
                                 const struct netdev *, odp_port_t new_odp,
                                 odp_port_t old_odp, bool native_tnl,
                                 const char name[]);
bool __wrap_tnl_port_reconfigure(const struct ofport_dpif *,
                                 const struct netdev *, odp_port_t new_odp,
                                 odp_port_t old_odp, bool native_tnl,
                                 const char name[]);
const struct ofport_dpif *__real_tnl_port_receive(const struct flow *);
const struct ofport_dpif *__wrap_tnl_port_receive(const struct flow *);
void __real_tnl_wc_init(struct flow *, struct flow_wildcards *);
void __wrap_tnl_wc_init(struct flow *, struct flow_wildcards *);
int __wrap_ofproto_vport_get_status(const struct ofproto *, ofp_port_t,
                                    char **errp);
int __real_setsockopt(int fd, int level, int name, const void *value,
                      socklen_t len);
int __wrap_setsockopt(int fd, int level, int name, const void *value,
                      socklen_t len);

/* Initializes ovs-gre's classes, once. */
static void
glue_classes_init(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        for (int i = 0; i < GRE_N_TYPES; i++) {
            glue_class_init(&glue_classes[i], &gre_types[i]);
        }
        gre_netdev_init();
        ovsthread_once_done(&once);
    }
}

/* Registers 'class', or ovs-gre's class in its place if 'class' is OVS's
 * own class for one of ovs-gre's types. */
int
__wrap_netdev_register_provider(const struct netdev_class *class)
{
    const struct gre_type *type = gre_type_from_name(class->type);

    if (type && !glue_is_gre_class(class)) {
        glue_classes_init();
        class = &glue_classes[type->index].netdev_class;
        VLOG_DBG("%s ports are provided by ovs-gre", type->name);
    }
    return __real_netdev_register_provider(class);
}

/* The datapath's tnl_push: ovs-gre's batch push for its classes. */
int
__wrap_netdev_push_header(const struct netdev *netdev,
                          struct dp_packet_batch *batch,
                          const struct ovs_action_push_tnl *data)
{
    if (glue_is_gre_class(netdev_get_class(netdev))) {
        gre_netdev_push_batch(netdev, batch, data);
        return 0;
    }
    return __real_netdev_push_header(netdev, batch, data);
}

/* The datapath's tnl_pop: ovs-gre's batch pop for its classes. */
void
__wrap_netdev_pop_header(struct netdev *netdev, struct dp_packet_batch *batch)
{
    if (glue_is_gre_class(netdev_get_class(netdev))) {
        gre_netdev_pop_batch(netdev, batch);
    } else {
        __real_netdev_pop_header(netdev, batch);
    }
}

/* The datapath's output, for every port: what the port cannot offload
 * (segmenting tunnelled or plain TSO packets, computing checksums) is done
 * in software first, where OVS 3.1 would drop the packet.  See
 * gre-offload.h. */
int
__wrap_netdev_send(struct netdev *netdev, int qid,
                   struct dp_packet_batch *batch, bool concurrent_txq)
{
    if (OVS_UNLIKELY(gre_offload_send_needed(batch, netdev->ol_flags))) {
        return gre_offload_send(netdev, qid, batch, concurrent_txq,
                                __real_netdev_send);
    }
    return __real_netdev_send(netdev, qid, batch, concurrent_txq);
}

/* Receive sockets of kernel interfaces.  OVS 3.1 reads a kernel interface
 * (a "system" port) through an af_packet socket bound to all protocols,
 * with a BPF program, attached by SO_ATTACH_FILTER, that throws away the
 * packets the interface sends; the kernel still copies the metadata of
 * every sent packet (a clone) for the socket before the filter runs.  When
 * an af_packet socket gets exactly that program, this also sets
 * PACKET_IGNORE_OUTGOING (Linux 4.20), which keeps sent packets away from
 * the socket before the clone: the socket receives the same packets, at
 * one clone per packet sent less.  On an older kernel the option is
 * refused and nothing changes. */
static bool
is_inbound_only_filter(const struct sock_fprog *prog)
{
    const struct sock_filter *f = prog->filter;

    return (prog->len == 4
            && f[0].code == (BPF_LD | BPF_H | BPF_ABS)
            && f[0].k == (uint32_t) (SKF_AD_OFF + SKF_AD_PKTTYPE)
            && f[1].code == (BPF_JMP | BPF_JEQ | BPF_K)
            && f[1].k == PACKET_OUTGOING && f[1].jt == 0 && f[1].jf == 1
            && f[2].code == (BPF_RET | BPF_K) && f[2].k == 0
            && f[3].code == (BPF_RET | BPF_K) && f[3].k != 0);
}

int
__wrap_setsockopt(int fd, int level, int name, const void *value,
                  socklen_t len)
{
    int retval = __real_setsockopt(fd, level, name, value, len);

    if (!retval && level == SOL_SOCKET && name == SO_ATTACH_FILTER
        && len == sizeof(struct sock_fprog)
        && is_inbound_only_filter(value)) {
        socklen_t domain_len = sizeof(int);
        int domain, one = 1;

        if (!getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &domain_len)
            && domain == AF_PACKET
            && __real_setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING,
                                 &one, sizeof one)) {
            VLOG_DBG("af_packet socket: PACKET_IGNORE_OUTGOING refused (%s)",
                     ovs_strerror(errno));
        }
    }
    return retval;
}

/* The bridge's status refresh: reports a refused configuration of one of
 * ovs-gre's ports as an error, with its sentence in '*errp', so that it
 * lands in Interface.error while the port keeps working. */
int
__wrap_ofproto_vport_get_status(const struct ofproto *ofproto,
                                ofp_port_t ofp_port, char **errp)
{
    int error = __real_ofproto_vport_get_status(ofproto, ofp_port, errp);
    struct ofport *ofport;

    if (error) {
        return error;
    }
    ofport = ofproto_get_port(ofproto, ofp_port);
    if (ofport && glue_is_gre_class(netdev_get_class(ofport->netdev))) {
        const char *config_error = gre_netdev_config_error(ofport->netdev);

        if (config_error) {
            *errp = xstrdup(config_error);
            return EINVAL;
        }
    }
    return 0;
}

/* The datapath port number of each of ovs-gre's types, ODPP_NONE until a
 * port of that type is added to a bridge.  Written by the main thread,
 * read by handler threads. */
static atomic_uint32_t type_odp[GRE_N_TYPES] = {
    ATOMIC_VAR_INIT(UINT32_MAX), ATOMIC_VAR_INIT(UINT32_MAX),
    ATOMIC_VAR_INIT(UINT32_MAX), ATOMIC_VAR_INIT(UINT32_MAX),
};
BUILD_ASSERT_DECL(GRE_N_TYPES == 4);

static void
learn_type_odp(const struct netdev *netdev, odp_port_t odp_port)
{
    if (glue_is_gre_class(netdev_get_class(netdev))) {
        const struct netdev_class *class = netdev_get_class(netdev);
        const struct gre_type *type = glue_class_type(class);

        atomic_store_relaxed(&type_odp[type->index], odp_to_u32(odp_port));
    }
}

/* Returns the index of the type whose datapath port is 'odp_port', or -1
 * if it is none of ovs-gre's. */
static int
type_of_odp(odp_port_t odp_port)
{
    for (int i = 0; i < GRE_N_TYPES; i++) {
        uint32_t odp;

        atomic_read_relaxed(&type_odp[i], &odp);
        if (odp == odp_to_u32(odp_port)) {
            return i;
        }
    }
    return -1;
}

/* ofproto adds a tunnel port: learns its type's datapath port. */
int
__wrap_tnl_port_add(const struct ofport_dpif *ofport,
                    const struct netdev *netdev, odp_port_t odp_port,
                    bool native_tnl, const char name[])
{
    learn_type_odp(netdev, odp_port);
    return __real_tnl_port_add(ofport, netdev, odp_port, native_tnl, name);
}

/* ofproto reconfigures a tunnel port: learns its type's datapath port. */
bool
__wrap_tnl_port_reconfigure(const struct ofport_dpif *ofport,
                            const struct netdev *netdev, odp_port_t new_odp,
                            odp_port_t old_odp, bool native_tnl,
                            const char name[])
{
    learn_type_odp(netdev, new_odp);
    return __real_tnl_port_reconfigure(ofport, netdev, new_odp, old_odp,
                                       native_tnl, name);
}

/* ofproto maps a received tunnel packet to its port: a packet the pop
 * marked for another type is looked up among that type's ports. */
const struct ofport_dpif *
__wrap_tnl_port_receive(const struct flow *flow)
{
    int target = gre_xtype_from_mark(flow->tunnel.tp_dst);

    if (target >= 0 && type_of_odp(flow->in_port.odp_port) >= 0) {
        struct flow copy = *flow;
        uint32_t odp;

        atomic_read_relaxed(&type_odp[target], &odp);
        copy.in_port.odp_port = u32_to_odp(odp);
        return __real_tnl_port_receive(&copy);
    }
    return __real_tnl_port_receive(flow);
}

/* xlate starts on a received tunnel packet: a marked packet's mark is part
 * of the megaflow match. */
void
__wrap_tnl_wc_init(struct flow *flow, struct flow_wildcards *wc)
{
    __real_tnl_wc_init(flow, wc);
    if (gre_xtype_from_mark(flow->tunnel.tp_dst) >= 0
        && type_of_odp(flow->in_port.odp_port) >= 0) {
        wc->masks.tunnel.tp_dst = OVS_BE16_MAX;
    }
}
