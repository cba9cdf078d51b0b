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

#include "gre-test-push.h"

#include <arpa/inet.h>
#include <string.h>

#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "gre-dp.h"
#include "gre-header.h"
#include "gre-options.h"
#include "gre-port.h"
#include "gre-type.h"
#include "netdev.h"
#include "odp-netlink.h"
#include "ovs-router.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Configures the port "t0" of type 'type_name' from the OPTION=VALUE
 * arguments 'argv[0...argc - 1]'; stores its type in '*typep' and its
 * options in '*opts' and returns it. */
struct gre_port *
gre_test_make_port(const char *type_name, int argc, char *argv[],
                   const struct gre_type **typep, struct gre_options *opts)
{
    struct smap args = SMAP_INITIALIZER(&args);
    char *error = NULL;
    struct gre_port *port;

    *typep = gre_type_from_name(type_name);
    if (!*typep) {
        ovs_fatal(0, "%s: unknown type", type_name);
    }
    for (int i = 0; i < argc; i++) {
        char *eq = strchr(argv[i], '=');

        if (!eq) {
            ovs_fatal(0, "%s: expected OPTION=VALUE", argv[i]);
        }
        smap_add_nocopy(&args, xmemdup0(argv[i], eq - argv[i]),
                        xstrdup(eq + 1));
    }
    if (gre_options_parse(*typep, "t0", &args, opts, &error)) {
        ovs_fatal(0, "%s", error);
    }
    smap_destroy(&args);
    port = gre_port_create("t0", *typep);
    gre_port_configure(port, opts);
    return port;
}

/* Pushes 'batch' through port "t0" of 'type' configured with 'opts', as
 * the datapath's tnl_push would: from the local endpoint 192.0.2.1 or
 * 2001:db8::1 to the remote one of 'opts', next hop f8:bc:12:44:34:b6
 * from aa:55:aa:55:00:00.  The packets' type is that of the first. */
void
gre_test_push(const struct gre_type *type, const struct gre_options *opts,
              struct dp_packet_batch *batch)
{
    struct netdev_tnl_build_header_params params;
    struct ovs_action_push_tnl data;
    struct in6_addr local;
    struct flow flow;

    memset(&flow, 0, sizeof flow);
    flow.packet_type = (opts->pt_mode == NETDEV_PT_LEGACY_L3
                        && !dp_packet_batch_is_empty(batch)
                        ? batch->packets[0]->packet_type : htonl(PT_ETH));
    if (IN6_IS_ADDR_V4MAPPED(&opts->remote_ip)) {
        flow.tunnel.ip_dst = in6_addr_get_mapped_ipv4(&opts->remote_ip);
        in6_addr_set_mapped_ipv4(&local, htonl(0xc0000201));
    } else {
        flow.tunnel.ipv6_dst = opts->remote_ip;
        inet_pton(AF_INET6, "2001:db8::1", &local);
    }
    flow.tunnel.tun_id = opts->out_key.value;
    flow.tunnel.ip_ttl = opts->ttl;
    flow.tunnel.flags = (FLOW_TNL_F_DONT_FRAGMENT
                         | (opts->out_key.present ? FLOW_TNL_F_KEY : 0)
                         | (opts->csum ? FLOW_TNL_F_CSUM : 0));
    flow.tunnel.erspan_ver = opts->erspan_ver.value;
    flow.tunnel.erspan_idx = opts->erspan_idx.value;
    flow.tunnel.erspan_dir = opts->erspan_dir.value;
    flow.tunnel.erspan_hwid = opts->erspan_hwid.value;
    netdev_init_tnl_build_header_params(
        &params, &flow, &local,
        (struct eth_addr) ETH_ADDR_C(f8,bc,12,44,34,b6),
        (struct eth_addr) ETH_ADDR_C(aa,55,aa,55,00,00));
    if (gre_build_header(type->kind, opts, &data, &params)) {
        ovs_fatal(0, "cannot build the header");
    }
    gre_dp_push_batch(type, "t0", batch, &data);
}

/* Readies OVS's routing table, without the system's routes and empty, so
 * that a tunnelled TSO packet's segments are cut for a 1500-byte path.
 * The table needs the datapath layer (its tunnel configuration sequence)
 * to exist. */
void
gre_test_no_routes(void)
{
    struct sset dp_types = SSET_INITIALIZER(&dp_types);

    dp_enumerate_types(&dp_types);
    sset_destroy(&dp_types);
    ovs_router_disable_system_routing_table();
    ovs_router_init();
    ovs_router_flush();
}
