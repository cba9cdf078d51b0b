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
#include <string.h>

#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "gre-dp.h"
#include "gre-header.h"
#include "gre-options.h"
#include "gre-pmtud.h"
#include "gre-port.h"
#include "gre-reasm.h"
#include "gre-stats.h"
#include "gre-type.h"
#include "gre-vport.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
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
    custom->counters = xcalloc(GRE_N_DROPS, sizeof *custom->counters);
    for (int i = 0; i < GRE_N_DROPS; i++) {
        if (snap.drops[i]) {
            struct netdev_custom_counter *c;

            c = &custom->counters[custom->size++];
            ovs_strlcpy(c->name, gre_drop_name(i), sizeof c->name);
            c->value = snap.drops[i];
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

/* Returns the userspace datapath that has datapath port 'port_no' named
 * 'dpif_port', opened for the caller to close, or NULL.  Every userspace
 * datapath type ("netdev", and "dummy" in tests) is searched; the kernel's
 * is not, since its ports are not ovs-gre's. */
static struct dpif *
open_dpif_with_port(const char *dpif_port, odp_port_t port_no)
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
                bool match = dport.port_no == port_no;

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

/* Runs 'icmp', an ICMP error the push made, through the datapath from the
 * tunnel's datapath port in its metadata, as if that port had just
 * decapsulated it: the bridge's flows for the tunnel port carry it to the
 * sender. */
static void
inject_icmp(struct dp_packet *icmp)
{
    odp_port_t port_no = icmp->md.in_port.odp_port;
    uint64_t stub[64 / 8];
    struct dpif_execute execute;
    struct ofpbuf actions;
    struct dpif *dpif = NULL;
    struct flow flow;
    int error;

    for (int i = 0; i < GRE_N_TYPES && !dpif; i++) {
        dpif = open_dpif_with_port(gre_types[i].dpif_port, port_no);
    }
    if (!dpif) {
        VLOG_WARN_RL(&rl, "no datapath has port %"PRIu32" for an ICMP "
                     "error: dropped", odp_to_u32(port_no));
        return;
    }

    /* Recirculation with ID 0 is what the tnl_pop action does with a
     * packet it has decapsulated. */
    ofpbuf_use_stub(&actions, stub, sizeof stub);
    nl_msg_put_u32(&actions, OVS_ACTION_ATTR_RECIRC, 0);
    flow_extract(icmp, &flow);
    memset(&execute, 0, sizeof execute);
    execute.actions = actions.data;
    execute.actions_len = actions.size;
    execute.flow = &flow;
    execute.packet = icmp;
    error = dpif_execute(dpif, &execute);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: cannot send an ICMP error into the bridge "
                     "(%s)", dpif_name(dpif), ovs_strerror(error));
    }
    ofpbuf_uninit(&actions);
    dpif_close(dpif);
}

/* 'run': sends into the bridges the ICMP errors that the datapath threads
 * queued for packets too big for their tunnels (gre-pmtud.h), and drops
 * the fragmented datagrams whose reassembly timed out (gre-reasm.h).  OVS
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
}

/* 'wait': wakes the main loop when an ICMP error is queued, and once a
 * second while datagrams wait for fragments. */
void
gre_provider_wait(const struct netdev_class *class OVS_UNUSED)
{
    struct gre_reasm_usage u;

    gre_pmtud_wait();
    gre_reasm_usage(&u);
    if (u.n_dgrams) {
        poll_timer_wait(1000);
    }
}
