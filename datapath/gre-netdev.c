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

#include "gre-netdev.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <string.h>

#include "dp-packet.h"
#include "gre-header.h"
#include "gre-options.h"
#include "gre-port.h"
#include "gre-stats.h"
#include "gre-type.h"
#include "gre-wire.h"
#include "netdev-provider.h"
#include "odp-netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovs-glue.h"
#include "packets.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_netdev);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Sequence numbers of packets whose sending port is not in the table (a
 * datapath flow that outlived its port), per type. */
static atomic_uint32_t orphan_tx_seq[GRE_N_TYPES];

/* Returns the port type of 'netdev'. */
static const struct gre_type *
netdev_gre_type(const struct netdev *netdev)
{
    return glue_class_type(netdev_get_class(netdev));
}

/* Configuration. */

/* netdev_class 'set_config': validates all of 'args' and, only if all of
 * it is valid, applies it.
 *
 * A port that was never configured has nothing to fall back on: on error
 * returns EINVAL and stores the reason in '*errp', and the bridge does not
 * create the port.  A port that has a good configuration keeps it: the
 * reason is logged and kept for gre_netdev_config_error(), which puts it
 * in the Interface's 'error' column, and 0 is returned so that the bridge
 * does not delete the port (OVS 3.1 deletes a port whose reconfiguration
 * fails). */
static int
gre_set_config(struct netdev *netdev, const struct smap *args, char **errp)
{
    struct gre_netdev *dev = glue_gre_netdev(netdev);
    const char *name = netdev_get_name(netdev);
    struct gre_options opts;
    char *error = NULL;

    if (gre_options_parse(netdev_gre_type(netdev), name, args, &opts,
                          &error)) {
        VLOG_WARN("%s", error);
        if (!dev->port) {
            *errp = error;
            return EINVAL;
        }
        free(dev->config_error);
        dev->config_error = error;
        netdev_change_seq_changed(netdev);
        return 0;
    }

    /* Commit. */
    if (dev->config_error) {
        free(dev->config_error);
        dev->config_error = NULL;
        netdev_change_seq_changed(netdev);
    }
    if (!dev->port) {
        dev->port = gre_port_create(name, netdev_gre_type(netdev));
    }
    gre_port_configure(dev->port, &opts);
    glue_set_tnl_cfg(netdev, &opts.tnl);
    return 0;
}

/* Returns why the last configuration of 'netdev' was refused, if its
 * previous configuration is still in force, otherwise NULL. */
const char *
gre_netdev_config_error(const struct netdev *netdev)
{
    return glue_gre_netdev(netdev)->config_error;
}

/* netdev_class 'get_config': reports the configuration in effect, as OVS
 * 3.1 does (defaults left out). */
static int
gre_get_config(const struct netdev *netdev, struct smap *args)
{
    struct gre_netdev *dev = glue_gre_netdev(netdev);
    struct gre_options opts;

    if (dev->port) {
        opts = dev->port->opts;
    } else {
        gre_options_default(&opts);
    }
    gre_options_format(netdev_gre_type(netdev), &opts, args);
    return 0;
}

/* Transmit. */

/* netdev_class 'build_header': builds the outer header for a datapath flow
 * that sends through 'netdev'.  Runs in handler and revalidator threads.
 * Returns 0 or a positive errno (the flow then is not installed with a
 * tunnel push). */
static int
gre_build_header_cb(const struct netdev *netdev,
                    struct ovs_action_push_tnl *data,
                    const struct netdev_tnl_build_header_params *params)
{
    const struct gre_type *type = netdev_gre_type(netdev);
    struct netdev_tunnel_config tnl;
    int error;

    glue_get_tnl_cfg(netdev, &tnl);
    error = gre_build_header(type->kind, &tnl, data, params);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: cannot build a %s header for this flow",
                     netdev_get_name(netdev), type->name);
    }
    return error;
}

/* Fills 'k' with the endpoints and key of the header template in 'data',
 * laid out as 'plan' says. */
static void
template_key(const struct ovs_action_push_tnl *data,
             const struct gre_push_plan *plan, enum gre_kind kind,
             struct gre_port_key *k)
{
    const uint8_t *h = (const uint8_t *) data->header;

    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->ipv6 = plan->ipv6;
    if (plan->ipv6) {
        const struct ovs_16aligned_ip6_hdr *ip6 =
            ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *,
                         h + plan->ip_ofs);

