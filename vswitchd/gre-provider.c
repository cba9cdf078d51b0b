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

#include <config.h>

#include "gre-provider.h"

#include <errno.h>
#include <netinet/ip6.h>
#include <string.h>

#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "gre-dp.h"
#include "gre-header.h"
#include "gre-ka.h"
#include "gre-keepalive.h"
#include "gre-options.h"
#include "gre-pmtud.h"
#include "gre-port.h"
#include "gre-reasm.h"
#include "gre-stats.h"
#include "gre-type.h"
#include "gre-vport-class.h"
#include "gre-vport.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-router.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "tnl-neigh-cache.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_provider);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Configuration. */

/* 'set_config': validates all of 'args' and, only if all of it is valid,
 * applies it.
 *
 * A port that was never configured has nothing to fall back on: on error
 * returns EINVAL and stores the reason in '*errp', and the bridge does not
 * create the port.  A port that has a good configuration keeps it: the
 * reason is logged and kept for gre_provider_config_error(), which puts it
 * in the Interface's 'error' column, and 0 is returned so that the bridge
 * does not delete the port (OVS 3.1 deletes a port whose reconfiguration
 * fails). */
int
gre_provider_set_config(struct netdev *netdev, const struct smap *args,
                        char **errp)
{
    const struct gre_type *type = gre_vport_type(netdev);
    struct gre_port *port = gre_vport_port(netdev);
    const char *name = netdev_get_name(netdev);
    struct gre_options opts;
    char *error = NULL;

    if (gre_options_parse(type, name, args, &opts, &error)) {
        VLOG_WARN("%s", error);
        if (!port) {
            *errp = error;
            return EINVAL;
        }
        gre_port_set_config_error(port, error);
        netdev_change_seq_changed(netdev);
        return 0;
    }

    /* Commit. */
    if (!port) {
        port = gre_port_create(name, type);
        port->netdev = netdev;
        gre_vport_set_port(netdev, port);
    } else if (port->config_error) {
        netdev_change_seq_changed(netdev);
    }
    gre_port_configure(port, &opts);
    gre_vport_publish(netdev, &opts);
    return 0;
}

/* Returns why the last configuration of 'netdev' was refused, if its
 * previous configuration is still in force, otherwise NULL. */
const char *
gre_provider_config_error(const struct netdev *netdev)
{
    struct gre_port *port = gre_vport_port(netdev);

    return port ? port->config_error : NULL;
}

/* 'get_config': reports the configuration in effect, as OVS 3.1 does
 * (defaults left out). */
int
gre_provider_get_config(const struct netdev *netdev, struct smap *args)
{
    struct gre_port *port = gre_vport_port(netdev);
    struct gre_options defaults;

    if (!port) {
        gre_options_default(&defaults);
    }
    gre_options_format(gre_vport_type(netdev),
                       port ? gre_port_options(port) : &defaults, args);
    return 0;
}

/* Transmit. */

/* 'build_header': builds the outer header for a datapath flow that sends
 * through 'netdev'.  Runs in handler and revalidator threads.  Returns 0
 * or a positive errno (the flow then is not installed with a tunnel
 * push). */
int
gre_provider_build_header(
    const struct netdev *netdev, struct ovs_action_push_tnl *data,
    const struct netdev_tnl_build_header_params *params)
{
    const struct gre_type *type = gre_vport_type(netdev);
    struct gre_port *port = gre_vport_port(netdev);
    int error;

    error = (port
             ? gre_build_header(type->kind, gre_port_options(port), data,
                                params)
             : EINVAL);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: cannot build a %s header for this flow",
                     netdev_get_name(netdev), type->name);
    }
    return error;
}

/* 'push_header': pushes the header in 'data' on one 'packet', for callers
 * other than the datapath's batch action.  The caller keeps ownership of
 * 'packet' and sets its metadata. */
void
gre_provider_push_header(const struct netdev *netdev,
                         struct dp_packet *packet,
                         const struct ovs_action_push_tnl *data)
{
    gre_dp_push_one(gre_vport_type(netdev), packet, data);
}

