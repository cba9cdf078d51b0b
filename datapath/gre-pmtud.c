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

/* Packets too big for the tunnel; see gre-pmtud.h. */

#include <config.h>

#include "gre-pmtud.h"

#include <net/if.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "gre-header.h"
#include "gre-layout.h"
#include "gre-mtu.h"
#include "gre-options.h"
#include "gre-pktq.h"
#include "gre-port.h"
#include "gre-stats.h"
#include "gre-wire.h"
#include "hash.h"
#include "netdev-provider.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "odp-netlink.h"
#include "ovs-router.h"
#include "ovs-thread.h"
#include "packets.h"
#include "random.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"

/* The underlay MTU. */

BUILD_ASSERT_DECL(IFNAMSIZ == 16);

/* How long a datapath thread trusts an MTU it looked up. */
#define MTU_CACHE_MSEC 1000

/* A datapath thread's MTUs, by outer destination and mark, direct
 * mapped. */
#define MTU_CACHE_SIZE 16
struct mtu_cache_entry {
    struct in6_addr dst;
    uint32_t mark;
    int mtu;                    /* 0 if not known. */
    long long int expires;      /* 0 for an empty entry. */
    uint64_t gen;               /* 'learned_gen' when looked up. */
};

struct mtu_cache {
    struct mtu_cache_entry entries[MTU_CACHE_SIZE];
};

DEFINE_STATIC_PER_THREAD_DATA(struct mtu_cache, mtu_cache,
                              { .entries = { { .expires = 0 } } });

/* Returns the MTU of the interface the route to 'dst' with 'mark' leaves
 * by, and stores its name in 'out_dev', or returns 0 if there is no route
 * or the interface is not known.  Any thread. */
int
gre_pmtud_route_mtu(const struct in6_addr *dst, uint32_t mark,
                    char out_dev[IFNAMSIZ])
{
    struct in6_addr src = in6addr_any, gw;
    struct netdev *netdev;
    int mtu = 0;

    out_dev[0] = '\0';
    if (ovs_router_lookup(mark, dst, out_dev, &src, &gw)) {
        netdev = netdev_from_name(out_dev);
        if (netdev) {
            if (netdev_get_mtu(netdev, &mtu)) {
                mtu = 0;
            }
            netdev_close(netdev);
        }
    }
    return mtu > 0 ? mtu : 0;
}

/* Path MTUs learned from the underlay's ICMP errors, by remote endpoint
 * (IPv4 mapped), as Linux keeps them in its route cache. */

/* How long a learned MTU holds (Linux's ip_rt_mtu_expires). */
#define LEARNED_MSEC (10 * 60 * 1000)

/* At most this many remotes at once: with remote_ip=flow, any address
 * could be quoted. */
#define LEARNED_MAX 4096

struct learned_mtu {
    struct hmap_node node;      /* In 'learned', by remote. */
    struct in6_addr remote;
    int mtu;
    long long int expires;
};

static struct ovs_mutex learned_mutex = OVS_MUTEX_INITIALIZER;
static struct hmap learned OVS_GUARDED_BY(learned_mutex)
    = HMAP_INITIALIZER(&learned);

/* Changes whenever a path MTU is learned, so that the datapath threads'
 * caches of MTUs look again at once. */
static atomic_uint64_t learned_gen = 0;

/* Returns the entry for 'remote', forgetting it if it has expired by
 * 'now'. */
static struct learned_mtu *
learned_find(const struct in6_addr *remote, long long int now)
    OVS_REQUIRES(learned_mutex)
{
    struct learned_mtu *l;

    HMAP_FOR_EACH_WITH_HASH (l, node, hash_bytes(remote, sizeof *remote, 0),
                             &learned) {
        if (ipv6_addr_equals(&l->remote, remote)) {
            if (l->expires <= now) {
                hmap_remove(&learned, &l->node);
                free(l);
                return NULL;
            }
            return l;
        }
    }
    return NULL;
}

/* Returns the path MTU learned for 'remote', or 0 if none is. */
static int
learned_mtu(const struct in6_addr *remote)
{
    struct learned_mtu *l;
    int mtu;

    ovs_mutex_lock(&learned_mutex);
    l = learned_find(remote, time_msec());
    mtu = l ? l->mtu : 0;
    ovs_mutex_unlock(&learned_mutex);
    return mtu;
}