        memcpy(&k->local, &ip6->ip6_src, sizeof k->local);
        memcpy(&k->remote, &ip6->ip6_dst, sizeof k->remote);
    } else {
        const struct ip_header *ip =
            ALIGNED_CAST(const struct ip_header *, h + plan->ip_ofs);

        in6_addr_set_mapped_ipv4(&k->local, get_16aligned_be32(&ip->ip_src));
        in6_addr_set_mapped_ipv4(&k->remote,
                                 get_16aligned_be32(&ip->ip_dst));
    }

    if (kind == GRE_KIND_ERSPAN) {
        size_t ers_ofs = plan->gre_ofs + gre_calc_hlen(plan->gre_flags);

        k->has_key = true;
        k->key = htonl(erspan_word_get(h + ers_ofs, 0) & ERSPAN_SID_BITS);
    } else if (plan->gre_flags & GRE_KEY) {
        size_t key_ofs = plan->gre_ofs + gre_key_offset(plan->gre_flags);

        k->has_key = true;
        k->key = get_16aligned_be32(ALIGNED_CAST(const ovs_16aligned_be32 *,
                                                 h + key_ofs));
    }
}

static bool
has_offload_flags(const struct dp_packet *packet)
{
    return dp_packet_hwol_is_tso(packet) || dp_packet_hwol_l4_mask(packet);
}

/* Reads the header template in 'data' into 'plan' and finds what sends it:
 * the counters to add to and the sequence number to draw from.  Returns
 * the port, or NULL (the counters and sequence are then per type). */
static struct gre_port *
prepare_push(const struct gre_type *type,
             const struct ovs_action_push_tnl *data,
             struct gre_push_plan *plan, struct gre_stats **stats,
             atomic_uint32_t **seqp)
{
    struct gre_port_key key;
    struct gre_port *port;

    gre_push_plan_init(plan, data);
    template_key(data, plan, type->kind, &key);
    port = gre_port_lookup_tx(&key);
    *stats = port ? &port->stats : gre_type_stats(type);
    *seqp = port ? &port->tx_seq : &orphan_tx_seq[type->index];
    return port;
}

/* Reserves 'n' consecutive sequence numbers from '*seqp' if 'plan' sends
 * sequence numbers, and returns the first. */
static uint32_t
reserve_seq(const struct gre_push_plan *plan, atomic_uint32_t *seqp,
            uint32_t n)
{
    uint32_t first = 0;

    if (plan->seq_ofs && n) {
        atomic_add_relaxed(seqp, n, &first);
    }
    return first;
}

/* Runs the datapath's tnl_push action on 'batch': pushes the header in
 * 'data' on every packet, which keeps its place in the batch, and points
 * its metadata at 'data->out_port'.  A packet the push cannot honour is
 * deleted and counted.  Called through the interposed netdev_push_header()
 * with 'netdev' the shared datapath port of its type. */
void
gre_netdev_push_batch(const struct netdev *netdev,
                      struct dp_packet_batch *batch,
                      const struct ovs_action_push_tnl *data)
{
    const struct gre_type *type = netdev_gre_type(netdev);
    size_t i, size = dp_packet_batch_size(batch);
    struct gre_push_plan plan;
    struct gre_port *port;
    struct gre_stats *stats;
    atomic_uint32_t *seqp;
    struct dp_packet *packet;
    uint32_t seq, n_ok = 0;
    uint64_t bytes = 0;
    ovs_be32 ts;

    port = prepare_push(type, data, &plan, &stats, &seqp);
    DP_PACKET_BATCH_FOR_EACH (j, packet, batch) {
        n_ok += !has_offload_flags(packet);
    }
    seq = reserve_seq(&plan, seqp, n_ok);
    ts = plan.ts_ofs ? gre_erspan_timestamp() : 0;

    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        if (OVS_UNLIKELY(has_offload_flags(packet))) {
            gre_stats_add(&stats->drops[GRE_DROP_TX_OFFLOAD], 1);
            VLOG_WARN_RL(&rl, "%s: Tunneling packets with HW offload flags "
                         "is not supported: packet dropped",
                         netdev_get_name(netdev));
            dp_packet_delete(packet);
            continue;
        }
        bytes += dp_packet_size(packet);
        gre_push_header(packet, data, &plan, seq++, ts);
        pkt_metadata_init(&packet->md, data->out_port);
        dp_packet_batch_refill(batch, packet, i);
    }

    if (n_ok && port) {
        gre_stats_add(&stats->tx_packets, n_ok);
        gre_stats_add(&stats->tx_bytes, bytes);
    }
}

