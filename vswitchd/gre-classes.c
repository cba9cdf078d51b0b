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

/* The top of ovs-gre's seam to Open vSwitch: its netdev classes, and the
 * link-time interposition that puts them and its batch datapath in place
 * of OVS's own.
 *
 * How the classes get in.  The built-in classes are registered by the
 * static array in netdev_vport_tunnel_register() (lib/netdev-vport.c), one
 * netdev_register_provider() call each, from inside netdev_initialize()'s
 * once-only block.  They cannot be unregistered and replaced afterwards
 * from there (netdev_unregister_provider() calls netdev_initialize() and
 * would wait on that same block), so ovs-vswitchd is linked with
 * '-Wl,--wrap=netdev_register_provider' and
 * __wrap_netdev_register_provider() substitutes ovs-gre's class for OVS's
 * gre, erspan, ip6gre and ip6erspan classes as they are registered: OVS's
 * classes for those types never exist in the daemon.  In builds with
 * DPDK, netdev-dpdk's "dpdk" class is registered amended as well (see
 * gre_dpdk_class()).
 *
 * The batch path.  dpif-netdev calls netdev_push_header() and
 * netdev_pop_header() (lib/netdev.c) for its tnl_push and tnl_pop actions;
 * those call the class's per-packet callbacks, and OVS 3.1's push drops
 * every packet with offload flags.  With '-Wl,--wrap=netdev_push_header'
 * and '-Wl,--wrap=netdev_pop_header', calls for ovs-gre's classes go to
 * ovs-gre's batch functions (datapath/gre-dp.h) and every other class to
 * OVS's.
 *
 * Output offloads.  netdev_send() drops every packet whose offload flags
 * (TSO, TCP or UDP checksum) the output port cannot honour.  With
 * '-Wl,--wrap=netdev_send', such batches go through ovs-gre's software
 * segmentation and checksumming first (datapath/gre-offload.h), which is
 * what lets TSO packets into and GRO packets out of tunnels.
 *
 * Configuration errors.  OVS 3.1's bridge deletes a port whose
 * reconfiguration fails and writes Interface.error only when creating one,
 * so a bad option would lose a working tunnel.  ovs-gre's set_config
 * therefore keeps the last good configuration and reports success, and
 * '-Wl,--wrap=ofproto_vport_get_status' (called by the bridge when it
 * refreshes an interface's status) returns the kept error sentence, which
 * the bridge then writes into Interface.error.
 *
 * Nothing here logs above DBG at start-up: the OVS test harness fails a
 * daemon that prints anything unexpected. */

#include <config.h>

#include <errno.h>
#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "gre-appctl.h"
#include "gre-dp.h"
#include "gre-dpdk.h"
#include "gre-mtu.h"
#include "gre-offload.h"
#include "gre-options.h"
#include "gre-packet-ol.h"
#include "gre-port.h"
#include "gre-provider.h"
#include "gre-type.h"
#include "gre-vport-class.h"
#include "gre-vport.h"
#include "netdev-provider.h"
#include "odp-util.h"
#include "ofproto/ofproto-provider.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_classes);

/* ovs-gre's classes, one per type, as netdev-vport.c declares OVS's. */
static struct gre_vport_class gre_classes[GRE_N_TYPES] = {
    [GRE_TYPE_GRE] = GRE_VPORT_CLASS(
        &gre_types[GRE_TYPE_GRE], "gre_sys",
        GRE_PROVIDER_FUNCTIONS,
        .type = "gre",
        .pop_header = gre_provider_pop_gre),
    [GRE_TYPE_ERSPAN] = GRE_VPORT_CLASS(
        &gre_types[GRE_TYPE_ERSPAN], "erspan_sys",
        GRE_PROVIDER_FUNCTIONS,
        .type = "erspan",
        .pop_header = gre_provider_pop_erspan),
    [GRE_TYPE_IP6GRE] = GRE_VPORT_CLASS(
        &gre_types[GRE_TYPE_IP6GRE], "ip6gre_sys",
        GRE_PROVIDER_FUNCTIONS,
        .type = "ip6gre",
        .pop_header = gre_provider_pop_ip6gre),
    [GRE_TYPE_IP6ERSPAN] = GRE_VPORT_CLASS(
        &gre_types[GRE_TYPE_IP6ERSPAN], "ip6erspan_sys",
        GRE_PROVIDER_FUNCTIONS,
        .type = "ip6erspan",
        .pop_header = gre_provider_pop_ip6erspan),
};

/* What the datapath's offloads need to know of this OVS version. */
static const struct gre_offload_ovs offload_ovs = GRE_OFFLOAD_OVS_INIT;

/* Readies the class table and ovs-gre's commands, once. */
static void
gre_classes_init(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        for (int i = 0; i < GRE_N_TYPES; i++) {
            /* The type names and datapath ports above are those of the
             * descriptors, which 'gre/show' and the logs use. */
            ovs_assert(gre_classes[i].type == &gre_types[i]);
            ovs_assert(!strcmp(gre_classes[i].netdev_class.type,
                               gre_types[i].name));
            ovs_assert(!strcmp(gre_classes[i].dpif_port,
                               gre_types[i].dpif_port));
            gre_vport_class_init(&gre_classes[i]);
        }
        gre_options_set_dialect(gre_vport_options_dialect());
        gre_offload_set_ovs(&offload_ovs);
        gre_appctl_register();
        ovsthread_once_done(&once);
    }
}

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
odp_port_t __real_tnl_port_map_lookup(struct flow *, struct flow_wildcards *);
odp_port_t __wrap_tnl_port_map_lookup(struct flow *, struct flow_wildcards *);
int __real_ofproto_vport_get_status(const struct ofproto *, ofp_port_t,
                                    char **errp);
