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

#include "gre-ka.h"

#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "gre-csum.h"
#include "gre-header.h"
#include "gre-keepalive.h"
#include "gre-layout.h"
#include "gre-options.h"
#include "gre-pktq.h"
#include "gre-port.h"
#include "gre-stats.h"
#include "packets.h"
#include "timeval.h"
#include "util.h"

/* Stores the outer endpoints of a packet whose tunnel metadata is 'tnl'
 * (an IPv4 one if it has an IPv4 destination) in 'src' and 'dst', IPv4
 * mapped. */
static void
outer_ends(const struct flow_tnl *tnl, struct in6_addr *src,
           struct in6_addr *dst)
{
    if (tnl->ip_dst) {
        in6_addr_set_mapped_ipv4(src, tnl->ip_src);
        in6_addr_set_mapped_ipv4(dst, tnl->ip_dst);
    } else {
        *src = tnl->ipv6_src;
        *dst = tnl->ipv6_dst;
    }
}

static void
drop(struct gre_port *port, enum gre_drop reason, struct dp_packet *packet)
{
    gre_stats_add(&port->stats.drops[reason], 1);
    dp_packet_delete(packet);
}

/* Takes 'packet', a GRE packet of protocol 0 that 'port' receives (whose
 * parse 'info' refused it as GRE_DROP_GRE_PROTO, with 'tnl' filled), if
 * 'port' has keepalives: a reply to one of its keepalives, or not.
 * Returns true if it took (and deleted and counted) it, false if the
 * caller must drop it as it would without keepalives. */
bool
gre_ka_rx_reply(struct gre_port *port, struct dp_packet *packet,
                const struct gre_rx_info *info, const struct flow_tnl *tnl)
{
    struct gre_keepalive *ka = gre_port_keepalive(port);
    const struct gre_layout *lay = &info->lay;
    const uint8_t *base = dp_packet_data(packet);
    size_t size = dp_packet_size(packet);
    struct gre_keepalive_ends ends;
    struct in6_addr src;
    enum gre_drop reason;
    size_t end;
    bool came_up;

    if (!ka || lay->kind != GRE_KIND_GRE || lay->proto) {
        return false;
    }
    if (lay->csum && gre_csum(base + lay->gre, size - lay->gre)) {
        drop(port, GRE_DROP_GRE_CSUM, packet);
        return true;
    }

    memset(&ends, 0, sizeof ends);
    outer_ends(tnl, &src, &ends.local);
    ends.remote = src;
    ends.has_key = info->has_key;
    ends.key = info->has_key ? info->key : 0;
    end = gre_layout_gre_end(lay);
    reason = gre_keepalive_reply(ka, &ends, base + end, size - end,
                                 time_msec(), &came_up);
    if (reason != GRE_DROP_NONE) {
        drop(port, reason, packet);
    } else {
        gre_stats_add(&port->stats.events[GRE_EVENT_KEEPALIVE_REPLIES], 1);
        dp_packet_delete(packet);
        if (came_up) {
            /* For the main thread to tell OVS. */
            gre_pktq_notify();
        }
    }
    return true;
}

/* Peers' keepalives on their way back to them. */

/* Answers waiting for the main thread; more than the queue holds are
 * counted as ratelimited. */
static struct gre_pktq reflect_queue = GRE_PKTQ_INITIALIZER;

/* Returns the oldest peer's keepalive answer waiting to be sent back, an
 * IP packet (its type says which) whose 'md.pkt_mark' is the egress mark
 * of the port that received it, or NULL.  The caller owns it.  Main
 * thread. */
struct dp_packet *
gre_ka_next_reflection(void)
{
    return gre_pktq_get(&reflect_queue);
}

/* Returns the number to give gre_ka_wait(), read before the main thread
 * looks at the queue and at the ports' keepalive state. */
uint64_t
gre_ka_seqno(void)
{
    return gre_pktq_seqno();
}

/* Makes the main loop wake up when a reflection is queued, or when a
 * reply brought a tunnel up, after gre_ka_seqno() returned 'seqno'. */
void
gre_ka_wait(uint64_t seqno)
{
    gre_pktq_wait(&reflect_queue, seqno);
}

/* Takes 'packet', which 'port' (a gre or ip6gre port) receives, if what
 * follows its tunnel headers, at offset 'inner' with GRE protocol 'proto'
 * (0x0800, 0x86DD, or Cisco MetaData before either), is a peer's
 * keepalive that gre_keepalive_reflectable() lets us send back.  Returns
 * true if it took it: queued for the main thread to send back (or
 * dropped over the port's rate limit), counted, and deleted.  Returns
 * false, changing nothing, for anything else. */
bool
gre_ka_rx_reflect(struct gre_port *port, struct dp_packet *packet,
                  size_t inner, ovs_be16 proto, const struct flow_tnl *tnl)
{
    const struct gre_options *opts = gre_port_options(port);
    const uint8_t *p;
    struct in6_addr src, dst;
    struct dp_packet *copy;
    size_t len, total;
    bool ipv6;

    if (port->type->kind != GRE_KIND_GRE
        || inner > dp_packet_size(packet)) {
        return false;
    }
    p = (const uint8_t *) dp_packet_data(packet) + inner;
    len = dp_packet_size(packet) - inner;
    if (proto == htons(GRE_ETH_TYPE_CMD)) {
        size_t hlen;

        if (len < 4 || p[2] != GRE_CMD_VERSION) {
            return false;
        }
        hlen = 4 + 4 * p[3];
        if (hlen > len) {
            return false;
        }
        memcpy(&proto, p, sizeof proto);
        p += hlen;
        len -= hlen;
    }
    if (proto == htons(ETH_TYPE_IP)) {
        ipv6 = false;
    } else if (proto == htons(ETH_TYPE_IPV6)) {
        ipv6 = true;
    } else {
        return false;
    }

    outer_ends(tnl, &src, &dst);
    if (!gre_keepalive_reflectable(p, len, ipv6, &src, &dst, opts)) {
        return false;
    }
    if (!gre_port_reflect_allowed(port)) {
        drop(port, GRE_DROP_KEEPALIVE_RATELIMITED, packet);
        return true;
    }

    copy = dp_packet_clone_data_with_headroom(p, len, 64);
    total = gre_keepalive_forward(dp_packet_data(copy));
    dp_packet_set_size(copy, total);
    copy->packet_type = htonl(ipv6 ? PT_IPV6 : PT_IPV4);
    copy->md.pkt_mark = opts->egress_pkt_mark;
    dp_packet_delete(packet);
    if (gre_pktq_put(&reflect_queue, copy)) {
        gre_stats_add(&port->stats.events[GRE_EVENT_KEEPALIVE_REFLECTED],
                      1);
    } else {
        gre_stats_add(&port->stats.drops[GRE_DROP_KEEPALIVE_RATELIMITED],
                      1);
    }
    return true;
}