/* netdev_class 'push_header': pushes the header in 'data' on one 'packet',
 * for callers other than the datapath's batch entry point.  The caller
 * keeps ownership of 'packet' and sets its metadata. */
static void
gre_push_header_cb(const struct netdev *netdev, struct dp_packet *packet,
                   const struct ovs_action_push_tnl *data)
{
    const struct gre_type *type = netdev_gre_type(netdev);
    struct gre_push_plan plan;
    struct gre_port *port;
    struct gre_stats *stats;
    atomic_uint32_t *seqp;
    uint64_t bytes = dp_packet_size(packet);

    port = prepare_push(type, data, &plan, &stats, &seqp);
    gre_push_header(packet, data, &plan, reserve_seq(&plan, seqp, 1),
                    plan.ts_ofs ? gre_erspan_timestamp() : 0);
    if (port) {
        gre_stats_add(&stats->tx_packets, 1);
        gre_stats_add(&stats->tx_bytes, bytes);
    }
}

/* Receive. */

/* Adds 'n' packets of 'bytes' to 'port''s receive counters. */
static void
count_rx(struct gre_port *port, uint32_t n, uint64_t bytes)
{
    if (port && n) {
        gre_stats_add(&port->stats.rx_packets, n);
        gre_stats_add(&port->stats.rx_bytes, bytes);
    }
}

/* Fills 'k' with what the port table matches of a received packet. */
static void
rx_key(const struct gre_rx_info *info, struct gre_port_key *k)
{
    k->kind = info->kind;
    k->ipv6 = info->ipv6;
    k->local = info->dst;
    k->remote = info->src;
    k->has_key = info->has_key;
    k->key = info->key;
    k->is_eth = info->packet_type == htonl(PT_ETH);
}

/* Returns why 'port', whose receive checks are 'policy', refuses the packet
 * described by 'info' (a missing checksum or sequence number, or one
 * behind), or GRE_N_DROPS if it accepts it. */
static enum gre_drop
rx_check(struct gre_port *port, const struct gre_port_policy *policy,
         const struct gre_rx_info *info)
{
    if (policy->in_csum && !info->has_csum) {
        return GRE_DROP_GRE_CSUM_MISSING;
    }
    if (policy->in_seq) {
        if (!info->has_seq) {
            return GRE_DROP_SEQ_MISSING;
        }
        if (!gre_port_seq_accept(port, info->seq)) {
            return GRE_DROP_SEQ_OLD;
        }
    }
    return GRE_N_DROPS;
}

/* Deletes 'packet' and counts it as dropped for 'reason' on 'port', or on
 * the datapath port of 'type' if 'port' is NULL.  Returns NULL. */
static struct dp_packet *
drop_rx(const struct gre_type *type, struct gre_port *port,
        enum gre_drop reason, struct dp_packet *packet)
{
    struct gre_stats *stats = port ? &port->stats : gre_type_stats(type);

    gre_stats_add(&stats->drops[reason], 1);
    dp_packet_delete(packet);
    return NULL;
}

/* Pops the tunnel headers of one 'packet' received on the shared port of
 * 'type'.  Returns the decapsulated packet and stores its port in
 * '*portp', or deletes the packet, counts why and returns NULL.
 *
 * A packet is kept only if it is well formed, a configured port receives
 * it (by kind, endpoints and key) and that port's checks (payload type,
 * required checksum, sequence numbers) pass. */
static struct dp_packet *
pop_one(const struct gre_type *type, struct dp_packet *packet,
        struct gre_port **portp)
{
    struct pkt_metadata *md = &packet->md;
    struct gre_port_policy policy;
    struct gre_rx_info info;
    struct gre_port_key key;
    struct gre_port *port;
    enum gre_drop reason;
    bool pt_mismatch;
    int hlen;

    *portp = NULL;
    pkt_metadata_init_tnl(md);
    hlen = gre_parse_packet(packet, &md->tunnel, &info);
    if (OVS_UNLIKELY(hlen < 0)) {
        port = NULL;
        if (info.attributable) {
            rx_key(&info, &key);
            port = gre_port_lookup_rx(&key, &policy, &pt_mismatch);
        }
        return drop_rx(type, port, info.drop, packet);
    }