/* Learns that the path to 'remote' carries 'mtu' bytes, if that is below
 * the path MTU known so far: the one learned before, or 'route_mtu', that
 * of the route's interface (0 if not known).  One that says the same as
 * the MTU learned before holds it for longer.  Returns true if it
 * learned. */
static bool
learn(const struct in6_addr *remote, int mtu, int route_mtu)
{
    long long int now = time_msec();
    struct learned_mtu *l;
    bool learned_it = false;
    int current;

    ovs_mutex_lock(&learned_mutex);
    l = learned_find(remote, now);
    current = l && (!route_mtu || l->mtu < route_mtu) ? l->mtu : route_mtu;
    if (l && l->mtu == mtu) {
        l->expires = now + LEARNED_MSEC;
        learned_it = true;
    } else if (!current || mtu < current) {
        if (!l && hmap_count(&learned) >= LEARNED_MAX) {
            struct learned_mtu *old;

            HMAP_FOR_EACH_SAFE (old, node, &learned) {
                if (old->expires <= now) {
                    hmap_remove(&learned, &old->node);
                    free(old);
                }
            }
        }
        if (!l && hmap_count(&learned) < LEARNED_MAX) {
            l = xzalloc(sizeof *l);
            l->remote = *remote;
            hmap_insert(&learned, &l->node,
                        hash_bytes(remote, sizeof *remote, 0));
        }
        if (l) {
            l->mtu = mtu;
            l->expires = now + LEARNED_MSEC;
            learned_it = true;
        }
    }
    ovs_mutex_unlock(&learned_mutex);

    if (learned_it) {
        uint64_t gen;

        atomic_add_relaxed(&learned_gen, 1, &gen);
    }
    return learned_it;
}

/* Returns the path MTU to 'dst' routed with 'mark': the MTU of the
 * interface by which the route leaves, whose name it stores in 'out_dev',
 * lowered by the path MTU learned from the underlay; 0 if neither is
 * known.  Any thread. */
int
gre_pmtud_path_mtu(const struct in6_addr *dst, uint32_t mark,
                   char out_dev[IFNAMSIZ])
{
    int mtu = gre_pmtud_route_mtu(dst, mark, out_dev);
    int path = learned_mtu(dst);

    return path && (!mtu || path < mtu) ? path : mtu;
}

/* The MTUs that 'gre/show' prints: see gre_route_mtu_func. */
int
gre_pmtud_show_mtu(const struct in6_addr *dst, uint32_t mark,
                   char out_dev[IFNAMSIZ], int *learned_p)
{
    *learned_p = learned_mtu(dst);
    return gre_pmtud_route_mtu(dst, mark, out_dev);
}

/* Appends to 's' the path MTUs learned now, one line each after a
 * heading, sorted by remote, or nothing if none is. */
void
gre_pmtud_show_learned(struct ds *s)
{
    long long int now = time_msec();
    struct learned_mtu *l;
    struct svec lines = SVEC_EMPTY_INITIALIZER;

    ovs_mutex_lock(&learned_mutex);
    HMAP_FOR_EACH (l, node, &learned) {
        if (l->expires > now) {
            struct ds line = DS_EMPTY_INITIALIZER;

            ipv6_format_mapped(&l->remote, &line);
            ds_put_format(&line, " %d (for %lld s more)", l->mtu,
                          (l->expires - now + 999) / 1000);
            svec_add_nocopy(&lines, ds_steal_cstr(&line));
        }
    }
    ovs_mutex_unlock(&learned_mutex);

    if (lines.n) {
        const char *line;
        size_t i;

        svec_sort(&lines);
        ds_put_cstr(s, "path MTUs learned from the underlay:\n");
        SVEC_FOR_EACH (i, line, &lines) {
            ds_put_format(s, "  %s\n", line);
        }
    }
    svec_destroy(&lines);
}

/* Forgets every learned path MTU: for tests. */
void
gre_pmtud_forget(void)
{
    struct learned_mtu *l;
    uint64_t gen;

    ovs_mutex_lock(&learned_mutex);
    HMAP_FOR_EACH_POP (l, node, &learned) {
        free(l);
    }
    ovs_mutex_unlock(&learned_mutex);
    atomic_add_relaxed(&learned_gen, 1, &gen);
}

