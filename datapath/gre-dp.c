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

#include "gre-dp.h"

#include <netinet/in.h>
#include <netinet/ip6.h>
#include <string.h>

#include "dp-packet.h"
#include "gre-header.h"
#include "gre-ka.h"
#include "gre-layout.h"
#include "gre-offload.h"
#include "gre-options.h"
#include "gre-pmtud.h"
#include "gre-port.h"
#include "gre-reasm.h"
#include "gre-rx-same.h"
#include "gre-stats.h"
#include "gre-type.h"
#include "gre-wire.h"
#include "odp-netlink.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "timeval.h"
#include "userspace-tso.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_dp);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Sequence numbers of packets whose sending port is not in the table (a
 * datapath flow that outlived its port), per type. */
static atomic_uint32_t orphan_tx_seq[GRE_N_TYPES];

/* Transmit. */

/* What one push of a header template needs, for a whole batch. */
struct push_ctx {
    const struct ovs_action_push_tnl *data;
    struct gre_push_plan plan;
    struct gre_port *port;      /* The sending port, or NULL. */
    struct gre_stats *stats;    /* The port's counters, or its type's. */
    atomic_uint32_t *seqp;      /* Where sequence numbers come from. */
    ovs_be32 ts;                /* ERSPAN type III timestamp. */
    int path_mtu;               /* 0 until the TSO path looks it up. */

    /* Path MTU (gre-pmtud.h): packets of up to 'fit' bytes are sent
     * without a look at the underlay's MTU, which is -1 until it is
     * looked up and 0 if it is not known. */
    struct gre_port_key key;    /* The template's endpoints and key. */
    size_t fit;
    int underlay_mtu;
    bool mss_clamp;             /* The port clamps TCP MSS options. */
};

/* Every IPv4 link carries 576-byte packets (RFC 791). */
#define ALWAYS_FITS 576

/* Fills 'k' with the endpoints and key of the header template 'h', laid
 * out as 'lay' says. */
static void
template_key(const uint8_t *h, const struct gre_layout *lay,
             struct gre_port_key *k)
{
    memset(k, 0, sizeof *k);
    k->kind = lay->kind;
    k->ipv6 = lay->ipv6;
    if (lay->ipv6) {
        const struct ovs_16aligned_ip6_hdr *ip6 =
            ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, h + lay->l3);

        memcpy(&k->local, &ip6->ip6_src, sizeof k->local);
        memcpy(&k->remote, &ip6->ip6_dst, sizeof k->remote);
    } else {
        const struct ip_header *ip =
            ALIGNED_CAST(const struct ip_header *, h + lay->l3);

        in6_addr_set_mapped_ipv4(&k->local, get_16aligned_be32(&ip->ip_src));
        in6_addr_set_mapped_ipv4(&k->remote,
                                 get_16aligned_be32(&ip->ip_dst));
    }

    if (lay->erspan) {
        k->has_key = true;
        k->key = htonl(erspan_word_get(h + lay->erspan, 0)
                       & ERSPAN_SID_BITS);
    } else if (lay->key) {
        k->has_key = true;
        k->key = get_16aligned_be32(ALIGNED_CAST(const ovs_16aligned_be32 *,
                                                 h + lay->key));
    }
}

/* Returns the offload flags that ask the push for work in software:
 * segmentation, an L4 checksum and, where the OVS version has it, an IPv4
 * header checksum. */
static uint64_t
tx_work_flags(void)
{
    return (DP_PACKET_OL_TX_TCP_SEG | DP_PACKET_OL_TX_L4_MASK
            | gre_offload_get_ovs()->tx_ip_csum);
}

/* Reads the header template in 'data' into 'ctx' and finds what sends it:
 * the port whose counters to add to and whose sequence numbers to draw
 * from (the type's if no port sends it). */
