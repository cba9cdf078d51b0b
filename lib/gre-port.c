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

#include "gre-port.h"

#include <string.h>

#include "gre-keepalive.h"
#include "gre-mtu.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "packets.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

/* What the datapath matches of one configured port: a copy, so that a
 * lookup never reads options the main thread is changing. */
struct port_entry {
    struct gre_port *port;
    enum gre_kind kind;
    bool ipv6;

    bool remote_any;                /* remote_ip=flow. */
    struct in6_addr remote;
    bool local_any;                 /* local_ip unset or flow. */
    struct in6_addr local;

    bool in_key_any;                /* in_key=flow. */
    ovs_be32 in_key;                /* 0 for a port without a key. */
    bool out_key_any;               /* out_key=flow. */
    bool out_key_present;
    ovs_be32 out_key;

    struct gre_port_policy policy;
};

struct port_table {
    size_t n;
    struct port_entry entries[];
};

/* Protects 'ports' and the writing of 'table'. */
static struct ovs_mutex ports_mutex = OVS_MUTEX_INITIALIZER;

/* Every port, configured or not, by name. */
static struct shash ports OVS_GUARDED_BY(ports_mutex)
    = SHASH_INITIALIZER(&ports);

/* Configured ports whose options include a remote endpoint. */
static OVSRCU_TYPE(struct port_table *) table;

/* Drops counted before a packet's port is known, per type. */
static struct gre_stats type_stats[GRE_N_TYPES];

static void
fill_entry(struct port_entry *e, struct gre_port *port)
    OVS_REQUIRES(ports_mutex)
{
    const struct gre_options *o = ovsrcu_get_protected(struct gre_options *,
                                                       &port->opts);

    memset(e, 0, sizeof *e);
    e->port = port;
    e->kind = port->type->kind;
    e->ipv6 = (ipv6_addr_is_set(&o->remote_ip)
               ? !IN6_IS_ADDR_V4MAPPED(&o->remote_ip)
               : port->type->ipv6);
    e->remote_any = o->remote_ip_flow;
    e->remote = o->remote_ip;
    e->local_any = o->local_ip_flow || !ipv6_addr_is_set(&o->local_ip);
    e->local = o->local_ip;
    e->in_key_any = o->in_key.flow;
    e->in_key = be64_to_be32(o->in_key.value);
    e->out_key_any = o->out_key.flow;
    e->out_key_present = o->out_key.present;
    e->out_key = be64_to_be32(o->out_key.value);
    e->policy.pt_mode = o->pt_mode;
    e->policy.in_seq = o->in_seq;
    e->policy.in_csum = o->in_csum;
}

static void
publish_table(void)
    OVS_REQUIRES(ports_mutex)
{
    struct port_table *new, *old;
    struct shash_node *node;
    size_t n = 0;

    new = xzalloc(sizeof *new + shash_count(&ports) * sizeof new->entries[0]);
    SHASH_FOR_EACH (node, &ports) {
        struct gre_port *port = node->data;

        if (gre_options_has_remote(ovsrcu_get_protected(struct gre_options *,
                                                        &port->opts))) {
            fill_entry(&new->entries[n++], port);
        }
    }
    new->n = n;

    old = ovsrcu_get_protected(struct port_table *, &table);
    ovsrcu_set(&table, new);
    if (old) {
        ovsrcu_postpone(free, old);
    }
}

/* Creates a port called 'name' of 'type', not yet configured (so that no
 * lookup finds it), and returns it. */
struct gre_port *
gre_port_create(const char *name, const struct gre_type *type)
{
    struct gre_port *port = xzalloc(sizeof *port);
    struct gre_options *opts = xmalloc(sizeof *opts);

    port->name = xstrdup(name);
    port->type = type;
    gre_options_default(opts);
    ovsrcu_set_hidden(&port->opts, opts);
    gre_stats_init(&port->stats);
    atomic_init(&port->tx_seq, 0);
    atomic_init(&port->rx_seq, 0);
    ovs_mutex_init(&port->icmp_mutex);
    token_bucket_init(&port->icmp_bucket, 1, 50);
    token_bucket_init(&port->reflect_bucket, 1, 20 * 100);

    ovs_mutex_lock(&ports_mutex);
    port->node = shash_add(&ports, name, port);
    ovs_mutex_unlock(&ports_mutex);
    return port;
}