/* Stores in 'dst' the outer destination of the header template in 'data',
 * laid out as 'plan' says (IPv4 mapped for IPv4). */
void
gre_pmtud_template_dst(const struct ovs_action_push_tnl *data,
                       const struct gre_push_plan *plan, struct in6_addr *dst)
{
    const uint8_t *ip = (const uint8_t *) data->header + plan->lay.l3;

    if (plan->lay.ipv6) {
        memcpy(dst, &ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *,
                                  ip)->ip6_dst, sizeof *dst);
    } else {
        in6_addr_set_mapped_ipv4(dst, get_16aligned_be32(
            &ALIGNED_CAST(const struct ip_header *, ip)->ip_dst));
    }
}

/* Returns the MTU of the underlay for the header template in 'data', laid
 * out as 'plan' says, routed with 'mark': that of the interface by which
 * the route to its outer destination leaves, lowered by a path MTU learned
 * for it, or 0 if neither is known. */
int
gre_pmtud_underlay_mtu(const struct ovs_action_push_tnl *data,
                       const struct gre_push_plan *plan, uint32_t mark)
{
    struct mtu_cache *cache = mtu_cache_get();
    struct mtu_cache_entry *e;
    long long int now = time_msec();
    struct in6_addr dst;
    uint64_t gen;

    gre_pmtud_template_dst(data, plan, &dst);
    atomic_read_relaxed(&learned_gen, &gen);
    e = &cache->entries[hash_bytes(&dst, sizeof dst, mark)
                        % MTU_CACHE_SIZE];
    if (e->expires <= now || e->mark != mark || e->gen != gen
        || !ipv6_addr_equals(&e->dst, &dst)) {
        char dev[IFNAMSIZ];

        e->dst = dst;
        e->mark = mark;
        e->gen = gen;
        e->mtu = gre_pmtud_path_mtu(&dst, mark, dev);
        e->expires = now + MTU_CACHE_MSEC;
    }
    return e->mtu;
}

/* ICMP errors on their way into the bridge. */

/* ICMP errors waiting for the main thread; more than the queue holds are
 * counted as ratelimited. */
static struct gre_pktq icmp_queue = GRE_PKTQ_INITIALIZER;

/* Returns the oldest queued ICMP error, which the caller must run through
 * the datapath from its metadata's in_port and then delete, or NULL if
 * none waits.  Main thread. */
struct dp_packet *
gre_pmtud_next_icmp(void)
{
    return gre_pktq_get(&icmp_queue);
}

/* Makes the main loop wake up when an ICMP error is queued. */
void
gre_pmtud_wait(void)
{
    gre_pktq_wait(&icmp_queue, gre_pktq_seqno());
}

/* Gives 'icmp' the metadata of a packet that 'port' received from the
 * remote endpoint of 'k', the endpoints and key of a header template
 * sent by 'port' through datapath port 'tnl_port'. */
static void
icmp_metadata(struct dp_packet *icmp, const struct gre_port *port,
              const struct gre_port_key *k, odp_port_t tnl_port)
{
    const struct gre_options *opts = gre_port_options(port);
    struct pkt_metadata *md = &icmp->md;
    struct flow_tnl *tnl = &md->tunnel;

    /* This clears the tunnel metadata and everything before it, the
     * input port too. */
    pkt_metadata_init_tnl(md);
    md->in_port.odp_port = tnl_port;
    if (k->ipv6) {
        tnl->ipv6_src = k->remote;
        tnl->ipv6_dst = k->local;
    } else {
        tnl->ip_src = in6_addr_get_mapped_ipv4(&k->remote);
        tnl->ip_dst = in6_addr_get_mapped_ipv4(&k->local);
    }
    tnl->ip_ttl = 64;

    /* The key the port receives with: its own in_key, or with in_key=flow
     * the key of this flow. */
    if (opts->in_key.flow && k->has_key) {
        tnl->tun_id = be32_to_be64(k->key);
        tnl->flags |= FLOW_TNL_F_KEY;
    } else if (opts->in_key.present && !opts->in_key.flow) {
        tnl->tun_id = opts->in_key.value;
        tnl->flags |= FLOW_TNL_F_KEY;
    }
}