static void
push_ctx_init(struct push_ctx *ctx, const struct gre_type *type,
              const struct ovs_action_push_tnl *data)
{
    const struct gre_options *opts;
    int outer_len;

    ctx->data = data;
    gre_push_plan_init(&ctx->plan, data);
    template_key((const uint8_t *) data->header, &ctx->plan.lay, &ctx->key);
    ctx->port = gre_port_lookup_tx(&ctx->key);
    ctx->stats = ctx->port ? &ctx->port->stats : gre_type_stats(type);
    ctx->seqp = (ctx->port ? &ctx->port->tx_seq
                 : &orphan_tx_seq[type->index]);
    ctx->ts = ctx->plan.lay.ts ? gre_erspan_timestamp() : 0;
    ctx->path_mtu = 0;

    /* A packet too big for the tunnel is the port's business; a packet of
     * a template no port sends any more goes out as it is. */
    opts = ctx->port ? gre_port_options(ctx->port) : NULL;
    outer_len = data->header_len - ctx->plan.lay.l3;
    ctx->fit = (opts && ALWAYS_FITS > outer_len
                ? ALWAYS_FITS - outer_len : SIZE_MAX);
    ctx->underlay_mtu = -1;
    ctx->mss_clamp = opts && (opts->mss_clamp || opts->mss_clamp_auto);
}

/* Returns the underlay MTU for 'ctx', looked up once per batch with the
 * route mark of 'packet': the port's egress_pkt_mark, or the packet's own
 * mark, as the translation chose the route.  0 if it is not known. */
static int
push_underlay_mtu(struct push_ctx *ctx, const struct dp_packet *packet)
{
    if (ctx->underlay_mtu < 0) {
        const struct gre_options *opts = gre_port_options(ctx->port);
        uint32_t mark = (opts->egress_pkt_mark_set ? opts->egress_pkt_mark
                         : packet->md.pkt_mark);

        ctx->underlay_mtu = gre_pmtud_underlay_mtu(ctx->data, &ctx->plan,
                                                   mark);
    }
    return ctx->underlay_mtu;
}

/* Returns true if 'packet', bigger than 'ctx->fit', does not fit in the
 * underlay's MTU once its header is pushed.  Raises 'ctx->fit' to what
 * does fit. */
static bool
push_too_big(struct push_ctx *ctx, const struct dp_packet *packet)
{
    int mtu = push_underlay_mtu(ctx, packet);
    int outer_len = ctx->data->header_len - ctx->plan.lay.l3;

    ctx->fit = mtu > outer_len ? mtu - outer_len : SIZE_MAX;
    return dp_packet_size(packet) > ctx->fit;
}

/* Reserves 'n' consecutive sequence numbers for 'ctx' if its template
 * sends sequence numbers, and returns the first. */
static uint32_t
reserve_seq(const struct push_ctx *ctx, uint32_t n)
{
    uint32_t first = 0;

    if (ctx->plan.lay.seq && n) {
        atomic_add_relaxed(ctx->seqp, n, &first);
    }
    return first;
}

/* Pushes the header of 'ctx' on 'packet', a TSO packet that will be
 * segmented into 'n' segments of 'mss' bytes of payload, giving its first
 * segment sequence number 'seq'. */
static void
push_segmented(const struct push_ctx *ctx, struct dp_packet *packet,
               uint32_t seq, uint16_t mss)
{
    struct gre_push_plan whole = ctx->plan;

    /* Each segment gets its own GRE checksum on output: none to compute
     * over the whole packet here. */
    whole.csum = false;
    gre_push_header(packet, ctx->data, &whole, seq, ctx->ts);
    gre_offload_tx_mark(packet, &whole, mss);
}

/* Readies 'packet', which carries offload flags and is packet 'i' of a
 * batch of 'size' that takes sequence numbers from '*seq' on (packet 'j'
 * takes '*seq + j'), and pushes the header of 'ctx' on it if it is to be
 * segmented.  A packet sent whole has its checksums computed and its
 * flags cleared, and its header is left to the caller.  A packet to be
 * segmented needs
 * one sequence number per segment: a new block is reserved for its
 * segments and the rest of the batch, and '*seq' is moved so that the
 * packets after it take their numbers from that block (the rest of the old
 * block is a gap).  Returns the number of packets that leave, or 0 if the
 * packet cannot be honoured; the caller then drops it. */