static void
gre_port_free(struct gre_port *port)
{
    free(ovsrcu_get_protected(struct gre_options *, &port->opts));
    free(port->config_error);
    free(port->name);
    ovs_mutex_destroy(&port->icmp_mutex);
    gre_keepalive_destroy(ovsrcu_get_protected(struct gre_keepalive *,
                                               &port->keepalive));
    free(port);
}

/* Removes 'port' from the table and frees it once no datapath thread can
 * still be using it. */
void
gre_port_destroy(struct gre_port *port)
{
    if (!port) {
        return;
    }
    ovs_mutex_lock(&ports_mutex);
    shash_delete(&ports, port->node);
    publish_table();
    ovs_mutex_unlock(&ports_mutex);
    ovsrcu_postpone(gre_port_free, port);
}

/* Makes a copy of 'opts' the configuration of 'port' and of the table's
 * lookups, and clears the port's configuration error. */
void
gre_port_configure(struct gre_port *port, const struct gre_options *opts)
{
    struct gre_keepalive *ka;
    struct gre_options *old;

    ovs_mutex_lock(&ports_mutex);
    old = ovsrcu_get_protected(struct gre_options *, &port->opts);
    ovsrcu_set(&port->opts, xmemdup(opts, sizeof *opts));
    ovsrcu_postpone(free, old);
    /* A new configuration starts a new receive sequence. */
    atomic_store_relaxed(&port->rx_seq, 0);
    publish_table();
    ovs_mutex_unlock(&ports_mutex);
    gre_port_set_config_error(port, NULL);

    ka = gre_port_keepalive(port);
    if (!ka && opts->keepalive) {
        ka = gre_keepalive_create();
        ovsrcu_set(&port->keepalive, ka);
    }
    if (ka) {
        gre_keepalive_configure(ka, opts, time_msec());
    }
}

/* Returns 'port''s keepalive state, or NULL if it never had keepalives.
 * Any thread. */
struct gre_keepalive *
gre_port_keepalive(const struct gre_port *port)
{
    return ovsrcu_get(struct gre_keepalive *, &port->keepalive);
}

/* Returns an array, which the caller must free(), of the '*n' ports that
 * have keepalive state.  Main thread: they stay valid until it destroys
 * them. */
struct gre_port **
gre_port_with_keepalives(size_t *n)
{
    struct gre_port **list = NULL;
    struct shash_node *node;
    size_t allocated = 0;

    *n = 0;
    ovs_mutex_lock(&ports_mutex);
    SHASH_FOR_EACH (node, &ports) {
        struct gre_port *port = node->data;

        if (gre_port_keepalive(port)) {
            if (*n >= allocated) {
                list = x2nrealloc(list, &allocated, sizeof *list);
            }
            list[(*n)++] = port;
        }
    }
    ovs_mutex_unlock(&ports_mutex);
    return list;
}

/* Returns the options in force for 'port'.  In a thread other than the
 * main thread, they stay valid until the thread next quiesces. */
const struct gre_options *
gre_port_options(const struct gre_port *port)
{
    return ovsrcu_get(struct gre_options *, &port->opts);
}

/* Records 'error' (which 'port' takes ownership of, or NULL) as why the
 * last configuration of 'port' was refused.  Main thread only. */
void
gre_port_set_config_error(struct gre_port *port, char *error)
{
    free(port->config_error);
    port->config_error = error;
}