/* The push's decision. */

/* Answers 'packet', which does not fit, with an ICMP error that says
 * 'mtu' if the rules allow one and the port's rate limit has room. */
static void
send_too_big(struct gre_port *port, const struct gre_port_key *k,
             const struct ovs_action_push_tnl *data,
             const struct dp_packet *packet,
             const struct gre_mtu_inner *in, int mtu)
{
    struct dp_packet *icmp;

    if (!gre_port_icmp_allowed(port)) {
        gre_stats_add(&port->stats.events[GRE_EVENT_ICMP_RATELIMITED], 1);
        return;
    }
    icmp = gre_mtu_icmp_too_big(packet, in, mtu);
    if (!icmp) {
        return;
    }
    icmp_metadata(icmp, port, k, data->tnl_port);
    if (gre_pktq_put(&icmp_queue, icmp)) {
        gre_stats_add(&port->stats.events[GRE_EVENT_ICMP_TOO_BIG], 1);
    } else {
        gre_stats_add(&port->stats.events[GRE_EVENT_ICMP_RATELIMITED], 1);
    }
}

/* Returns true if the header template in 'data', laid out as 'plan'
 * says, lets the underlay fragment its packets: IPv4 without DF. */
static bool
template_fragmentable(const struct ovs_action_push_tnl *data,
                      const struct gre_push_plan *plan)
{
    const struct ip_header *ip;

    if (plan->lay.ipv6) {
        return false;
    }
    ip = ALIGNED_CAST(const struct ip_header *,
                      (const uint8_t *) data->header + plan->lay.l3);
    return !(ip->ip_frag_off & htons(IP_DONT_FRAGMENT));
}

/* Decides what leaves in place of 'packet', which is sent by 'port' (the
 * sender of the template in 'data' laid out as 'plan' says, with
 * endpoints and key 'k') and whose outer IP packet would exceed
 * 'underlay_mtu'; see gre-pmtud.h for the rules.  Returns the number of
 * packets that leave, stored in 'out' (room for 'max'): 1 for 'packet'
 * itself, more for its fragments (then 'packet' is deleted), 0 if it is
 * dropped (deleted and counted).  Stores in '*then' what the push does
 * with the packets once their header is pushed. */
size_t
gre_pmtud_too_big(struct gre_port *port, const struct gre_port_key *k,
                  const struct ovs_action_push_tnl *data,
                  const struct gre_push_plan *plan, int underlay_mtu,
                  struct dp_packet *packet, struct dp_packet **out,
                  size_t max, enum gre_pmtud_then *then)
{
    const struct gre_options *opts = gre_port_options(port);
    int outer_len = data->header_len - plan->lay.l3;
    struct gre_mtu_inner in;
    size_t n;
    int mtu;

    *then = GRE_PMTUD_PUSH;
    out[0] = packet;
    if (port->type->kind == GRE_KIND_ERSPAN) {
        /* A mirrored frame is cut to what fits, as Linux's erspan does:
         * its headers are what a collector needs. */
        if (underlay_mtu - outer_len >= ETH_HEADER_LEN) {
            dp_packet_set_size(packet, underlay_mtu - outer_len);
            *then = GRE_PMTUD_TRUNCATED;
            gre_stats_add(&port->stats.events[GRE_EVENT_TRUNCATED], 1);
        }
        return 1;
    }

    gre_mtu_inner_parse(packet, packet->packet_type == htonl(PT_ETH), &in);
    mtu = underlay_mtu - outer_len - (int) in.l3;
    if (in.ip_version == 6 && mtu < GRE_MTU_MIN_IPV6) {
        /* A tunnel MTU below IPv6's minimum is the tunnel's to hide
         * (RFC 2473 section 7.1): a packet of up to 1280 bytes goes out in
         * outer fragments, a larger one is too big for 1280. */
        if (dp_packet_size(packet) - in.l3 <= GRE_MTU_MIN_IPV6) {
            *then = GRE_PMTUD_FRAGMENT_OUTER;
            return 1;
        }
        mtu = GRE_MTU_MIN_IPV6;
    } else if (in.ip_version != 6 && !in.df
               && template_fragmentable(data, plan)) {
        /* The outer packet may be fragmented, and the inner one may be or
         * is not IP: RFC 4459 section 3.1, as Linux's nopmtudisc. */
        *then = GRE_PMTUD_FRAGMENT_OUTER;
        return 1;
    } else if (in.ip_version == 4 && !in.df) {
        n = gre_mtu_fragment4(packet, &in, mtu, out, max);
        if (!n) {
            gre_stats_add(&port->stats.drops[GRE_DROP_FRAG_NO_ROOM], 1);
            dp_packet_delete(packet);
            return 0;
        }
        for (size_t i = 0; i < n; i++) {
            out[i]->md = packet->md;
        }
        gre_stats_add(&port->stats.events[GRE_EVENT_FRAGMENTED], 1);
        gre_stats_add(&port->stats.events[GRE_EVENT_FRAGMENTS], n);
        dp_packet_delete(packet);
        return n;
    }

    if (!opts->pmtud) {
        return 1;
    }
    if (in.ip_version) {
        send_too_big(port, k, data, packet, &in, mtu);
    }
    gre_stats_add(&port->stats.drops[GRE_DROP_TOO_BIG], 1);
    dp_packet_delete(packet);
    return 0;
}