/* 'pop_header' of each type: pops one 'packet' as the batch pop of that
 * type's datapath port does.  Returns the packet, or NULL after deleting
 * it. */

struct dp_packet *
gre_provider_pop_gre(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_GRE], packet);
}

struct dp_packet *
gre_provider_pop_erspan(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_ERSPAN], packet);
}

struct dp_packet *
gre_provider_pop_ip6gre(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_IP6GRE], packet);
}

struct dp_packet *
gre_provider_pop_ip6erspan(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_IP6ERSPAN], packet);
}

/* Statistics. */

/* 'get_stats': the packet and byte counters that ofproto keeps for the
 * port, the same ones OVS 3.1 reports, and ovs-gre's drops: rx_errors,
 * rx_crc_errors, rx_dropped and tx_dropped.  Each drop counter is set only
 * once it has counted something, because OVS 3.1 reports none of them
 * for tunnels and tools show a counter that is set as supported. */
int
gre_provider_get_stats(const struct netdev *netdev,
                       struct netdev_stats *stats)
{
    struct gre_port *port = gre_vport_port(netdev);
    struct gre_stats_snapshot snap;
    uint64_t n;

    gre_vport_get_stats(netdev, stats);
    if (!port) {
        return 0;
    }
    gre_stats_read(&port->stats, &snap);
    n = gre_stats_count_kind(&snap, GRE_RX_ERROR);
    if (n) {
        stats->rx_errors = n;
    }
    if (snap.drops[GRE_DROP_GRE_CSUM]) {
        stats->rx_crc_errors = snap.drops[GRE_DROP_GRE_CSUM];
    }
    n = gre_stats_count_kind(&snap, GRE_RX_DROPPED);
    if (n) {
        stats->rx_dropped = n;
    }
    n = gre_stats_count_kind(&snap, GRE_TX_DROPPED);
    if (n) {
        stats->tx_dropped = n;
    }
    return 0;
}

/* 'get_custom_stats': one counter per drop reason that has counted
 * something on this port, named as in 'gre/show'. */
int
gre_provider_get_custom_stats(const struct netdev *netdev,
                              struct netdev_custom_stats *custom)
{
    struct gre_port *port = gre_vport_port(netdev);
    struct gre_stats_snapshot snap;

    custom->size = 0;
    custom->counters = NULL;
    if (!port) {
        return 0;
    }
    gre_stats_read(&port->stats, &snap);
    custom->counters = xcalloc(GRE_N_DROPS + GRE_N_EVENTS,
                               sizeof *custom->counters);
    for (int i = 0; i < GRE_N_DROPS; i++) {
        if (snap.drops[i]) {
            struct netdev_custom_counter *c;

            c = &custom->counters[custom->size++];
            ovs_strlcpy(c->name, gre_drop_name(i), sizeof c->name);
            c->value = snap.drops[i];
        }
    }
    /* The keepalive counts, once keepalives are configured. */
    for (int i = GRE_EVENT_KEEPALIVE_SENT;
         gre_port_keepalive(port) && i <= GRE_EVENT_KEEPALIVE_UNSENT; i++) {
        struct netdev_custom_counter *c = &custom->counters[custom->size++];

        ovs_strlcpy(c->name, gre_event_name(i), sizeof c->name);
        c->value = snap.events[i];
    }
    return 0;
}

/* Keepalives: state. */

/* 'get_carrier': a port with keepalives is up while its peer answers
 * them (gre-keepalive.h); every other port is always up, as OVS's tunnels
 * are.  The bridge reports it in Interface.link_state and ofproto as the
 * OpenFlow port's OFPPS_LINK_DOWN, which fast-failover groups and bonds
 * follow. */
int
gre_provider_get_carrier(const struct netdev *netdev, bool *carrier)
{
    struct gre_port *port = gre_vport_port(netdev);
    struct gre_keepalive *ka = port ? gre_port_keepalive(port) : NULL;
    struct gre_keepalive_status ks;

    *carrier = true;
    if (ka) {
        gre_keepalive_status(ka, &ks);
        *carrier = ks.up;
    }
    return 0;
}

