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

/* 'gre/dpdk-tx-probe' and 'gre/dpdk-tx-show': what a DPDK port's PMD is
 * given to send, offload metadata included, for tests on virtual devices
 * (Documentation/gre-appctl.rst).  Built only with DPDK.
 *
 * No software PMD offers GRE tunnel TSO, so what ovs-gre and OVS's
 * netdev-dpdk make of a tunnelled TSO packet for a NIC that does can only
 * be seen on the mbuf itself, just before the PMD: an ethdev transmit
 * callback, which DPDK runs inside rte_eth_tx_burst() before the driver,
 * copies the metadata of every mbuf into a ring that 'gre/dpdk-tx-show'
 * prints.
 *
 * DPDK's tap PMD (net_tap) advertises TCP segmentation, which it does in
 * software with rte_gso_segment(), but no TSO packet that Open vSwitch
 * gives it leaves:
 *   - OVS 3.1's netdev-dpdk sets an mbuf's segment size to the port's MTU
 *     less the IP and TCP headers; DPDK 22.11's tap PMD adds the Ethernet
 *     header, finds every segment larger than the MTU and counts the
 *     packet as a transmit error.
 *   - OVS 3.5's netdev-dpdk copies a TSO packet that is not in DPDK memory
 *     (one that ovs-gre's GRO merged, one read from a kernel tap) into an
 *     mbuf with an external buffer.  rte_gso_segment() (DPDK 24.11, and
 *     DPDK's main branch as of this writing) gives each header segment it
 *     allocates the flags of the packet it cuts, RTE_MBUF_F_EXTERNAL
 *     among them, without the external buffer's shared information that
 *     goes with that flag: freeing the segments after the write
 *     dereferences a null pointer, and the daemon dies.
 * gre_dpdk_class() therefore wraps the "dpdk" class's reconfiguration:
 * once netdev-dpdk has reconfigured a net_tap port, TCP segmentation is
 * taken out of what the port advertises to OVS, so that its TSO packets
 * are segmented in software before they reach the PMD (by ovs-gre on OVS
 * 3.1, see gre-offload.h; by OVS itself on 3.5), as for any port without
 * TSO.  The port keeps its checksum offloads. */

#include <config.h>

#include "gre-dpdk.h"

#include <inttypes.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gre-gso-mbuf.h"
#include "gre-packet-ol.h"
#include "netdev-dpdk.h"
#include "netdev-provider.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_dpdk);

/* What the PMD was given: one mbuf's length and offload metadata. */
struct probe_record {
    uint32_t pkt_len;
    uint16_t nb_segs;
    uint64_t ol_flags;
    uint16_t l2_len, l3_len, l4_len;
    uint16_t outer_l2_len, outer_l3_len;
    uint16_t tso_segsz;
};

#define PROBE_RING 64

/* One probed DPDK port, in 'probes' under its netdev name.  Its callbacks
 * stay installed, and so it stays allocated, until the daemon exits: DPDK
 * frees a removed callback only when the port is closed, and a PMD thread
 * may be running one. */
struct probe {
    struct ovs_mutex mutex;
    struct probe_record ring[PROBE_RING] OVS_GUARDED;
    uint64_t n OVS_GUARDED;     /* Records ever written. */
};

static struct ovs_mutex probes_mutex = OVS_MUTEX_INITIALIZER;
static struct shash probes OVS_GUARDED_BY(probes_mutex)
    = SHASH_INITIALIZER(&probes);

/* The ethdev transmit callback (rte_tx_callback_fn), run by the thread
 * that sends on 'port_id' queue 'queue' just before the PMD: records the
 * 'n_pkts' mbufs in 'pkts' in the probe 'aux' and passes them all on. */
static uint16_t
probe_tx_cb(uint16_t port_id OVS_UNUSED, uint16_t queue OVS_UNUSED,
            struct rte_mbuf *pkts[], uint16_t n_pkts, void *aux)
{
    struct probe *probe = aux;