static uint32_t
push_offloaded(struct push_ctx *ctx, struct dp_packet *packet, size_t i,
               size_t size, uint32_t *seq)
{
    uint32_t n, first;
    uint16_t mss;

    if (!ctx->path_mtu) {
        ctx->path_mtu = gre_offload_path_mtu(ctx->data, &ctx->plan);
    }
    n = gre_offload_tx_prepare(packet, &ctx->plan, ctx->path_mtu, &mss);
    if (n > 1) {
        first = reserve_seq(ctx, n + (size - i - 1));
        *seq = first + n - (i + 1);
        push_segmented(ctx, packet, first, mss);
    }
    return n;
}

/* Runs the datapath's tnl_push action on 'batch' for the shared datapath
 * port of 'type', called 'name' in the log: pushes the header in 'data' on
 * every packet, which keeps its place in the batch, and points its
 * metadata at 'data->out_port'.  A packet the push cannot honour is
 * deleted and counted. */
void
gre_dp_push_batch(const struct gre_type *type, const char *name,
                  struct dp_packet_batch *batch,
                  const struct ovs_action_push_tnl *data)
{
    size_t i, size = dp_packet_batch_size(batch);
    struct push_ctx ctx;
    struct gre_push_plan p;
    odp_port_t out_port;
    struct dp_packet *packet;
    uint64_t work = tx_work_flags();
    struct dp_packet *extra[NETDEV_MAX_BURST];
    struct dp_packet *pushed[NETDEV_MAX_BURST];
    uint32_t seq, n_ok = 0;
    size_t n_extra = 0, n_pushed = 0;
    uint64_t bytes = 0;
    ovs_be32 ts;

    push_ctx_init(&ctx, type, data);
    /* Numbers for the whole batch in one atomic add; a packet to be
     * segmented takes a block of its own (see push_offloaded()).  A packet
     * dropped below leaves a gap, as a packet lost on the way would. */
    seq = reserve_seq(&ctx, size);
    /* 'p' and 'ts' are copies whose addresses go nowhere, so that the
     * compiler can keep them in registers across the stores into the
     * packets. */
    p = ctx.plan;
    ts = ctx.ts;
    out_port = data->out_port;

    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        bytes += dp_packet_size(packet);
        if (OVS_UNLIKELY(*dp_packet_ol_flags_ptr(packet) & work)) {
            uint32_t n = push_offloaded(&ctx, packet, i, size, &seq);

            if (!n) {
                bytes -= dp_packet_size(packet);
                gre_stats_add(&ctx.stats->drops[GRE_DROP_TX_OFFLOAD], 1);
                VLOG_WARN_RL(&rl, "%s: packet with offload flags that "
                             "cannot be segmented or checksummed in "
                             "software: dropped", name);
                dp_packet_delete(packet);
                continue;
            }
            if (n > 1) {
                n_ok += n;
                pkt_metadata_init(&packet->md, out_port);
                dp_packet_batch_refill(batch, packet, i);
                continue;
            }
            /* Sent whole: its checksums are done, its header is not. */
        }
        if (OVS_UNLIKELY(ctx.mss_clamp)) {
            gre_pmtud_clamp_mss(ctx.port, packet, data, &ctx.plan,
                                MAX(push_underlay_mtu(&ctx, packet), 0));
        }
        if (OVS_UNLIKELY(dp_packet_size(packet) > ctx.fit)
            && push_too_big(&ctx, packet)) {
            struct dp_packet *out[NETDEV_MAX_BURST];
            enum gre_pmtud_then then;
            size_t n, room;

            /* Room for fragments: what the batch holds even if every
             * packet after this one is kept. */
            room = (NETDEV_MAX_BURST - (size - i - 1)
                    - dp_packet_batch_size(batch) - n_extra - n_pushed);
            bytes -= dp_packet_size(packet);
            n = gre_pmtud_too_big(ctx.port, &ctx.key, data, &ctx.plan,
                                  ctx.underlay_mtu, packet, out, room,
                                  &then);
            if (!n) {
                continue;
            }
            bytes += dp_packet_size(out[0]);
            packet = out[0];
            for (size_t j = 1; j < n; j++) {
                bytes += dp_packet_size(out[j]);
                extra[n_extra++] = out[j];
            }
            if (OVS_UNLIKELY(then != GRE_PMTUD_PUSH)) {
                /* One packet, to finish once its header is on: counted
                 * as it is, whatever it becomes. */
                size_t inner_size = dp_packet_size(packet);

                gre_push_header(packet, data, &p, seq + i, ts);
                n = gre_pmtud_finish(ctx.port, &ctx.plan, ctx.underlay_mtu,
                                     then, packet, out, room);
                if (!n) {
                    bytes -= inner_size;
                    continue;
                }
                packet = out[0];
                for (size_t j = 1; j < n; j++) {
                    pushed[n_pushed++] = out[j];
                }
                n_ok++;
                pkt_metadata_init(&packet->md, out_port);
                dp_packet_batch_refill(batch, packet, i);
                continue;
            }
        }
        gre_push_header(packet, data, &p, seq + i, ts);
        n_ok++;
        pkt_metadata_init(&packet->md, out_port);
        dp_packet_batch_refill(batch, packet, i);
    }

    if (OVS_UNLIKELY(n_extra)) {
        /* The other fragments, after every packet of the batch, with
         * numbers after theirs. */
        seq = reserve_seq(&ctx, n_extra);
        for (i = 0; i < n_extra; i++) {
            gre_push_header(extra[i], data, &p, seq + i, ts);
            pkt_metadata_init(&extra[i]->md, out_port);
            dp_packet_batch_add(batch, extra[i]);
        }
        n_ok += n_extra;
    }
    for (i = 0; i < n_pushed; i++) {
        /* The other outer fragments, their header on already. */
        pkt_metadata_init(&pushed[i]->md, out_port);
        dp_packet_batch_add(batch, pushed[i]);
    }

    if (n_ok && ctx.port) {
        gre_stats_add(&ctx.stats->tx_packets, n_ok);
        gre_stats_add(&ctx.stats->tx_bytes, bytes);
    }
}

