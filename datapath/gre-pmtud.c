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

#include "dp-packet.h"
#include "gre-header.h"
#include "gre-layout.h"
#include "gre-mtu.h"
#include "gre-options.h"
#include "gre-port.h"
#include "gre-stats.h"
#include "hash.h"
#include "netdev-provider.h"
#include "netdev.h"
#include "odp-netlink.h"
#include "openvswitch/poll-loop.h"
#include "ovs-router.h"
#include "ovs-thread.h"
#include "packets.h"
#include "seq.h"
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
 * the route to its outer destination leaves, or 0 if it is not known. */
int
gre_pmtud_underlay_mtu(const struct ovs_action_push_tnl *data,
                       const struct gre_push_plan *plan, uint32_t mark)
{
    struct mtu_cache *cache = mtu_cache_get();
    struct mtu_cache_entry *e;
    long long int now = time_msec();
    struct in6_addr dst;

    gre_pmtud_template_dst(data, plan, &dst);

    e = &cache->entries[hash_bytes(&dst, sizeof dst, mark)
                        % MTU_CACHE_SIZE];
    if (e->expires <= now || e->mark != mark
        || !ipv6_addr_equals(&e->dst, &dst)) {
        e->dst = dst;
        e->mark = mark;
        char dev[IFNAMSIZ];

        e->mtu = gre_pmtud_route_mtu(&dst, mark, dev);
        e->expires = now + MTU_CACHE_MSEC;
    }
    return e->mtu;
}

/* ICMP errors on their way into the bridge. */

/* At most this many wait for the main thread; more are counted as
 * ratelimited. */
#define ICMP_QUEUE_MAX 64

static struct ovs_mutex icmp_mutex = OVS_MUTEX_INITIALIZER;
static struct dp_packet *icmp_queue[ICMP_QUEUE_MAX] OVS_GUARDED_BY(icmp_mutex);
static size_t icmp_head OVS_GUARDED_BY(icmp_mutex);
static size_t icmp_count OVS_GUARDED_BY(icmp_mutex);

/* Changes when an error is queued. */
static struct seq *
icmp_seq(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    static struct seq *seq;

    if (ovsthread_once_start(&once)) {
        seq = seq_create();
        ovsthread_once_done(&once);
    }
    return seq;
}

/* Queues 'icmp' for the main thread.  Returns false, and deletes it, if
 * the queue is full. */
static bool
icmp_enqueue(struct dp_packet *icmp)
{
    bool queued = false;

    ovs_mutex_lock(&icmp_mutex);
    if (icmp_count < ICMP_QUEUE_MAX) {
        icmp_queue[(icmp_head + icmp_count++) % ICMP_QUEUE_MAX] = icmp;
        queued = true;
    }
    ovs_mutex_unlock(&icmp_mutex);

    if (queued) {
        seq_change(icmp_seq());
    } else {
        dp_packet_delete(icmp);
    }
    return queued;
}

/* Returns the oldest queued ICMP error, which the caller must run through
 * the datapath from its metadata's in_port and then delete, or NULL if
 * none waits.  Main thread. */
struct dp_packet *
gre_pmtud_next_icmp(void)
{
    struct dp_packet *icmp = NULL;

    ovs_mutex_lock(&icmp_mutex);
    if (icmp_count) {
        icmp = icmp_queue[icmp_head];
        icmp_head = (icmp_head + 1) % ICMP_QUEUE_MAX;
        icmp_count--;
    }
    ovs_mutex_unlock(&icmp_mutex);
    return icmp;
}

/* Makes the main loop wake up when an ICMP error is queued. */
void
gre_pmtud_wait(void)
{
    uint64_t seqno = seq_read(icmp_seq());
    size_t n;

    ovs_mutex_lock(&icmp_mutex);
    n = icmp_count;
    ovs_mutex_unlock(&icmp_mutex);
    if (n) {
        poll_immediate_wake();
    } else {
        seq_wait(icmp_seq(), seqno);
    }
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
    if (icmp_enqueue(icmp)) {
        gre_stats_add(&port->stats.events[GRE_EVENT_ICMP_TOO_BIG], 1);
    } else {
        gre_stats_add(&port->stats.events[GRE_EVENT_ICMP_RATELIMITED], 1);
    }
}

/* Decides what leaves in place of 'packet', which is sent by 'port' (the
 * sender of the template in 'data' laid out as 'plan' says, with
 * endpoints and key 'k') and whose outer IP packet would exceed
 * 'underlay_mtu'; see gre-pmtud.h for the rules.  Returns the number of
 * packets that leave, stored in 'out' (room for 'max'): 1 for 'packet'
 * itself, more for its fragments (then 'packet' is deleted), 0 if it is
 * dropped (deleted and counted). */
size_t
gre_pmtud_too_big(struct gre_port *port, const struct gre_port_key *k,
                  const struct ovs_action_push_tnl *data,
                  const struct gre_push_plan *plan, int underlay_mtu,
                  struct dp_packet *packet, struct dp_packet **out,
                  size_t max)
{
    const struct gre_options *opts = gre_port_options(port);
    int outer_len = data->header_len - plan->lay.l3;
    struct gre_mtu_inner in;
    size_t n;
    int mtu;

    if (port->type->kind != GRE_KIND_GRE) {
        out[0] = packet;
        return 1;
    }

    gre_mtu_inner_parse(packet, packet->packet_type == htonl(PT_ETH), &in);
    mtu = underlay_mtu - outer_len - (int) in.l3;
    if (in.ip_version == 4 && !in.df) {
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
        out[0] = packet;
        return 1;
    }
    if (in.ip_version) {
        send_too_big(port, k, data, packet, &in, mtu);
    }
    gre_stats_add(&port->stats.drops[GRE_DROP_TOO_BIG], 1);
    dp_packet_delete(packet);
    return 0;
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