/* 'get_status': OVS's tunnel status (gre_vport_get_status()) and, for a
 * port that has had keepalives, their state: keepalive_state (up, down or
 * disabled) and, once it has changed, keepalive_last_change (UTC).  The
 * keepalive counts are in the Interface's statistics. */
int
gre_provider_get_status(const struct netdev *netdev, struct smap *status)
{
    struct gre_port *port = gre_vport_port(netdev);
    struct gre_keepalive *ka = port ? gre_port_keepalive(port) : NULL;
    struct gre_keepalive_status ks;

    gre_vport_get_status(netdev, status);
    if (ka) {
        gre_keepalive_status(ka, &ks);
        smap_add(status, "keepalive_state",
                 !ks.enabled ? "disabled" : ks.up ? "up" : "down");
        if (ks.changed_wall) {
            char *when = xastrftime_msec("%Y-%m-%dT%H:%M:%S.###Z",
                                         ks.changed_wall, true);

            smap_add(status, "keepalive_last_change", when);
            free(when);
        }
    }
    return 0;
}

/* Lifetime. */

/* 'destruct': releases ovs-gre's port, then what OVS's construction of the
 * vport set up. */
void
gre_provider_destruct(struct netdev *netdev)
{
    gre_port_destroy(gre_vport_port(netdev));
    gre_vport_set_port(netdev, NULL);
    gre_vport_destruct(netdev);
}

/* The main loop. */

/* Returns the userspace datapath that has a port named 'dpif_port',
 * opened for the caller to close, or NULL.  If '*port_no' is not
 * ODPP_NONE, the port must have that number; otherwise its number is
 * stored there.  Every userspace datapath type ("netdev", and "dummy" in
 * tests) is searched; the kernel's is not, since its ports are not
 * ovs-gre's. */
static struct dpif *
open_dpif_with_port(const char *dpif_port, odp_port_t *port_no)
{
    struct sset types = SSET_INITIALIZER(&types);
    struct dpif *found = NULL;
    const char *type;

    dp_enumerate_types(&types);
    SSET_FOR_EACH (type, &types) {
        struct sset names = SSET_INITIALIZER(&names);
        const char *name;

        if (!strcmp(type, "system") || dp_enumerate_names(type, &names)) {
            sset_destroy(&names);
            continue;
        }
        SSET_FOR_EACH (name, &names) {
            struct dpif_port dport;
            struct dpif *dpif;

            if (dpif_open(name, type, &dpif)) {
                continue;
            }
            if (!dpif_port_query_by_name(dpif, dpif_port, &dport)) {
                bool match = (*port_no == ODPP_NONE
                              || dport.port_no == *port_no);

                *port_no = dport.port_no;
                dpif_port_destroy(&dport);
                if (match) {
                    found = dpif;
                    break;
                }
            }
            dpif_close(dpif);
        }
        sset_destroy(&names);
        if (found) {
            break;
        }
    }
    sset_destroy(&types);
    return found;
}

/* Sending into the underlay. */

/* Runs 'packet' through 'dpif' from the input port in its metadata, as a
 * packet that port just received: recirculation with ID 0 is what a
 * datapath port's input, and the tnl_pop action with a packet it has
 * decapsulated, do.  Returns 0 or a positive errno. */
static int
execute_as_received(struct dpif *dpif, struct dp_packet *packet)
{
    uint64_t stub[64 / 8];
    struct dpif_execute execute;
    struct ofpbuf actions;
    struct flow flow;
    int error;

    ofpbuf_use_stub(&actions, stub, sizeof stub);
    nl_msg_put_u32(&actions, OVS_ACTION_ATTR_RECIRC, 0);
    flow_extract(packet, &flow);
    memset(&execute, 0, sizeof execute);
    execute.actions = actions.data;
    execute.actions_len = actions.size;
    execute.flow = &flow;
    execute.packet = packet;
    error = dpif_execute(dpif, &execute);
    ofpbuf_uninit(&actions);
    return error;
}