/* Pushes the header in 'data' on one 'packet' for the shared datapath port
 * of 'type', as gre_dp_push_batch() does, except that the caller keeps
 * ownership of 'packet' and sets its metadata. */
void
gre_dp_push_one(const struct gre_type *type, struct dp_packet *packet,
                const struct ovs_action_push_tnl *data)
{
    uint64_t bytes = dp_packet_size(packet);
    struct push_ctx ctx;

    push_ctx_init(&ctx, type, data);
    gre_push_header(packet, data, &ctx.plan, reserve_seq(&ctx, 1), ctx.ts);
    if (ctx.port) {
        gre_stats_add(&ctx.stats->tx_packets, 1);
        gre_stats_add(&ctx.stats->tx_bytes, bytes);
    }
}

/* Receive. */

/* Adds 'n' packets of 'bytes' to 'port''s receive counters. */
static void
count_rx(struct gre_port *port, uint32_t n, uint64_t bytes)
{
    if (port && n) {
        gre_stats_add(&port->stats.rx_packets, n);
        gre_stats_add(&port->stats.rx_bytes, bytes);
    }
}

/* Fills 'k' with what the port table matches of a received packet, whose
 * parse filled 'tnl' and 'info'. */
static void
rx_key(const struct flow_tnl *tnl, const struct gre_rx_info *info,
       struct gre_port_key *k)
{
    k->kind = info->lay.kind;
    k->ipv6 = info->lay.ipv6;
    if (info->lay.ipv6) {
        k->local = tnl->ipv6_dst;
        k->remote = tnl->ipv6_src;
    } else {
        in6_addr_set_mapped_ipv4(&k->local, tnl->ip_dst);
        in6_addr_set_mapped_ipv4(&k->remote, tnl->ip_src);
    }
    k->has_key = info->has_key;
    k->key = info->key;
    k->is_eth = info->packet_type == htonl(PT_ETH);
}