/* Lookup.
 *
 * A packet may match several entries: one with exact addresses and key,
 * and others that take any remote address, any local address or any key
 * from the flow.  The most exact one wins, judged in the order of Linux's
 * ip_tunnel_lookup(): the remote address first, then the local address,
 * then the key; last, among ports that differ only in packet type mode, a
 * port in the legacy mode of the packet's payload wins over a packet type
 * aware one, as in OVS's tnl_find(). */

/* Which rules a lookup applies. */
enum lookup_rules {
    RULES_TX,               /* Transmit: by outer source, remote and the
                             * key sent. */
    RULES_RX,               /* Receive: by outer destination, source, key
                             * received and payload type. */
    RULES_RX_ANY_PAYLOAD,   /* As RULES_RX, but whatever the payload. */
    RULES_ADDRESSES,        /* By outer addresses only. */
};

/* How exactly an entry matches a packet: the sum of the rules below that
 * it meets exactly, each worth more than all the ones after it together,
 * so that the higher rank is the better match. */
enum match_rank {
    RANK_REMOTE = 1 << 3,       /* remote_ip matched, not by "flow". */
    RANK_LOCAL = 1 << 2,        /* local_ip matched, not by "flow". */
    RANK_KEY = 1 << 1,          /* The key matched, not by "flow". */
    RANK_LEGACY_PT = 1 << 0,    /* A legacy port for the payload's type. */
};

/* Returns true if 'e' matches the addresses in 'k', adding to '*rank' the
 * rules it meets exactly. */
static bool
match_addresses(const struct port_entry *e, const struct gre_port_key *k,
                unsigned int *rank)
{
    if (e->kind != k->kind || e->ipv6 != k->ipv6) {
        return false;
    }
    if (!e->remote_any) {
        if (!ipv6_addr_equals(&e->remote, &k->remote)) {
            return false;
        }
        *rank |= RANK_REMOTE;
    }
    if (!e->local_any) {
        if (!ipv6_addr_equals(&e->local, &k->local)) {
            return false;
        }
        *rank |= RANK_LOCAL;
    }
    return true;
}

/* Returns true if 'e' receives a packet with the key in 'k'.  As in OVS's
 * tnl_find(), a port without a key receives the packets with key 0 or
 * none. */
static bool
match_rx_key(const struct port_entry *e, const struct gre_port_key *k,
             unsigned int *rank)
{
    if (e->in_key_any) {
        return true;
    }
    *rank |= RANK_KEY;
    return (k->has_key ? k->key : 0) == e->in_key;
}

/* Returns true if 'e' sends packets with the key in 'k': its own key, none
 * if it has none (ERSPAN always has one), or any with out_key=flow. */
static bool
match_tx_key(const struct port_entry *e, const struct gre_port_key *k,
             unsigned int *rank)
{
    if (e->out_key_any) {
        return k->has_key;
    }
    *rank |= RANK_KEY;
    if (e->out_key_present || e->kind == GRE_KIND_ERSPAN) {
        return k->has_key && k->key == e->out_key;
    }
    return !k->has_key;
}

/* Returns true if 'e' takes a payload that is Ethernet or not
 * ('k->is_eth'). */
static bool
match_payload(const struct port_entry *e, const struct gre_port_key *k,
              unsigned int *rank)
{
    /* Not a switch: OVS 3.5's enum has a value 3.1's lacks. */
    if (e->policy.pt_mode == NETDEV_PT_LEGACY_L2) {
        *rank |= RANK_LEGACY_PT;
        return k->is_eth;
    } else if (e->policy.pt_mode == NETDEV_PT_LEGACY_L3) {
        *rank |= RANK_LEGACY_PT;
        return !k->is_eth;
    }
    return true;
}

/* Returns true if 'e' matches 'k' under 'rules', storing in '*rank' how
 * exactly. */
static bool
match_entry(const struct port_entry *e, const struct gre_port_key *k,
            enum lookup_rules rules, unsigned int *rank)
{
    *rank = 0;
    if (!match_addresses(e, k, rank)) {
        return false;
    }
    switch (rules) {
    case RULES_TX:
        return match_tx_key(e, k, rank);
    case RULES_RX:
        return match_rx_key(e, k, rank) && match_payload(e, k, rank);
    case RULES_RX_ANY_PAYLOAD:
        return match_rx_key(e, k, rank);
    case RULES_ADDRESSES:
        return true;
    }
    OVS_NOT_REACHED();
}