/* Identifications for the outer fragments of IPv4 and IPv6 packets. */
static uint32_t
next_fragment_id(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    static atomic_uint32_t next;
    uint32_t id;

    if (ovsthread_once_start(&once)) {
        atomic_init(&next, random_uint32());
        ovsthread_once_done(&once);
    }
    atomic_add_relaxed(&next, 1, &id);
    return id;
}

/* Fragments 'packet', which 'port' sends with the header laid out as
 * 'plan' says already pushed, into outer IP packets of at most
 * 'underlay_mtu' bytes: IPv4 fragments (without DF, which an IPv6
 * payload's packet may have had) or IPv6 fragments with a Fragment header.
 * Returns the number of packets that leave, stored in 'out' (room for
 * 'max'), and deletes 'packet'; or returns 0 and drops 'packet' (deleted
 * and counted) if its fragments do not fit. */
static size_t
fragment_outer(struct gre_port *port, const struct gre_push_plan *plan,
               int underlay_mtu, struct dp_packet *packet,
               struct dp_packet **out, size_t max)
{
    uint32_t id = next_fragment_id();
    size_t n;

    if (plan->lay.ipv6) {
        n = gre_mtu_fragment6(packet, plan->lay.l3, underlay_mtu, htonl(id),
                              out, max);
    } else {
        struct ip_header *ip = ALIGNED_CAST(
            struct ip_header *,
            (uint8_t *) dp_packet_data(packet) + plan->lay.l3);
        struct gre_mtu_inner in = { .l3 = plan->lay.l3, .ip_version = 4 };

        /* gre_mtu_fragment4() computes the fragments' checksums. */
        ip->ip_id = htons(id);
        ip->ip_frag_off &= ~htons(IP_DONT_FRAGMENT);
        n = gre_mtu_fragment4(packet, &in, underlay_mtu, out, max);
    }
    if (!n) {
        gre_stats_add(&port->stats.drops[GRE_DROP_FRAG_NO_ROOM], 1);
    } else {
        gre_stats_add(&port->stats.events[GRE_EVENT_OUTER_FRAGMENTED], 1);
        gre_stats_add(&port->stats.events[GRE_EVENT_FRAGMENTS], n);
    }
    dp_packet_delete(packet);
    return n;
}

/* Finishes 'packet', which gre_pmtud_too_big() let 'port' send with what
 * to do in 'then' (not GRE_PMTUD_PUSH), now that its header, laid out as
 * 'plan' says, is pushed: sets the ERSPAN T bit of a truncated frame, or
 * fragments the outer packet to fit 'underlay_mtu'.  Returns the number of
 * packets that leave in its place, stored in 'out' (room for 'max'), or 0
 * if it is dropped (deleted and counted). */