/* Returns why 'port', whose receive checks are 'policy', refuses the packet
 * described by 'info' (a missing checksum or sequence number, or one
 * behind), or GRE_DROP_NONE if it accepts it. */
static enum gre_drop
rx_check(struct gre_port *port, const struct gre_port_policy *policy,
         const struct gre_rx_info *info)
{
    if (policy->in_csum && !info->has_csum) {
        return GRE_DROP_GRE_CSUM_MISSING;
    }
    if (policy->in_seq) {
        if (!info->has_seq) {
            return GRE_DROP_SEQ_MISSING;
        }
        if (!gre_port_seq_accept(port, info->seq)) {
            return GRE_DROP_SEQ_OLD;
        }
    }
    return GRE_DROP_NONE;
}

/* Deletes 'packet' and counts it as dropped for 'reason' on 'port', or on
 * the datapath port of 'type' if 'port' is NULL.  Returns NULL. */
static struct dp_packet *
drop_rx(const struct gre_type *type, struct gre_port *port,
        enum gre_drop reason, struct dp_packet *packet)
{
    struct gre_stats *stats = port ? &port->stats : gre_type_stats(type);

    gre_stats_add(&stats->drops[reason], 1);
    dp_packet_delete(packet);
    return NULL;
}

/* The last lookup of a batch: consecutive packets of one tunnel, the common
 * case, need only a comparison of their keys (as VPP's last-key cache). */
struct rx_cache {
    bool valid;
    struct gre_port_key key;
    struct gre_port *port;
    struct gre_port_policy policy;
    bool pt_mismatch;
};

static bool
port_key_equals(const struct gre_port_key *a, const struct gre_port_key *b)
{
    return (a->kind == b->kind
            && a->ipv6 == b->ipv6
            && a->has_key == b->has_key
            && a->key == b->key
            && a->is_eth == b->is_eth
            && ipv6_addr_equals(&a->remote, &b->remote)
            && ipv6_addr_equals(&a->local, &b->local));
}

/* Looks 'key' up in the port table through 'cache'. */
static struct gre_port *
cached_lookup(struct rx_cache *cache, const struct gre_port_key *key,
              struct gre_port_policy *policy, bool *pt_mismatch)
{
    if (!cache->valid || !port_key_equals(&cache->key, key)) {
        cache->key = *key;
        cache->port = gre_port_lookup_rx(key, &cache->policy,
                                         &cache->pt_mismatch);
        cache->valid = true;
    }
    *policy = cache->policy;
    *pt_mismatch = cache->pt_mismatch;
    return cache->port;
}

/* Pops the tunnel headers of one 'packet' received on the shared port of
 * 'type', looking ports up through 'cache'.  Returns the decapsulated
 * packet and stores its port in '*portp', or deletes the packet, counts
 * why and returns NULL.  A packet that is kept is remembered in 'same', if
 * it is not NULL, for the packets after it.
 *
 * A packet is kept only if it is well formed, a configured port receives
 * it (by kind, endpoints and key) and that port's checks (payload type,
 * required checksum, sequence numbers) pass. */
static struct dp_packet *
pop_one(const struct gre_type *type, struct dp_packet *packet,
        struct rx_cache *cache, struct gre_rx_same *same,
        struct gre_port **portp)
{
    struct pkt_metadata *md = &packet->md;
    struct gre_port_policy policy;
    struct gre_rx_info info;
    struct gre_port_key key;
    struct gre_port *port;
    enum gre_drop reason;
    bool pt_mismatch;
    int hlen;