    ovs_mutex_lock(&probe->mutex);
    for (uint16_t i = 0; i < n_pkts; i++) {
        const struct rte_mbuf *m = pkts[i];
        struct probe_record *r = &probe->ring[probe->n++ % PROBE_RING];

        r->pkt_len = m->pkt_len;
        r->nb_segs = m->nb_segs;
        r->ol_flags = m->ol_flags;
        r->l2_len = m->l2_len;
        r->l3_len = m->l3_len;
        r->l4_len = m->l4_len;
        r->outer_l2_len = m->outer_l2_len;
        r->outer_l3_len = m->outer_l3_len;
        r->tso_segsz = m->tso_segsz;
    }
    ovs_mutex_unlock(&probe->mutex);
    return n_pkts;
}

/* Makes DPDK port 'netdev' advertise to OVS the offloads a GRE-tunnelled
 * TSO packet needs, as a NIC with GRE tunnel TSO does (see
 * gre-packet-ol.h).  Returns NULL, or an error message if the OVS version
 * has no such offload. */
static const char *
pretend_gre_tso(struct netdev *netdev OVS_UNUSED)
{
#ifdef GRE_PACKET_TNL_TSO_NEEDS
    netdev->ol_flags |= GRE_PACKET_TNL_TSO_NEEDS;
    return NULL;
#else
    return "this Open vSwitch version gives ports no GRE-tunnelled TSO "
           "packets";
#endif
}

/* "gre/dpdk-tx-probe PORT [gre-tso]": starts recording what the PMD of
 * DPDK port PORT is given to send, on every transmit queue; with
 * "gre-tso", also makes the port advertise GRE tunnel TSO to OVS until
 * it is next reconfigured. */