/* Runs 'packet', an Ethernet frame, through the datapath as if the host
 * had sent it out of 'dev', the internal interface of an underlay bridge:
 * that bridge's flows take it where its other traffic goes, as they take
 * the packets that OVS's own tunnels send.  Deletes 'packet'.  Returns 0
 * or a positive errno. */
static int
send_from_host(struct dp_packet *packet, const char *dev)
{
    odp_port_t port_no = ODPP_NONE;
    struct dpif *dpif;
    int error;

    dpif = open_dpif_with_port(dev, &port_no);
    if (!dpif) {
        dp_packet_delete(packet);
        return ENODEV;
    }
    pkt_metadata_init(&packet->md, port_no);
    error = execute_as_received(dpif, packet);
    dpif_close(dpif);
    dp_packet_delete(packet);
    return error;
}

/* How to reach 'dst' with mark 'mark' through the underlay: the internal
 * interface the route leaves by, our address on that route, and the MAC
 * addresses of the interface and of the next hop. */
struct underlay_hop {
    char dev[IFNAMSIZ];
    struct in6_addr src;
    struct in6_addr next_hop;
    struct eth_addr smac;
    struct eth_addr dmac;
};

/* Looks up the route to 'dst' and its next hop's MAC address.  Returns 0
 * with '*hop' filled; ENOENT if there is no route (or its interface has no
 * MAC address); EAGAIN if the next hop's address is not known yet, after
 * sending an ARP request or neighbour solicitation for it. */
static int
underlay_resolve(const struct in6_addr *dst, uint32_t mark,
                 struct underlay_hop *hop)
{
    struct netdev *netdev;
    struct in6_addr gw;
    struct dp_packet *request;
    int error;

    memset(hop, 0, sizeof *hop);
    if (!ovs_router_lookup(mark, dst, hop->dev, &hop->src, &gw)) {
        return ENOENT;
    }
    hop->next_hop = ipv6_addr_is_set(&gw) ? gw : *dst;
    if (netdev_open(hop->dev, NULL, &netdev)) {
        return ENOENT;
    }
    error = netdev_get_etheraddr(netdev, &hop->smac);
    netdev_close(netdev);
    if (error) {
        return ENOENT;
    }
    if (!tnl_neigh_lookup(hop->dev, &hop->next_hop, &hop->dmac)) {
        return 0;
    }

    /* As OVS's tunnels do, ask for it; the reply is snooped. */
    request = dp_packet_new(0);
    if (IN6_IS_ADDR_V4MAPPED(&hop->next_hop)) {
        compose_arp(request, ARP_OP_REQUEST, hop->smac, eth_addr_zero, true,
                    in6_addr_get_mapped_ipv4(&hop->src),
                    in6_addr_get_mapped_ipv4(&hop->next_hop));
    } else {
        compose_nd_ns(request, hop->smac, &hop->src, &hop->next_hop);
    }
    send_from_host(request, hop->dev);
    return EAGAIN;
}

/* Keepalives: sending. */

