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

#ifndef GRE_PORT_H
#define GRE_PORT_H 1

/* The table of configured GRE-family ports.
 *
 * OVS pushes and pops tunnel headers on one shared datapath port per type
 * ("gre_sys"), which does not know which configured interface a packet
 * belongs to.  This table answers that from the headers themselves, in the
 * order Linux's ip_tunnel_lookup() uses: a port whose remote address, local
 * address and key all match exactly wins over one that leaves any of them
 * to the flow.  The datapath uses it to count per port and to keep per-port
 * state such as the transmit sequence number.
 *
 * Threading: ports are created, configured and destroyed by the main
 * thread.  Lookups run in datapath threads without locks, on an RCU
 * snapshot of the table; a port returned by a lookup, and the options
 * gre_port_options() returns, stay valid until the calling thread next
 * quiesces. */

#include <stdbool.h>
#include <netinet/in.h>
#include "gre-options.h"
#include "gre-stats.h"
#include "gre-type.h"
#include "openvswitch/types.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "openvswitch/token-bucket.h"

struct ds;
struct shash_node;

struct gre_port {
    char *name;                         /* Interface name. */
    const struct gre_type *type;

    /* The options in force: read with gre_port_options(). */
    OVSRCU_TYPE(struct gre_options *) opts;

    /* Why the last configuration was refused while the one in 'opts'
     * stays in force, or NULL.  Main thread only. */
    char *config_error;

    struct gre_stats stats;
    atomic_uint32_t tx_seq;             /* Next GRE/ERSPAN sequence number. */

    /* Receive sequence check: 0 before the first packet, otherwise
     * RX_SEQ_VALID | the next expected sequence number. */
    atomic_uint64_t rx_seq;
    struct shash_node *node;            /* In the table's name index. */

    /* ICMP errors for packets too big for the tunnel (gre-mtu.h), rate
     * limited as Linux limits ICMP: 1000 a second, bursts of 50. */
    struct ovs_mutex icmp_mutex;
    struct token_bucket icmp_bucket;    /* Under icmp_mutex. */

    /* Peers' keepalives sent back (gre-keepalive.h): 10 a second, bursts
     * of 20. */
    struct token_bucket reflect_bucket; /* Under icmp_mutex. */

    /* Keepalive state, NULL until keepalives are first configured, then
     * kept until the port is destroyed. */
    OVSRCU_TYPE(struct gre_keepalive *) keepalive;

    struct netdev *netdev;              /* Owner (not a reference). */
};

/* The addresses and key of a packet, as the table matches them. */
struct gre_port_key {
    enum gre_kind kind;
    bool ipv6;
    struct in6_addr local;              /* IPv4 mapped for IPv4. */
    struct in6_addr remote;
    bool has_key;
    ovs_be32 key;                       /* GRE key or ERSPAN session ID. */
    bool is_eth;                        /* Payload is Ethernet (receive). */
};

/* What the datapath checks on receive for a port, as configured when the
 * table it was found in was published. */
struct gre_port_policy {
    enum netdev_pt_mode pt_mode;
    bool in_seq;
    bool in_csum;
};

struct gre_port *gre_port_create(const char *name, const struct gre_type *);
void gre_port_destroy(struct gre_port *);
void gre_port_configure(struct gre_port *, const struct gre_options *);
const struct gre_options *gre_port_options(const struct gre_port *);
void gre_port_set_config_error(struct gre_port *, char *error);

struct gre_port *gre_port_lookup_rx(const struct gre_port_key *,
                                    struct gre_port_policy *,
                                    bool *pt_mismatch);
bool gre_port_seq_accept(struct gre_port *, uint32_t seq);
bool gre_port_icmp_allowed(struct gre_port *);
bool gre_port_reflect_allowed(struct gre_port *);
struct gre_keepalive *gre_port_keepalive(const struct gre_port *);
struct gre_port **gre_port_with_keepalives(size_t *n);
struct gre_port *gre_port_lookup_tx(const struct gre_port_key *);
struct gre_port *gre_port_lookup_endpoints(enum gre_kind, bool ipv6,
                                           const struct in6_addr *local,
                                           const struct in6_addr *remote);

struct gre_stats *gre_type_stats(const struct gre_type *);

/* Returns the MTU of the interface by which the route to 'dst' with mark
 * 'mark' leaves, and stores its name in 'dev', or returns 0 if there is no
 * route or the interface is not known.  Stores in '*learned' the path MTU
 * to 'dst' learned from the underlay, or 0. */
typedef int gre_route_mtu_func(const struct in6_addr *dst, uint32_t mark,
                               char dev[16], int *learned);

void gre_port_show(struct ds *, const char *name, gre_route_mtu_func *);
bool gre_port_exists(const char *name);

#endif /* gre-port.h */
