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
#include <inttypes.h>
#include <string.h>

#include "gre-dp.h"
#include "gre-header.h"
#include "gre-offload.h"
#include "gre-options.h"
#include "gre-port.h"
#include "gre-stats.h"
#include "gre-type.h"
#include "netdev-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovs-glue.h"
#include "smap.h"
#include "unixctl.h"
#include "userspace-tso.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_netdev);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);


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
    glue_publish(netdev, &opts);
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
    struct gre_options defaults;

    if (!dev->port) {
        gre_options_default(&defaults);
    }
    gre_options_format(netdev_gre_type(netdev),
                       dev->port ? gre_port_options(dev->port) : &defaults,
                       args);
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
    struct gre_port *port = glue_gre_netdev(netdev)->port;
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

/* Runs the datapath's tnl_push action on 'batch' for 'netdev', the shared
 * datapath port of its type (see gre_dp_push_batch()).  Called through the
 * interposed netdev_push_header(). */
void
gre_netdev_push_batch(const struct netdev *netdev,
                      struct dp_packet_batch *batch,
                      const struct ovs_action_push_tnl *data)
{
    gre_dp_push_batch(netdev_gre_type(netdev), netdev_get_name(netdev),
                      batch, data);
}

/* netdev_class 'push_header': pushes the header in 'data' on one 'packet',
 * for callers other than the datapath's batch entry point.  The caller
 * keeps ownership of 'packet' and sets its metadata. */
static void
gre_push_header_cb(const struct netdev *netdev, struct dp_packet *packet,
                   const struct ovs_action_push_tnl *data)
{
    gre_dp_push_one(netdev_gre_type(netdev), packet, data);
}

/* Runs the datapath's tnl_pop action on 'batch', received on 'netdev', the
 * shared datapath port of its type (see gre_dp_pop_batch()).  Called
 * through the interposed netdev_pop_header(). */
void
gre_netdev_pop_batch(struct netdev *netdev, struct dp_packet_batch *batch)
{
    gre_dp_pop_batch(netdev_gre_type(netdev), batch);
}

/* netdev_class 'pop_header' of each type: gre_dp_pop_one() for the type. */


static struct dp_packet *
gre_pop_header_gre(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_GRE], packet);
}

static struct dp_packet *
gre_pop_header_erspan(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_ERSPAN], packet);
}

static struct dp_packet *
gre_pop_header_ip6gre(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_IP6GRE], packet);
}

static struct dp_packet *
gre_pop_header_ip6erspan(struct dp_packet *packet)
{
    return gre_dp_pop_one(&gre_types[GRE_TYPE_IP6ERSPAN], packet);
}

static struct dp_packet *(*const pop_header_cbs[GRE_N_TYPES])
    (struct dp_packet *) = {
    [GRE_TYPE_GRE] = gre_pop_header_gre,
    [GRE_TYPE_ERSPAN] = gre_pop_header_erspan,
    [GRE_TYPE_IP6GRE] = gre_pop_header_ip6gre,
    [GRE_TYPE_IP6ERSPAN] = gre_pop_header_ip6erspan,
};

/* Statistics. */

/* Adds ovs-gre's drop counters of 'netdev' to 'stats': rx_errors,
 * rx_crc_errors, rx_dropped and tx_dropped.  Each is set only once it has
 * counted something, because OVS 3.1 reports none of them for tunnels and
 * tools show a counter that is set as supported. */
void
gre_netdev_add_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct gre_netdev *dev = glue_gre_netdev(netdev);
    struct gre_stats_snapshot snap;
    uint64_t n;

    if (!dev->port) {
        return;
    }
    gre_stats_read(&dev->port->stats, &snap);
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

/* Appends the software offload totals to 's', if userspace TSO is on or
 * they are not all zero. */
static void
format_offload(struct ds *s)
{
    struct gre_offload_stats o;

    gre_offload_stats_read(&o);
    if (!userspace_tso_enabled() && !o.tx_resolved && !o.gso_packets
        && !o.gso_dropped && !o.gro_segments && !o.gro_csum_bad
        && !o.rx_aggregates) {
        return;
    }
    ds_put_format(s, "offload: userspace TSO %s\n",
                  userspace_tso_enabled() ? "on" : "off");
    ds_put_format(s, "  checksums computed: %"PRIu64"\n", o.tx_resolved);
    ds_put_format(s, "  segmented: %"PRIu64" packets into %"PRIu64
                  " segments, %"PRIu64" dropped\n",
                  o.gso_packets, o.gso_segments, o.gso_dropped);
    ds_put_format(s, "  coalesced: %"PRIu64" segments into %"PRIu64
                  " packets, %"PRIu64" not merged (bad checksum)\n",
                  o.gro_segments, o.gro_packets, o.gro_csum_bad);
    ds_put_format(s, "  received aggregates: %"PRIu64"\n", o.rx_aggregates);
}

/* "gre/show [PORT]": lists every GRE-family port or just PORT, then the
 * software offload totals. */
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
    if (argc == 1) {
        format_offload(&s);
    }
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