/* Sends 'port''s keepalive number 'counter' at time 'now'. */
static void
send_keepalive(struct gre_port *port, uint64_t counter, long long int now)
{
    const struct gre_options *opts = gre_port_options(port);
    struct gre_keepalive *ka = gre_port_keepalive(port);
    bool ipv6 = !IN6_IS_ADDR_V4MAPPED(&opts->remote_ip);
    struct netdev_tnl_build_header_params params;
    struct gre_keepalive_ends ends;
    struct ovs_action_push_tnl data;
    struct underlay_hop hop;
    struct dp_packet *packet;
    struct flow flow;
    size_t len;
    int error;

    error = underlay_resolve(&opts->remote_ip, opts->egress_pkt_mark, &hop);
    if (error) {
        gre_stats_add(&port->stats.events[GRE_EVENT_KEEPALIVE_UNSENT], 1);
        return;
    }

    memset(&ends, 0, sizeof ends);
    ends.local = (ipv6_addr_is_set(&opts->local_ip)
                  ? opts->local_ip : hop.src);
    ends.remote = opts->remote_ip;
    ends.has_key = opts->in_key.present;
    ends.key = be64_to_be32(opts->in_key.value);

    len = gre_keepalive_answer_len(ipv6, opts);
    packet = dp_packet_new_with_headroom(len, 128);
    gre_keepalive_put_answer(ka, opts, &ends, counter, now,
                             dp_packet_put_uninit(packet, len));
    packet->packet_type = htonl(ipv6 ? PT_IPV6 : PT_IPV4);

    /* The outer header, as ofproto's tunnel code would ask for one, but
     * for an IP payload whatever the port's packet_type. */
    memset(&flow, 0, sizeof flow);
    flow.packet_type = packet->packet_type;
    if (ipv6) {
        flow.tunnel.ipv6_dst = opts->remote_ip;
    } else {
        flow.tunnel.ip_dst = in6_addr_get_mapped_ipv4(&opts->remote_ip);
    }
    flow.tunnel.ip_ttl = opts->ttl_inherit ? 255 : opts->ttl;
    flow.tunnel.ip_tos = opts->tos_inherit ? 0 : opts->tos;
    flow.tunnel.tun_id = opts->out_key.value;
    flow.tunnel.flags = ((opts->df_default ? FLOW_TNL_F_DONT_FRAGMENT : 0)
                         | (opts->csum ? FLOW_TNL_F_CSUM : 0)
                         | (opts->out_key.present ? FLOW_TNL_F_KEY : 0));
    memset(&params, 0, sizeof params);
    params.flow = &flow;
    params.s_ip = &ends.local;
    params.dmac = hop.dmac;
    params.smac = hop.smac;
    params.is_ipv6 = ipv6;
    memset(&data, 0, sizeof data);
    if (gre_build_header(port->type->kind, opts, &data, &params)) {
        dp_packet_delete(packet);
        gre_stats_add(&port->stats.events[GRE_EVENT_KEEPALIVE_UNSENT], 1);
        return;
    }
    gre_dp_push_one(port->type, packet, &data);
    if (send_from_host(packet, hop.dev)) {
        gre_stats_add(&port->stats.events[GRE_EVENT_KEEPALIVE_UNSENT], 1);
    } else {
        gre_stats_add(&port->stats.events[GRE_EVENT_KEEPALIVE_SENT], 1);
    }
}

/* Sends 'packet', a peer's keepalive answer that a port sent back
 * (gre-ka.h), to the peer through the underlay.  Deletes it. */
static void
send_reflection(struct dp_packet *packet)
{
    bool ipv6 = packet->packet_type == htonl(PT_IPV6);
    const uint8_t *l3 = dp_packet_data(packet);
    struct underlay_hop hop;
    struct eth_header *eth;
    struct in6_addr src, dst;

    if (ipv6) {
        const struct ovs_16aligned_ip6_hdr *ip6
            = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, l3);

        memcpy(&src, &ip6->ip6_src, sizeof src);
        memcpy(&dst, &ip6->ip6_dst, sizeof dst);
    } else {
        const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *,
                                                  l3);

        in6_addr_set_mapped_ipv4(&src, get_16aligned_be32(&ip->ip_src));
        in6_addr_set_mapped_ipv4(&dst, get_16aligned_be32(&ip->ip_dst));
    }
    if (underlay_resolve(&dst, packet->md.pkt_mark, &hop)) {
        /* The answer goes from our endpoint to the peer. */
        struct gre_port *port = gre_port_lookup_endpoints(GRE_KIND_GRE, ipv6,
                                                          &src, &dst);

        if (port) {
            gre_stats_add(&port->stats.events[GRE_EVENT_KEEPALIVE_UNSENT],
                          1);
        }
        dp_packet_delete(packet);
        return;
    }
    eth = dp_packet_push_uninit(packet, ETH_HEADER_LEN);
    eth->eth_dst = hop.dmac;
    eth->eth_src = hop.smac;
    eth->eth_type = htons(ipv6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP);
    packet->packet_type = htonl(PT_ETH);
    send_from_host(packet, hop.dev);
}

/* What gre_ka_seqno() said before the main loop last looked. */
static uint64_t keepalive_seqno;

/* Sends the keepalives that are due and the peers' keepalives waiting to
 * go back, and tells OVS of the tunnels whose state changed.  Returns
 * when keepalives next need the main loop. */