/* Returns the entry that matches 'k' best under 'rules' (the first of
 * equals), or NULL. */
static const struct port_entry *
lookup(const struct gre_port_key *k, enum lookup_rules rules)
{
    struct port_table *t = ovsrcu_get(struct port_table *, &table);
    const struct port_entry *best = NULL;
    unsigned int best_rank = 0;

    if (!t) {
        return NULL;
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct port_entry *e = &t->entries[i];
        unsigned int rank;

        if (match_entry(e, k, rules, &rank) && (!best || rank > best_rank)) {
            best = e;
            best_rank = rank;
        }
    }
    return best;
}

/* Returns the port that receives a packet with the endpoints, key and
 * payload type in 'k' ('local' is the outer destination) and stores what
 * to check of the packet in '*policy', or returns NULL if no port receives
 * it.  If a port matches endpoints and key but takes only another payload
 * type, returns that port with '*pt_mismatch' set to true, so that the
 * caller can count the drop on it. */
struct gre_port *
gre_port_lookup_rx(const struct gre_port_key *k,
                   struct gre_port_policy *policy, bool *pt_mismatch)
{
    const struct port_entry *e = lookup(k, RULES_RX);

    *pt_mismatch = false;
    if (!e) {
        e = lookup(k, RULES_RX_ANY_PAYLOAD);
        if (e) {
            *pt_mismatch = true;
            *policy = e->policy;
            return e->port;
        }
        return NULL;
    }
    *policy = e->policy;
    return e->port;
}

/* Returns a port of kind 'kind' (or, if none, of the other kind), over
 * IPv6 if 'ipv6', that receives packets from 'remote' to 'local' (IPv4
 * mapped for IPv4) with whatever key and payload, or NULL if none does.
 * Any thread. */
struct gre_port *
gre_port_lookup_endpoints(enum gre_kind kind, bool ipv6,
                          const struct in6_addr *local,
                          const struct in6_addr *remote)
{
    struct gre_port_key k = {
        .kind = kind, .ipv6 = ipv6,
        .local = *local, .remote = *remote,
    };
    const struct port_entry *e = lookup(&k, RULES_ADDRESSES);

    if (!e) {
        k.kind = kind == GRE_KIND_GRE ? GRE_KIND_ERSPAN : GRE_KIND_GRE;
        e = lookup(&k, RULES_ADDRESSES);
    }
    return e ? e->port : NULL;
}

/* Returns the port that sends packets with the endpoints and key in 'k'
 * ('local' is the outer source), or NULL if none does. */
struct gre_port *
gre_port_lookup_tx(const struct gre_port_key *k)
{
    const struct port_entry *e = lookup(k, RULES_TX);

    return e ? e->port : NULL;
}

/* Takes 'n' tokens from 'bucket', one of 'port''s rate limits, if it has
 * them.  Returns true if it did. */
static bool
withdraw(struct gre_port *port, struct token_bucket *bucket, unsigned int n)
{
    bool allowed;

    ovs_mutex_lock(&port->icmp_mutex);
    allowed = token_bucket_withdraw(bucket, n);
    ovs_mutex_unlock(&port->icmp_mutex);
    return allowed;
}

/* Returns true if 'port' may send one more ICMP error now, and takes it
 * from its rate limit.  Safe to call from several threads at once. */
bool
gre_port_icmp_allowed(struct gre_port *port)
{
    return withdraw(port, &port->icmp_bucket, 1);
}

/* Returns true if 'port' may send back one more of its peer's keepalives
 * now, and takes it from its rate limit.  Any thread. */
bool
gre_port_reflect_allowed(struct gre_port *port)
{
    return withdraw(port, &port->reflect_bucket, 100);
}