    rx_key(&info, &key);
    port = gre_port_lookup_rx(&key, &policy, &pt_mismatch);
    if (OVS_UNLIKELY(!port)) {
        return drop_rx(type, NULL, GRE_DROP_NO_TUNNEL, packet);
    }
    if (OVS_UNLIKELY(pt_mismatch)) {
        return drop_rx(type, port, GRE_DROP_GRE_PROTO, packet);
    }
    reason = rx_check(port, &policy, &info);
    if (OVS_UNLIKELY(reason != GRE_N_DROPS)) {
        return drop_rx(type, port, reason, packet);
    }
    if (OVS_UNLIKELY(port->type != type)) {
        /* See "Cross-type delivery" in gre-netdev.h. */
        md->tunnel.tp_dst = gre_xtype_mark(port->type);
    }

    *portp = port;
    dp_packet_reset_packet(packet, hlen);
    packet->packet_type = info.packet_type;
    return packet;
}

/* Runs the datapath's tnl_pop action on 'batch', received on the shared
 * datapath port of 'type': decapsulates every packet in place and drops
 * (deleting and counting) every packet that is malformed, that no port
 * receives or that its port refuses. */
void
gre_netdev_pop_type_batch(const struct gre_type *type,
                          struct dp_packet_batch *batch)
{
    size_t i, size = dp_packet_batch_size(batch);
    struct gre_port *run_port = NULL;
    struct dp_packet *packet;
    uint64_t run_bytes = 0;
    uint32_t run_n = 0;

    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        struct gre_port *port;

        packet = pop_one(type, packet, &port);
        if (!packet) {
            continue;
        }
        /* Counters are added once per run of packets of one port. */
        if (port != run_port) {
            count_rx(run_port, run_n, run_bytes);
            run_port = port;
            run_n = 0;
            run_bytes = 0;
        }
        run_n++;
        run_bytes += dp_packet_size(packet);

        dp_packet_reset_offload(packet);
        pkt_metadata_init_conn(&packet->md);
        dp_packet_batch_refill(batch, packet, i);
    }
    count_rx(run_port, run_n, run_bytes);
}

/* Runs the datapath's tnl_pop action on 'batch', received on 'netdev', the
 * shared datapath port of its type (see gre_netdev_pop_type_batch()).
 * Called through the interposed netdev_pop_header(). */
void
gre_netdev_pop_batch(struct netdev *netdev, struct dp_packet_batch *batch)
{
    gre_netdev_pop_type_batch(netdev_gre_type(netdev), batch);
}

/* netdev_class 'pop_header' of each type: the same as
 * gre_netdev_pop_batch() for one packet.  Returns the packet, or NULL
 * after deleting it. */
static struct dp_packet *
pop_header_one(const struct gre_type *type, struct dp_packet *packet)
{
    struct gre_port *port;

    packet = pop_one(type, packet, &port);
    if (packet) {
        count_rx(port, 1, dp_packet_size(packet));
    }
    return packet;
}

static struct dp_packet *
gre_pop_header_gre(struct dp_packet *packet)
{
    return pop_header_one(&gre_types[GRE_TYPE_GRE], packet);
}

static struct dp_packet *
gre_pop_header_erspan(struct dp_packet *packet)
{
    return pop_header_one(&gre_types[GRE_TYPE_ERSPAN], packet);
}

static struct dp_packet *
gre_pop_header_ip6gre(struct dp_packet *packet)
{
    return pop_header_one(&gre_types[GRE_TYPE_IP6GRE], packet);
}

static struct dp_packet *
gre_pop_header_ip6erspan(struct dp_packet *packet)
{
    return pop_header_one(&gre_types[GRE_TYPE_IP6ERSPAN], packet);
}

static struct dp_packet *(*const pop_header_cbs[GRE_N_TYPES])
    (struct dp_packet *) = {
    [GRE_TYPE_GRE] = gre_pop_header_gre,
    [GRE_TYPE_ERSPAN] = gre_pop_header_erspan,
    [GRE_TYPE_IP6GRE] = gre_pop_header_ip6gre,
    [GRE_TYPE_IP6ERSPAN] = gre_pop_header_ip6erspan,
};

/* Statistics. */

/* Drop reasons counted as receive errors (a malformed or corrupted
 * packet), as opposed to packets the port's configuration refuses
 * (counted as receive drops). */