size_t
gre_pmtud_finish(struct gre_port *port, const struct gre_push_plan *plan,
                 int underlay_mtu, enum gre_pmtud_then then,
                 struct dp_packet *packet, struct dp_packet **out,
                 size_t max)
{
    if (then == GRE_PMTUD_TRUNCATED) {
        uint8_t *erspan = ((uint8_t *) dp_packet_data(packet)
                           + plan->lay.erspan);

        erspan_word_put(erspan, 0,
                        erspan_word_get(erspan, 0) | ERSPAN_T_MASK);
        out[0] = packet;
        return 1;
    }
    return fragment_outer(port, plan, underlay_mtu, packet, out, max);
}

/* Lowers the MSS option of 'packet', a packet about to be sent by 'port'
 * (whose mss_clamp is set) in the template in 'data' laid out as 'plan'
 * says, if it is a TCP SYN or SYN-ACK that announces more than the port
 * allows: its mss_clamp number, or with mss_clamp=true what fits in the
 * tunnel MTU for 'underlay_mtu' (nothing if that is 0, not known). */
void
gre_pmtud_clamp_mss(struct gre_port *port, struct dp_packet *packet,
                    const struct ovs_action_push_tnl *data,
                    const struct gre_push_plan *plan, int underlay_mtu)
{
    const struct gre_options *opts = gre_port_options(port);
    struct gre_mtu_inner in;
    int mss = opts->mss_clamp;

    gre_mtu_inner_parse(packet, packet->packet_type == htonl(PT_ETH), &in);
    if (!in.ip_version) {
        return;
    }
    if (opts->mss_clamp_auto && underlay_mtu) {
        int room = (underlay_mtu - (data->header_len - plan->lay.l3)
                    - (int) in.l3
                    - (in.ip_version == 4 ? IP_HEADER_LEN : IPV6_HEADER_LEN)
                    - TCP_HEADER_LEN);

        if (room > 0 && (!mss || room < mss)) {
            mss = room;
        }
    }
    if (mss > 0 && mss <= UINT16_MAX
        && gre_mtu_clamp_mss(packet, &in, mss,
                             !(*dp_packet_ol_flags_ptr(packet)
                               & DP_PACKET_OL_TX_L4_MASK))) {
        gre_stats_add(&port->stats.events[GRE_EVENT_MSS_CLAMPED], 1);
    }
}

/* ICMP errors from the underlay. */

/* What an ICMP error says of the packet it quotes. */
struct icmp_quote {
    struct gre_port_key k;      /* The quoted packet's endpoints (local is
                                 * its source) and key, if quoted. */
    bool key_quoted;            /* False if its key, if any, is cut off. */
    int mtu;                    /* The MTU the error reports. */
};

/* Reads the GRE header of a quoted packet, the 'len' bytes at 'gre', into
 * 'q'.  Returns false if it is not a GRE header of ours to send. */
static bool
parse_quoted_gre(const uint8_t *gre, size_t len, struct icmp_quote *q)
{
    const struct gre_base_hdr *base;
    uint16_t flags;
    size_t key_ofs;

    if (len < sizeof *base) {
        return false;
    }
    base = ALIGNED_CAST(const struct gre_base_hdr *, gre);
    flags = ntohs(base->flags);
    if (flags & GRE_VERSION) {
        return false;
    }
    if (base->protocol == htons(ETH_TYPE_ERSPAN1)
        || base->protocol == htons(ETH_TYPE_ERSPAN2)) {
        /* The session ID is past the sequence number: the endpoints tell
         * whose packet it was. */
        q->k.kind = GRE_KIND_ERSPAN;
        q->key_quoted = false;
        return true;
    }
    q->k.kind = GRE_KIND_GRE;
    q->key_quoted = true;
    if (flags & GRE_KEY) {
        key_ofs = sizeof *base + (flags & GRE_CSUM ? GRE_OPTION_LEN : 0);
        if (len >= key_ofs + sizeof q->k.key) {
            q->k.has_key = true;
            memcpy(&q->k.key, gre + key_ofs, sizeof q->k.key);
        } else {
            q->key_quoted = false;
        }
    }
    return true;
}

/* Reads the ICMP Fragmentation Needed that starts at the IPv4 header
 * 'l3', 'avail' bytes long, into 'q'.  Returns false if it is not one
 * (with correct IPv4 and ICMP checksums) about a GRE packet its
 * destination sent. */