static long long int
run_keepalives(void)
{
    long long int now = time_msec(), wake = LLONG_MAX;
    struct gre_port **ports;
    struct dp_packet *packet;
    size_t n;

    keepalive_seqno = gre_ka_seqno();
    while ((packet = gre_ka_next_reflection())) {
        send_reflection(packet);
    }

    ports = gre_port_with_keepalives(&n);
    for (size_t i = 0; i < n; i++) {
        struct gre_port *port = ports[i];
        struct gre_keepalive *ka = gre_port_keepalive(port);
        bool up, reconfigured;
        uint64_t counter;

        if (gre_keepalive_due(ka, now, &counter)) {
            send_keepalive(port, counter, now);
        }
        if (gre_keepalive_take_change(ka, &up, &reconfigured)) {
            struct gre_keepalive_status ks;

            gre_keepalive_status(ka, &ks);
            if (reconfigured) {
                VLOG_INFO("%s: keepalive: tunnel up (reconfigured)",
                          port->name);
            } else if (up) {
                VLOG_INFO("%s: keepalive: tunnel up (the peer answers)",
                          port->name);
            } else {
                VLOG_WARN("%s: keepalive: tunnel down (no reply for %d "
                          "periods of %d s)", port->name, ks.retries,
                          ks.period);
            }
            if (port->netdev) {
                netdev_change_seq_changed(port->netdev);
            }
        }
        wake = MIN(wake, gre_keepalive_next_wake(ka));
    }
    free(ports);
    return wake;
}

/* When keepalives next need the main loop. */
static long long int keepalive_wake = LLONG_MAX;

/* Runs 'icmp', an ICMP error the push made, through the datapath from the
 * tunnel's datapath port in its metadata, as if that port had just
 * decapsulated it: the bridge's flows for the tunnel port carry it to the
 * sender. */
static void
inject_icmp(struct dp_packet *icmp)
{
    odp_port_t port_no = icmp->md.in_port.odp_port;
    struct dpif *dpif = NULL;
    int error;

    for (int i = 0; i < GRE_N_TYPES && !dpif; i++) {
        odp_port_t n = port_no;

        dpif = open_dpif_with_port(gre_types[i].dpif_port, &n);
    }
    if (!dpif) {
        VLOG_WARN_RL(&rl, "no datapath has port %"PRIu32" for an ICMP "
                     "error: dropped", odp_to_u32(port_no));
        return;
    }
    error = execute_as_received(dpif, icmp);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: cannot send an ICMP error into the bridge "
                     "(%s)", dpif_name(dpif), ovs_strerror(error));
    }
    dpif_close(dpif);
}

/* 'run': sends into the bridges the ICMP errors that the datapath threads
 * queued for packets too big for their tunnels (gre-pmtud.h), drops the
 * fragmented datagrams whose reassembly timed out (gre-reasm.h), and
 * sends keepalives and peers' keepalives (gre-keepalive.h).  OVS
 * calls it for each of ovs-gre's classes from the main loop; the first
 * call does the work. */
void
gre_provider_run(const struct netdev_class *class OVS_UNUSED)
{
    struct dp_packet *icmp;

    while ((icmp = gre_pmtud_next_icmp())) {
        inject_icmp(icmp);
        dp_packet_delete(icmp);
    }
    gre_reasm_expire(time_msec());
    keepalive_wake = run_keepalives();
}

/* 'wait': wakes the main loop when an ICMP error or a peer's keepalive is
 * queued, when a keepalive is due or a reply brought a tunnel up, and once
 * a second while datagrams wait for fragments. */
void
gre_provider_wait(const struct netdev_class *class OVS_UNUSED)
{
    struct gre_reasm_usage u;

    gre_pmtud_wait();
    gre_ka_wait(keepalive_seqno);
    if (keepalive_wake != LLONG_MAX) {
        poll_timer_wait_until(keepalive_wake);
    }
    gre_reasm_usage(&u);
    if (u.n_dgrams) {
        poll_timer_wait(1000);
    }
}