#define RX_SEQ_VALID (UINT64_C(1) << 32)

/* Decides whether 'port', which checks sequence numbers, accepts a packet
 * with sequence number 'seq'.  The first packet after configuration is
 * accepted; after that, a packet is accepted if 'seq' is not behind the
 * next expected number in serial-number arithmetic (RFC 1982), so numbers
 * may jump forward (lost packets) and wrap at 2**32.  Safe to call from
 * several threads at once. */
bool
gre_port_seq_accept(struct gre_port *port, uint32_t seq)
{
    uint64_t old, new;

    atomic_read_relaxed(&port->rx_seq, &old);
    do {
        if (old & RX_SEQ_VALID && (int32_t) (seq - (uint32_t) old) < 0) {
            return false;
        }
        new = RX_SEQ_VALID | (uint32_t) (seq + 1);
    } while (!atomic_compare_exchange_weak_relaxed(&port->rx_seq, &old,
                                                    new));
    return true;
}

/* Returns the counters of packets of 'type' dropped before their port was
 * known. */
struct gre_stats *
gre_type_stats(const struct gre_type *type)
{
    return &type_stats[type->index];
}

static void
format_drops(struct ds *s, const struct gre_stats_snapshot *snap)
{
    bool any = false;

    ds_put_cstr(s, "  drops:");
    for (int i = 0; i < GRE_N_DROPS; i++) {
        if (snap->drops[i]) {
            ds_put_format(s, " %s=%"PRIu64, gre_drop_name(i), snap->drops[i]);
            any = true;
        }
    }
    ds_put_cstr(s, any ? "\n" : " none\n");
}

/* Appends to 's' what a port of 'type' configured as 'opts' costs, and
 * the tunnel MTU that leaves, by 'route_mtu'. */
static void
format_mtu(struct ds *s, const struct gre_type *type,
           const struct gre_options *opts, gre_route_mtu_func *route_mtu)
{
    bool ipv6;
    int overhead = gre_mtu_overhead(type, opts, &ipv6);
    char dev[16];
    int mtu, learned;

    ds_put_format(s, "  mtu: overhead=%d", overhead);
    if (opts->remote_ip_flow) {
        ds_put_cstr(s, " tunnel=per remote (remote_ip=flow)\n");
        return;
    }
    mtu = route_mtu(&opts->remote_ip, (opts->egress_pkt_mark_set
                                       ? opts->egress_pkt_mark : 0), dev,
                    &learned);
    if (mtu && learned && learned < mtu) {
        ds_put_format(s, " tunnel=%d (%s %d, path %d learned)\n",
                      learned - overhead, dev, mtu, learned);
    } else if (mtu) {
        ds_put_format(s, " tunnel=%d (%s %d)\n", mtu - overhead, dev, mtu);
    } else if (learned) {
        ds_put_format(s, " tunnel=%d (path %d learned)\n",
                      learned - overhead, learned);
    } else {
        ds_put_cstr(s, " tunnel=unknown (no route to remote_ip)\n");
    }
}

/* Appends to 's' the path MTU events of 'snap' that are not zero, if
 * any. */
static void
format_events(struct ds *s, const struct gre_stats_snapshot *snap)
{
    bool any = false;

    for (int i = 0; i < GRE_EVENT_KEEPALIVE_SENT; i++) {
        if (snap->events[i]) {
            ds_put_format(s, "%s %s=%"PRIu64, any ? "" : "  pmtu:",
                          gre_event_name(i), snap->events[i]);
            any = true;
        }
    }
    if (any) {
        ds_put_char(s, '\n');
    }
}

/* Appends to 's' the keepalive state of 'port', if it has had keepalives,
 * and its keepalive counts (those of reflection too) that are not zero. */
