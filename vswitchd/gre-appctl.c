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

/* ovs-gre's 'ovs-appctl' commands (Documentation/gre-appctl.rst). */

#include <config.h>

#include "gre-appctl.h"

#include <inttypes.h>

#include "gre-dpdk.h"
#include "gre-offload.h"
#include "gre-pmtud.h"
#include "gre-port.h"
#include "openvswitch/dynamic-string.h"
#include "unixctl.h"
#include "userspace-tso.h"
#include "util.h"

/* Appends the software offload totals to 's', if userspace TSO is on or
 * they are not all zero. */
static void
format_offload(struct ds *s)
{
    struct gre_offload_stats o;

    gre_offload_stats_read(&o);
    if (!userspace_tso_enabled() && !o.tx_resolved && !o.gso_packets
        && !o.gso_dropped && !o.gro_segments && !o.gro_csum_bad
        && !o.rx_aggregates && !o.segsz_lowered && !o.tnl_tso) {
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
    if (o.segsz_lowered) {
        ds_put_format(s, "  segment size lowered to fit the port: %"PRIu64
                      "\n", o.segsz_lowered);
    }
    if (o.gso_zero_copy) {
        ds_put_format(s, "  segments that kept their payload in place "
                      "(DPDK): %"PRIu64"\n", o.gso_zero_copy);
    }
    if (o.tnl_tso) {
        ds_put_format(s, "  handed whole to a port with GRE tunnel TSO: "
                      "%"PRIu64"\n", o.tnl_tso);
    }
}

/* "gre/show [PORT]": lists every GRE-family port or just PORT, then the
 * path MTUs learned from the underlay and the software offload totals. */
static void
gre_appctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1 && !gre_port_exists(argv[1])) {
        unixctl_command_reply_error(conn, "no such GRE-family port");
        return;
    }
    gre_port_show(&s, argc > 1 ? argv[1] : NULL, gre_pmtud_show_mtu);
    if (argc == 1) {
        gre_pmtud_show_learned(&s);
        format_offload(&s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Registers ovs-gre's unixctl commands.  Called once, when ovs-gre's
 * classes are registered. */
void
gre_appctl_register(void)
{
    unixctl_command_register("gre/show", "[PORT]", 0, 1, gre_appctl_show,
                             NULL);
#ifdef DPDK_NETDEV
    gre_dpdk_register();
#endif
}