static bool
is_rx_error(enum gre_drop drop)
{
    switch (drop) {
    case GRE_DROP_NOT_IP:
    case GRE_DROP_IP_HEADER:
    case GRE_DROP_IP_TRUNCATED:
    case GRE_DROP_IP_CSUM:
    case GRE_DROP_IP_OPTIONS:
    case GRE_DROP_NOT_GRE:
    case GRE_DROP_GRE_TRUNCATED:
    case GRE_DROP_GRE_VERSION:
    case GRE_DROP_GRE_ROUTING:
    case GRE_DROP_GRE_FLAGS:
    case GRE_DROP_GRE_CSUM:
    case GRE_DROP_ERSPAN_TRUNCATED:
    case GRE_DROP_ERSPAN_VERSION:
        return true;
    case GRE_DROP_GRE_CSUM_MISSING:
    case GRE_DROP_GRE_PROTO:
    case GRE_DROP_NO_TUNNEL:
    case GRE_DROP_SEQ_MISSING:
    case GRE_DROP_SEQ_OLD:
    case GRE_DROP_TX_OFFLOAD:
    case GRE_N_DROPS:
    default:
        return false;
    }
}

/* Adds ovs-gre's drop counters of 'netdev' to 'stats': rx_errors,
 * rx_crc_errors, rx_dropped and tx_dropped.  Each is set only once it has
 * counted something, because OVS 3.1 reports none of them for tunnels and
 * tools show a counter that is set as supported. */
void
gre_netdev_add_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct gre_netdev *dev = glue_gre_netdev(netdev);
    struct gre_stats_snapshot snap;
    uint64_t rx_errors = 0, rx_dropped = 0;

    if (!dev->port) {
        return;
    }
    gre_stats_read(&dev->port->stats, &snap);
    for (int i = 0; i < GRE_N_DROPS; i++) {
        if (i == GRE_DROP_TX_OFFLOAD) {
            continue;
        }
        if (is_rx_error(i)) {
            rx_errors += snap.drops[i];
        } else {
            rx_dropped += snap.drops[i];
        }
    }
    if (rx_errors) {
        stats->rx_errors = rx_errors;
    }
    if (snap.drops[GRE_DROP_GRE_CSUM]) {
        stats->rx_crc_errors = snap.drops[GRE_DROP_GRE_CSUM];
    }
    if (rx_dropped) {
        stats->rx_dropped = rx_dropped;
    }
    if (snap.drops[GRE_DROP_TX_OFFLOAD]) {
        stats->tx_dropped = snap.drops[GRE_DROP_TX_OFFLOAD];
    }
}

/* netdev_class 'get_custom_stats': one counter per drop reason that has
 * counted something on this port, named as in 'gre/show'. */
static int
gre_get_custom_stats(const struct netdev *netdev,
                     struct netdev_custom_stats *custom)
{
    struct gre_netdev *dev = glue_gre_netdev(netdev);
    struct gre_stats_snapshot snap;

    custom->size = 0;
    custom->counters = NULL;
    if (!dev->port) {
        return 0;
    }
    gre_stats_read(&dev->port->stats, &snap);
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

/* Class and lifetime. */

/* Fills in the members of 'class' that implement 'type''s tunnel
 * behaviour.  The caller supplies the rest (allocation, construction,
 * addresses, statistics). */
void
gre_netdev_class_init(struct netdev_class *class, const struct gre_type *type)
{
    class->type = type->name;
    class->set_config = gre_set_config;
    class->get_config = gre_get_config;
    class->build_header = gre_build_header_cb;
    class->push_header = gre_push_header_cb;
    class->pop_header = pop_header_cbs[type->index];
    class->get_custom_stats = gre_get_custom_stats;
}

/* Releases what 'dev' holds.  Called when its netdev is destroyed. */
void
gre_netdev_destruct(struct gre_netdev *dev)
{
    gre_port_destroy(dev->port);
    dev->port = NULL;
    free(dev->config_error);
    dev->config_error = NULL;
}

/* "gre/show [PORT]": lists every GRE-family port or just PORT. */
static void
gre_unixctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1 && !gre_port_exists(argv[1])) {
        unixctl_command_reply_error(conn, "no such GRE-family port");
        return;
    }
    gre_port_show(&s, argc > 1 ? argv[1] : NULL);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Registers ovs-gre's unixctl commands.  Called once, when the classes are
 * registered. */
void
gre_netdev_init(void)
{
    unixctl_command_register("gre/show", "[PORT]", 0, 1, gre_unixctl_show,
                             NULL);
}
