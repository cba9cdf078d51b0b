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

/* Cross-type delivery: ports of two types on one local address.
 *
 * OVS maps a received tunnel packet to a shared datapath port by its outer
 * addresses only, so gre and erspan ports (or ip6gre and ip6erspan ports)
 * on one local address all receive through whichever of the two datapath
 * ports registered that address first.  The pop finds the right port
 * anyway and marks packets meant for the other type (see "Cross-type
 * delivery" in datapath/gre-dp.h).  Here, '-Wl,--wrap=tnl_port_add' and
 * '-Wl,--wrap=tnl_port_reconfigure' learn the datapath port number of each
 * type, '-Wl,--wrap=tnl_port_receive' makes ofproto look a marked packet
 * up among its type's ports, and '-Wl,--wrap=tnl_wc_init' keeps the mark
 * in the megaflow match so that marked and unmarked packets never share a
 * datapath flow.  (One datapath per type is assumed: with several
 * userspace datapaths the last port number learned wins.) */

#include <config.h>

#include "flow.h"
#include "gre-dp.h"
#include "gre-type.h"
#include "gre-vport.h"
#include "netdev-provider.h"
#include "ofproto/tunnel.h"
#include "openvswitch/flow.h"
#include "ovs-atomic.h"
#include "util.h"

/* The datapath port number of each of ovs-gre's types, ODPP_NONE until a
 * port of that type is added to a bridge.  Written by the main thread,
 * read by handler threads. */
static atomic_uint32_t type_odp[GRE_N_TYPES] = {
    UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX,
};
BUILD_ASSERT_DECL(GRE_N_TYPES == 4);

/* Records 'odp_port' as the datapath port of 'netdev''s type, if it is one
 * of ovs-gre's. */
static void
learn_type_odp(const struct netdev *netdev, odp_port_t odp_port)
{
    const struct gre_type *type;

    type = gre_vport_class_type(netdev_get_class(netdev));
    if (type) {
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