    *portp = NULL;
    pkt_metadata_init_tnl(md);
    hlen = gre_parse_packet(packet, &md->tunnel, &info);
    if (OVS_UNLIKELY(hlen < 0)) {
        port = NULL;
        if (info.attributable) {
            rx_key(&md->tunnel, &info, &key);
            port = cached_lookup(cache, &key, &policy, &pt_mismatch);
            if (port && info.drop == GRE_DROP_GRE_PROTO
                && gre_ka_rx_reply(port, packet, &info, &md->tunnel)) {
                return NULL;
            }
        }
        return drop_rx(type, port, info.drop, packet);
    }

    rx_key(&md->tunnel, &info, &key);
    port = cached_lookup(cache, &key, &policy, &pt_mismatch);
    if (OVS_UNLIKELY(!port)) {
        return drop_rx(type, NULL, GRE_DROP_NO_TUNNEL, packet);
    }
    if (OVS_UNLIKELY(pt_mismatch)) {
        if (gre_ka_rx_reflect(port, packet, hlen, info.lay.proto,
                              &md->tunnel)) {
            return NULL;
        }
        return drop_rx(type, port, GRE_DROP_GRE_PROTO, packet);
    }
    reason = rx_check(port, &policy, &info);
    if (OVS_UNLIKELY(reason != GRE_DROP_NONE)) {
        return drop_rx(type, port, reason, packet);
    }
    if (OVS_UNLIKELY(port->type != type)) {
        /* See "Cross-type delivery" in gre-dp.h. */
        md->tunnel.tp_dst = gre_xtype_mark(port->type);
    }
    if (same) {
        gre_rx_same_fill(same, packet, &info, port, &policy);
    }

    *portp = port;
    dp_packet_reset_packet(packet, hlen);
    packet->packet_type = info.packet_type;
    return packet;
}

/* What the tunnel port map sends to the pop besides whole GRE packets
 * (see gre-classes.c). */
enum outer_kind {
    OUTER_GRE,                  /* Anything else: the pop's to judge. */
    OUTER_FRAGMENT,             /* A fragment of an IPv4 or IPv6 packet. */
    OUTER_ICMP,                 /* An ICMP or ICMPv6 message. */
};

/* Tells what 'packet' is, by its outer IP header. */
static enum outer_kind
outer_kind(const struct dp_packet *packet)
{
    const uint8_t *l3 = dp_packet_l3(packet);
    size_t avail;

    if (!l3) {
        return OUTER_GRE;
    }
    avail = dp_packet_size(packet) - packet->l3_ofs;
    if (avail >= IP_HEADER_LEN && IP_VER(l3[0]) == 4) {
        const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *,
                                                  l3);

        if (OVS_LIKELY(ip->ip_proto == IPPROTO_GRE
                       && !IP_IS_FRAGMENT(ip->ip_frag_off))) {
            return OUTER_GRE;
        }
        return (IP_IS_FRAGMENT(ip->ip_frag_off) ? OUTER_FRAGMENT
                : ip->ip_proto == IPPROTO_ICMP ? OUTER_ICMP : OUTER_GRE);
    }
    if (avail >= IPV6_HEADER_LEN && l3[0] >> 4 == 6) {
        uint8_t nxt = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *,
                                   l3)->ip6_nxt;

        return (OVS_LIKELY(nxt == IPPROTO_GRE) ? OUTER_GRE
                : nxt == IPPROTO_FRAGMENT ? OUTER_FRAGMENT
                : nxt == IPPROTO_ICMPV6 ? OUTER_ICMP : OUTER_GRE);
    }
    return OUTER_GRE;
}

/* Runs the datapath's tnl_pop action on 'batch', received on the shared
 * datapath port of 'type': decapsulates every packet in place and drops
 * (deleting and counting) every packet that is malformed, that no port
 * receives or that its port refuses. */