int __wrap_ofproto_vport_get_status(const struct ofproto *, ofp_port_t,
                                    char **errp);

/* Registers 'class', or ovs-gre's class in its place if 'class' is OVS's
 * own class for one of ovs-gre's types. */
int
__wrap_netdev_register_provider(const struct netdev_class *class)
{
    const struct gre_type *type = gre_type_from_name(class->type);

    if (type && !gre_vport_class_type(class)) {
        gre_classes_init();
        class = gre_vport_netdev_class(&gre_classes[type->index]);
        VLOG_DBG("%s ports are provided by ovs-gre", type->name);
    }
#ifdef DPDK_NETDEV
    class = gre_dpdk_class(class);
#endif
    return __real_netdev_register_provider(class);
}

/* The datapath's tnl_push: ovs-gre's batch push for its classes. */
int
__wrap_netdev_push_header(const struct netdev *netdev,
                          struct dp_packet_batch *batch,
                          const struct ovs_action_push_tnl *data)
{
    const struct gre_type *type;

    type = gre_vport_class_type(netdev_get_class(netdev));
    if (type) {
        gre_dp_push_batch(type, netdev_get_name(netdev), batch, data);
        return 0;
    }
    return __real_netdev_push_header(netdev, batch, data);
}

/* The datapath's tnl_pop: ovs-gre's batch pop for its classes. */
void
__wrap_netdev_pop_header(struct netdev *netdev, struct dp_packet_batch *batch)
{
    const struct gre_type *type;

    type = gre_vport_class_type(netdev_get_class(netdev));
    if (type) {
        gre_dp_pop_batch(type, batch);
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
    if (OVS_UNLIKELY(gre_offload_send_needed(batch, netdev))) {
        return gre_offload_send(netdev, qid, batch, concurrent_txq,
                                __real_netdev_send);
    }
    return __real_netdev_send(netdev, qid, batch, concurrent_txq);
}

/* The tunnel port map, which tells the translation of a packet for a
 * bridge's local port whether to decapsulate it (tnl_pop) instead: OVS's
 * matches only unfragmented packets ("No fragments support" in
 * lib/tnl-ports.c).  A fragment of an IPv4 or IPv6 GRE packet that would
 * be a tunnel's, were it whole, goes to the tunnel's datapath port too,
 * whose pop reassembles it first (lib/gre-reasm.h).  Only GRE-family
 * tunnels use IP protocol 47, so the port found is ovs-gre's.  The flow's
 * fields are the fragment's again once the lookup returns, and its nw_frag
 * stays matched exactly, so that unfragmented packets keep their own
 * datapath flows.
 *
 * The flow of an IPv6 fragment after the first does not say what it
 * carries (its nw_proto is that of the Fragment header): such a fragment
 * goes to the pop only if a port receives from its source, which the
 * datapath flow then matches too.  The pop drops a fragment that does not
 * carry GRE (counted as not_gre).
 *
 * An ICMP Fragmentation Needed or ICMPv6 Packet Too Big for a tunnel
 * endpoint goes to the pop too, which learns from it the path MTU if it
 * quotes one of our packets, and hands it on to the host either way
 * (datapath/gre-pmtud.h).  The flows of other ICMP messages for the local
 * port match their type and code, so that they cannot take these
 * along. */
odp_port_t
__wrap_tnl_port_map_lookup(struct flow *flow, struct flow_wildcards *wc)
{
    odp_port_t port = __real_tnl_port_map_lookup(flow, wc);
    uint8_t nw_frag = flow->nw_frag, nw_proto = flow->nw_proto;
    ovs_be16 tp_src = flow->tp_src, tp_dst = flow->tp_dst;
    bool ipv6 = flow->dl_type == htons(ETH_TYPE_IPV6);

    if (port != ODPP_NONE
        || (!ipv6 && flow->dl_type != htons(ETH_TYPE_IP))) {
        return port;
    }
    if (nw_frag & FLOW_NW_FRAG_ANY) {
        if (ipv6 && nw_proto == IPPROTO_FRAGMENT
            && nw_frag & FLOW_NW_FRAG_LATER) {
            memset(&wc->masks.ipv6_src, 0xff, sizeof wc->masks.ipv6_src);
            if (!gre_port_lookup_endpoints(GRE_KIND_GRE, true,
                                           &flow->ipv6_dst,
                                           &flow->ipv6_src)) {
                return ODPP_NONE;
            }
        } else if (nw_proto != IPPROTO_GRE) {
            return ODPP_NONE;
        }
    } else if (nw_proto == (ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP)) {
        wc->masks.tp_src = OVS_BE16_MAX;
        wc->masks.tp_dst = OVS_BE16_MAX;
        if (ipv6
            ? tp_src != htons(ICMP6_TYPE_PACKET_TOO_BIG) || tp_dst
            : (tp_src != htons(ICMP4_DST_UNREACH)
               || tp_dst != htons(ICMP4_CODE_FRAG_NEEDED))) {
            return ODPP_NONE;
        }
    } else {
        return ODPP_NONE;
    }

    flow->nw_frag = 0;
    flow->nw_proto = IPPROTO_GRE;
    flow->tp_src = flow->tp_dst = 0;
    port = __real_tnl_port_map_lookup(flow, wc);
    flow->nw_frag = nw_frag;
    flow->nw_proto = nw_proto;
    flow->tp_src = tp_src;
    flow->tp_dst = tp_dst;
    return port;
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
    if (ofport && gre_vport_class_type(netdev_get_class(ofport->netdev))) {
        const char *config_error = gre_provider_config_error(ofport->netdev);

        if (config_error) {
            *errp = xstrdup(config_error);
            return EINVAL;
        }
    }
    return 0;
}