static void
gre_dpdk_tx_probe(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux OVS_UNUSED)
{
    struct rte_eth_dev_info info;
    struct netdev *netdev;
    struct probe *probe;
    const char *error;
    int port_id;

    if (argc > 2 && strcmp(argv[2], "gre-tso")) {
        unixctl_command_reply_error(conn, "the only option is \"gre-tso\"");
        return;
    }
    netdev = netdev_from_name(argv[1]);
    port_id = netdev ? netdev_dpdk_get_port_id(netdev) : -1;
    if (port_id < 0 || rte_eth_dev_info_get(port_id, &info)) {
        unixctl_command_reply_error(conn, "no such DPDK port");
        netdev_close(netdev);
        return;
    }

    ovs_mutex_lock(&probes_mutex);
    probe = shash_find_data(&probes, argv[1]);
    if (!probe) {
        probe = xzalloc(sizeof *probe);
        ovs_mutex_init(&probe->mutex);
        for (uint16_t q = 0; q < info.nb_tx_queues; q++) {
            if (!rte_eth_add_tx_callback(port_id, q, probe_tx_cb, probe)) {
                VLOG_WARN("%s: no transmit callback on queue %"PRIu16
                          " (%s)", argv[1], q, rte_strerror(rte_errno));
            }
        }
        shash_add(&probes, argv[1], probe);
    }
    ovs_mutex_unlock(&probes_mutex);

    error = argc > 2 ? pretend_gre_tso(netdev) : NULL;
    netdev_close(netdev);
    if (error) {
        unixctl_command_reply_error(conn, error);
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

/* Appends to 's' DPDK's names of the transmit offload flags in
 * 'ol_flags', separated by spaces, or "none".  (DPDK names the L4
 * checksum field's zero value too, RTE_MBUF_F_TX_L4_NO_CKSUM: it asks for
 * nothing and is left out.) */
static void
format_tx_flags(struct ds *s, uint64_t ol_flags)
{
    static const char zero[] = "RTE_MBUF_F_TX_L4_NO_CKSUM";
    size_t start = s->length;
    char names[512];

    if (rte_get_tx_ol_flag_list(ol_flags, names, sizeof names)) {
        ds_put_format(s, "%#"PRIx64, ol_flags);
        return;
    }
    for (char *save, *name = strtok_r(names, " ", &save); name;
         name = strtok_r(NULL, " ", &save)) {
        if (strcmp(name, zero)) {
            ds_put_format(s, "%s%s", s->length > start ? " " : "", name);
        }
    }
    if (s->length == start) {
        ds_put_cstr(s, "none");
    }
}

/* "gre/dpdk-tx-show PORT": prints, oldest first, what 'gre/dpdk-tx-probe'
 * recorded on PORT since it was last shown (at most the last PROBE_RING
 * mbufs), one line each, and forgets it. */
static void
gre_dpdk_tx_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[], void *aux OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct probe *probe;

    ovs_mutex_lock(&probes_mutex);
    probe = shash_find_data(&probes, argv[1]);
    ovs_mutex_unlock(&probes_mutex);
    if (!probe) {
        unixctl_command_reply_error(conn, "PORT is not probed");
        return;
    }

    ovs_mutex_lock(&probe->mutex);
    for (uint64_t i = probe->n > PROBE_RING ? probe->n - PROBE_RING : 0;
         i < probe->n; i++) {
        const struct probe_record *r = &probe->ring[i % PROBE_RING];

        ds_put_format(&s, "len=%"PRIu32" segs=%"PRIu16" tso_segsz=%"PRIu16
                      " outer_l2=%"PRIu16" outer_l3=%"PRIu16" l2=%"PRIu16
                      " l3=%"PRIu16" l4=%"PRIu16" flags=",
                      r->pkt_len, r->nb_segs, r->tso_segsz, r->outer_l2_len,
                      r->outer_l3_len, r->l2_len, r->l3_len, r->l4_len);
        format_tx_flags(&s, r->ol_flags);
        ds_put_char(&s, '\n');
    }
    probe->n = 0;
    ovs_mutex_unlock(&probe->mutex);

    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* The "dpdk" class's own reconfiguration, which gre_dpdk_class() wraps. */
static int (*dpdk_reconfigure)(struct netdev *);

/* Returns true if 'netdev', a DPDK port, is driven by DPDK's tap PMD. */
static bool
is_net_tap(struct netdev *netdev)
{
    struct rte_eth_dev_info info;
    int port_id = netdev_dpdk_get_port_id(netdev);

    return (port_id >= 0
            && !rte_eth_dev_info_get(port_id, &info)
            && info.driver_name
            && !strcmp(info.driver_name, "net_tap"));
}

/* The "dpdk" class's 'reconfigure', as gre_dpdk_class() installs it:
 * reconfigures 'netdev' as netdev-dpdk does, then, if it is a net_tap
 * port, takes TCP segmentation out of the offloads it advertises (see the
 * top of this file).  Runs in the main thread while no PMD thread polls
 * the port, as netdev-dpdk's own does.  Returns what netdev-dpdk's
 * returned. */
static int
gre_dpdk_reconfigure(struct netdev *netdev)
{
    int error = dpdk_reconfigure(netdev);

    if (netdev->ol_flags & NETDEV_TX_OFFLOAD_TCP_TSO && is_net_tap(netdev)) {
        netdev->ol_flags &= ~NETDEV_TX_OFFLOAD_TCP_TSO;
        VLOG_INFO("%s: TCP segmentation offload not used on net_tap: "
                  "TSO packets are segmented in software instead",
                  netdev_get_name(netdev));
    }
    return error;
}

/* Returns the class to register in the place of 'class': for netdev-dpdk's
 * "dpdk" class, a copy whose 'reconfigure' is gre_dpdk_reconfigure();
 * otherwise 'class' itself.  netdev-dpdk recognizes its ports by their
 * class's 'destruct', which the copy keeps.  The classes of netdev-dpdk
 * ("dpdk", "dpdkvhostuser", "dpdkvhostuserclient"), whose ports hand mbuf
 * chains to DPDK, are recorded for the software segmentation (see
 * gre-gso-mbuf.h).  Called by the main thread while the classes are
 * registered, once per class. */
const struct netdev_class *
gre_dpdk_class(const struct netdev_class *class)
{
    static struct netdev_class dpdk_class;
    const struct netdev_class *result = class;

    if (!strcmp(class->type, "dpdk") && class->reconfigure
        && !dpdk_reconfigure) {
        dpdk_reconfigure = class->reconfigure;
        dpdk_class = *class;
        dpdk_class.reconfigure = gre_dpdk_reconfigure;
        result = &dpdk_class;
    }
    if (!strncmp(class->type, "dpdk", 4)) {
        gre_gso_mbuf_port_class(result);
    }
    return result;
}

/* Registers the commands above. */
void
gre_dpdk_register(void)
{
    unixctl_command_register("gre/dpdk-tx-probe", "PORT [gre-tso]", 1, 2,
                             gre_dpdk_tx_probe, NULL);
    unixctl_command_register("gre/dpdk-tx-show", "PORT", 1, 1,
                             gre_dpdk_tx_show, NULL);
}