static bool
parse_icmp4(const uint8_t *l3, size_t avail, struct icmp_quote *q)
{
    const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *, l3);
    const struct icmp_header *icmp;
    const struct ip_header *qip;
    size_t ihl, tot_len, len, qihl;

    if (avail < IP_HEADER_LEN) {
        return false;
    }
    ihl = IP_IHL(ip->ip_ihl_ver) * 4;
    tot_len = ntohs(ip->ip_tot_len);
    if (ihl < IP_HEADER_LEN || tot_len > avail || tot_len < ihl
        || ip->ip_proto != IPPROTO_ICMP || IP_IS_FRAGMENT(ip->ip_frag_off)
        || csum(ip, ihl)) {
        return false;
    }
    len = tot_len - ihl;
    icmp = ALIGNED_CAST(const struct icmp_header *, l3 + ihl);
    if (len < ICMP_HEADER_LEN + IP_HEADER_LEN + sizeof (struct gre_base_hdr)
        || icmp->icmp_type != ICMP4_DST_UNREACH
        || icmp->icmp_code != ICMP4_CODE_FRAG_NEEDED
        || csum(icmp, len)) {
        return false;
    }
    q->mtu = ntohs(icmp->icmp_fields.frag.mtu);

    qip = ALIGNED_CAST(const struct ip_header *, l3 + ihl + ICMP_HEADER_LEN);
    len -= ICMP_HEADER_LEN;
    qihl = IP_IHL(qip->ip_ihl_ver) * 4;
    if (IP_VER(qip->ip_ihl_ver) != 4 || qihl < IP_HEADER_LEN || len < qihl
        || qip->ip_proto != IPPROTO_GRE
        || get_16aligned_be32(&qip->ip_src)
           != get_16aligned_be32(&ip->ip_dst)) {
        return false;
    }
    q->k.ipv6 = false;
    in6_addr_set_mapped_ipv4(&q->k.local, get_16aligned_be32(&qip->ip_src));
    in6_addr_set_mapped_ipv4(&q->k.remote, get_16aligned_be32(&qip->ip_dst));
    return parse_quoted_gre((const uint8_t *) qip + qihl, len - qihl, q);
}

/* Reads the ICMPv6 Packet Too Big that starts at the IPv6 header 'l3',
 * 'avail' bytes long, into 'q'.  Returns false if it is not one (with a
 * correct checksum) about a GRE packet its destination sent. */
static bool
parse_icmp6(const uint8_t *l3, size_t avail, struct icmp_quote *q)
{
    const struct ovs_16aligned_ip6_hdr *ip6
        = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, l3);
    const struct ovs_16aligned_ip6_hdr *qip6;
    const struct icmp6_data_header *icmp6;
    size_t len;

    if (avail < IPV6_HEADER_LEN || ip6->ip6_nxt != IPPROTO_ICMPV6) {
        return false;
    }
    len = ntohs(ip6->ip6_plen);
    if (len > avail - IPV6_HEADER_LEN
        || len < (ICMP6_DATA_HEADER_LEN + IPV6_HEADER_LEN
                  + sizeof (struct gre_base_hdr))) {
        return false;
    }
    icmp6 = ALIGNED_CAST(const struct icmp6_data_header *,
                         l3 + IPV6_HEADER_LEN);
    if (icmp6->icmp6_base.icmp6_type != ICMP6_TYPE_PACKET_TOO_BIG
        || icmp6->icmp6_base.icmp6_code
        || csum_finish(csum_continue(packet_csum_pseudoheader6(ip6),
                                     icmp6, len))) {
        return false;
    }
    q->mtu = MIN(ntohl(get_16aligned_be32(&icmp6->icmp6_data.be32[0])),
                 INT_MAX);

    qip6 = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *,
                        l3 + IPV6_HEADER_LEN + ICMP6_DATA_HEADER_LEN);
    len -= ICMP6_DATA_HEADER_LEN;
    if (qip6->ip6_nxt != IPPROTO_GRE
        || memcmp(&qip6->ip6_src, &ip6->ip6_dst, sizeof qip6->ip6_src)) {
        return false;
    }
    q->k.ipv6 = true;
    memcpy(&q->k.local, &qip6->ip6_src, sizeof q->k.local);
    memcpy(&q->k.remote, &qip6->ip6_dst, sizeof q->k.remote);
    return parse_quoted_gre((const uint8_t *) (qip6 + 1),
                            len - IPV6_HEADER_LEN, q);
}