static void
format_keepalive(struct ds *s, const struct gre_port *port,
                 const struct gre_stats_snapshot *snap)
{
    struct gre_keepalive *ka = gre_port_keepalive(port);
    bool any = false;

    if (ka) {
        struct gre_keepalive_status ks;

        gre_keepalive_status(ka, &ks);
        if (ks.enabled) {
            ds_put_format(s, "  keepalive: %s (every %d s, down after %d)",
                          ks.up ? "up" : "down", ks.period, ks.retries);
        } else {
            ds_put_cstr(s, "  keepalive: disabled");
        }
        any = true;
    }
    for (int i = GRE_EVENT_KEEPALIVE_SENT; i < GRE_N_EVENTS; i++) {
        if (snap->events[i]) {
            ds_put_format(s, "%s %s=%"PRIu64, any ? "" : "  keepalive:",
                          gre_event_name(i), snap->events[i]);
            any = true;
        }
    }
    if (any) {
        ds_put_char(s, '\n');
    }
}

static void
format_port(struct ds *s, const struct gre_port *port,
            gre_route_mtu_func *route_mtu)
    OVS_REQUIRES(ports_mutex)
{
    const struct gre_options *opts
        = ovsrcu_get_protected(struct gre_options *, &port->opts);
    struct gre_stats_snapshot snap;
    struct smap config = SMAP_INITIALIZER(&config);
    const struct smap_node **nodes;

    gre_options_format(port->type, opts, &config);
    nodes = smap_sort(&config);
    ds_put_format(s, "%s: type=%s\n  config:", port->name, port->type->name);
    for (size_t i = 0; i < smap_count(&config); i++) {
        ds_put_format(s, " %s=%s", nodes[i]->key, nodes[i]->value);
    }
    ds_put_char(s, '\n');
    free(nodes);
    smap_destroy(&config);
    format_mtu(s, port->type, opts, route_mtu);

    gre_stats_read(&port->stats, &snap);
    ds_put_format(s, "  tx: packets=%"PRIu64" bytes=%"PRIu64"\n",
                  snap.tx_packets, snap.tx_bytes);
    ds_put_format(s, "  rx: packets=%"PRIu64" bytes=%"PRIu64"\n",
                  snap.rx_packets, snap.rx_bytes);
    format_drops(s, &snap);
    format_events(s, &snap);
    format_keepalive(s, port, &snap);
}

/* Appends to 's' a description of the port called 'name', or of every port
 * and then the per-type drops if 'name' is NULL.  'route_mtu' finds the
 * underlay's MTU. */
void
gre_port_show(struct ds *s, const char *name, gre_route_mtu_func *route_mtu)
{
    ovs_mutex_lock(&ports_mutex);
    if (name) {
        const struct gre_port *port = shash_find_data(&ports, name);

        if (port) {
            format_port(s, port, route_mtu);
        }
    } else {
        const struct shash_node **nodes = shash_sort(&ports);

        for (size_t i = 0; i < shash_count(&ports); i++) {
            format_port(s, nodes[i]->data, route_mtu);
        }
        free(nodes);

        for (int i = 0; i < GRE_N_TYPES; i++) {
            struct gre_stats_snapshot snap;

            bool events = false;

            gre_stats_read(&type_stats[i], &snap);
            for (int j = 0; j < GRE_N_EVENTS; j++) {
                events = events || snap.events[j];
            }
            if (gre_stats_count_kind(&snap, GRE_RX_ERROR)
                || gre_stats_count_kind(&snap, GRE_RX_DROPPED)
                || gre_stats_count_kind(&snap, GRE_TX_DROPPED) || events) {
                ds_put_format(s, "%s: datapath port of type %s\n",
                              gre_types[i].dpif_port, gre_types[i].name);
                format_drops(s, &snap);
                format_events(s, &snap);
            }
        }
    }
    ovs_mutex_unlock(&ports_mutex);
}

/* Returns true if a GRE-family port called 'name' exists. */
bool
gre_port_exists(const char *name)
{
    bool exists;

    ovs_mutex_lock(&ports_mutex);
    exists = shash_find(&ports, name) != NULL;
    ovs_mutex_unlock(&ports_mutex);
    return exists;
}