void
gre_dp_pop_batch(const struct gre_type *type, struct dp_packet_batch *batch)
{
    size_t i, size = dp_packet_batch_size(batch);
    struct gre_port *run_port = NULL;
    struct rx_cache cache = { .valid = false };
    struct gre_rx_same same;
    struct dp_packet *packet;
    uint64_t run_bytes = 0;
    uint32_t run_n = 0, n_aggregates = 0;

    same.valid = false;
    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        bool aggregate = dp_packet_hwol_is_tso(packet);
        struct gre_port *port;
        const uint8_t *l3;

        enum outer_kind kind = outer_kind(packet);

        if (OVS_UNLIKELY(kind != OUTER_GRE)) {
            if (kind == OUTER_ICMP) {
                gre_pmtud_rx_icmp(packet, gre_type_stats(type));
                continue;
            }
            packet = gre_reasm(packet, gre_type_stats(type), time_msec());
            if (!packet) {
                continue;
            }
            aggregate = false;
            packet = pop_one(type, packet, &cache, NULL, &port);
        } else if (OVS_UNLIKELY(aggregate)) {
            /* See gre-offload.h.  The same-header path would check the
             * GRE checksum. */
            packet = pop_one(type, packet, &cache, NULL, &port);
            if (packet && !gre_offload_rx_aggregate(packet)) {
                packet = drop_rx(type, port, GRE_DROP_RX_OFFLOAD, packet);
            }
        } else if (OVS_LIKELY(same.valid)
                   && gre_rx_same_match(&same, packet, &l3)) {
            port = same.port;
            if (OVS_UNLIKELY(!gre_rx_same_pop(&same, packet, l3))) {
                packet = drop_rx(type, port, GRE_DROP_SEQ_OLD, packet);
            }
        } else {
            packet = pop_one(type, packet, &cache, &same, &port);
        }
        if (!packet) {
            continue;
        }
        if (OVS_UNLIKELY(packet->packet_type != htonl(PT_ETH))
            && gre_ka_maybe_keepalive(packet)
            && gre_ka_rx_reflect(port, packet, 0,
                                 pt_ns_type_be(packet->packet_type),
                                 &packet->md.tunnel)) {
            continue;
        }
        /* Counters are added once per run of packets of one port. */
        if (port != run_port) {
            count_rx(run_port, run_n, run_bytes);
            run_port = port;
            run_n = 0;
            run_bytes = 0;
        }
        run_n++;
        run_bytes += dp_packet_size(packet);

        if (OVS_LIKELY(!aggregate)) {
            dp_packet_reset_offload(packet);
        } else {
            n_aggregates++;
        }
        pkt_metadata_init_conn(&packet->md);
        dp_packet_batch_refill(batch, packet, i);
    }
    count_rx(run_port, run_n, run_bytes);
    gre_offload_count(GRE_OFFLOAD_RX_AGGREGATES, n_aggregates);

    if (userspace_tso_enabled()) {
        gre_offload_gro(batch);
    }
}

/* Pops the tunnel headers of one 'packet' received on the shared datapath
 * port of 'type', as gre_dp_pop_batch() does.  Returns the packet, or NULL
 * after deleting it. */
struct dp_packet *
gre_dp_pop_one(const struct gre_type *type, struct dp_packet *packet)
{
    struct rx_cache cache = { .valid = false };
    struct gre_port *port;

    packet = pop_one(type, packet, &cache, NULL, &port);
    if (packet && OVS_UNLIKELY(packet->packet_type != htonl(PT_ETH))
        && gre_ka_maybe_keepalive(packet)
        && gre_ka_rx_reflect(port, packet, 0,
                             pt_ns_type_be(packet->packet_type),
                             &packet->md.tunnel)) {
        return NULL;
    }
    if (packet) {
        count_rx(port, 1, dp_packet_size(packet));
    }
    return packet;
}