/* Hands 'packet', an ICMP error addressed to 'dst', to the host: to the
 * internal interface by which the route to 'dst' leaves, as the bridge
 * would have, had the tunnel port map not sent it to the pop.  Drops it
 * (counted in 'stats') if there is none. */
static void
icmp_to_host(struct dp_packet *packet, const struct in6_addr *dst,
             struct gre_stats *stats)
{
    struct in6_addr src = in6addr_any, gw;
    char dev[IFNAMSIZ];
    struct netdev *netdev;

    if (ovs_router_lookup(0, dst, dev, &src, &gw)) {
        netdev = netdev_from_name(dev);
        if (netdev) {
            const char *type = netdev_get_type(netdev);

            if (!strcmp(type, "tap") || !strcmp(type, "internal")
                || !strcmp(type, "dummy-internal")) {
                struct dp_packet_batch batch;

                dp_packet_batch_init_packet(&batch, packet);
                netdev_send(netdev, 0, &batch, true);
                netdev_close(netdev);
                return;
            }
            netdev_close(netdev);
        }
    }
    gre_stats_add(&stats->drops[GRE_DROP_ICMP_NO_HOST], 1);
    dp_packet_delete(packet);
}

/* Takes 'packet', an ICMP error addressed to a tunnel endpoint that the
 * tunnel port map sent to the pop (see gre-classes.c), whose l3 offset
 * points to its IP header.  If it is a Fragmentation Needed or Packet Too
 * Big that quotes a packet one of our ports sent (its endpoints, and, for
 * gre and ip6gre, its key if the quote holds it), lowers the path MTU to
 * that port's remote to what it says (never below 552 or 1280) for 10
 * minutes.  Then hands it to the host, for which it was on its way.
 * 'stats' are those of the datapath port that received it. */
void
gre_pmtud_rx_icmp(struct dp_packet *packet, struct gre_stats *stats)
{
    const uint8_t *l3 = dp_packet_l3(packet);
    size_t avail = l3 ? dp_packet_size(packet) - packet->l3_ofs : 0;
    struct gre_port *port = NULL;
    struct icmp_quote q;
    struct in6_addr dst;
    bool ok;

    memset(&q, 0, sizeof q);
    if (!avail) {
        gre_stats_add(&stats->drops[GRE_DROP_ICMP_NO_HOST], 1);
        dp_packet_delete(packet);
        return;
    }
    ok = (IP_VER(l3[0]) == 4 ? parse_icmp4(l3, avail, &q)
          : l3[0] >> 4 == 6 && parse_icmp6(l3, avail, &q));
    if (ok) {
        port = (q.key_quoted ? gre_port_lookup_tx(&q.k)
                : gre_port_lookup_endpoints(q.k.kind, q.k.ipv6, &q.k.local,
                                            &q.k.remote));
    }
    if (port && q.mtu > 0) {
        int floor = q.k.ipv6 ? GRE_MTU_MIN_IPV6 : GRE_MTU_MIN_IPV4;
        int mtu = MAX(q.mtu, floor);
        char dev[IFNAMSIZ];

        if (learn(&q.k.remote, mtu,
                  gre_pmtud_route_mtu(&q.k.remote, 0, dev))) {
            gre_stats_add(&port->stats.events[GRE_EVENT_PMTU_LEARNED], 1);
        } else {
            gre_stats_add(&stats->events[GRE_EVENT_ICMP_IGNORED], 1);
        }
    } else {
        gre_stats_add(&stats->events[GRE_EVENT_ICMP_IGNORED], 1);
    }

    if (IP_VER(l3[0]) == 4) {
        in6_addr_set_mapped_ipv4(&dst, get_16aligned_be32(
            &ALIGNED_CAST(const struct ip_header *, l3)->ip_dst));
    } else {
        memcpy(&dst, &ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *,
                                   l3)->ip6_dst, sizeof dst);
    }
    icmp_to_host(packet, &dst, stats);
}
