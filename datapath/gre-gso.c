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

/* Transmit offloads in software: checksums and TCP segmentation.  See
 * gre-offload.h for what is done where and its limitations. */

#include <config.h>

#include "gre-offload.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <string.h>

#include "coverage.h"
#include "dp-packet.h"
#include "gre-csum.h"
#include "gre-gso-mbuf.h"
#include "gre-header.h"
#include "gre-layout.h"
#include "gre-pmtud.h"
#include "gre-wire.h"
#include "odp-netlink.h"
#include "netdev-provider.h"
#include "netdev.h"
#include "openvswitch/vlog.h"
#include "ovs-router.h"
#include "ovs-atomic.h"
#include "packets.h"
#include "unaligned.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_gso);

COVERAGE_DEFINE(gre_gso_dropped);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Room left in front of each segment for what the output port prepends
 * (a virtio-net header, for example). */
#define GSO_HEADROOM 128

/* The offload flags that ask for work in software. */
#define GSO_TX_FLAGS (DP_PACKET_OL_TX_TCP_SEG | DP_PACKET_OL_TX_L4_MASK)

/* Transmit: the push. */

/* Returns the MTU of the interface by which the route to the outer
 * destination in header template 'data' (laid out as 'plan' says) leaves,
 * as Linux sizes a tunnel from its route's device, lowered by a path MTU
 * learned from the underlay (gre-pmtud.h); GRE_OFFLOAD_UNDERLAY_MTU if
 * neither is known. */
int
gre_offload_path_mtu(const struct ovs_action_push_tnl *data,
                     const struct gre_push_plan *plan)
{
    char out_dev[IFNAMSIZ];
    struct in6_addr dst;
    int mtu;

    gre_pmtud_template_dst(data, plan, &dst);
    mtu = gre_pmtud_path_mtu(&dst, 0, out_dev);
    return mtu >= 576 ? mtu : GRE_OFFLOAD_UNDERLAY_MTU;
}

/* Writes the IPv4 header checksum of 'p' if its l3 offset points to an
 * IPv4 header. */
static void
ip4_csum_fill(struct dp_packet *p)
{
    struct ip_header *ip = dp_packet_l3(p);

    if (ip && dp_packet_size(p) >= p->l3_ofs + IP_HEADER_LEN
        && IP_VER(ip->ip_ihl_ver) == 4) {
        size_t ihl = IP_IHL(ip->ip_ihl_ver) * 4;

        if (ihl >= IP_HEADER_LEN && dp_packet_size(p) >= p->l3_ofs + ihl) {
            ip->ip_csum = 0;
            ip->ip_csum = gre_csum(ip, ihl);
        }
    }
}

/* Readies 'p', about to have the header that 'plan' describes pushed on
 * it for a path of MTU 'path_mtu', if it carries offload flags.
 *
 * Returns the number of GRE sequence numbers it needs: 1 for a packet sent
 * as it is (the checksums it asks for are then computed here and its
 * flags cleared), and more for a packet that will be segmented, whose
 * segment size is then stored in '*mss' (it is 0 otherwise): the packet's
 * own segment size, where the OVS version has one, or less if the path
 * needs less.  Returns 0 if the packet cannot be honoured (see
 * "Limitations" in gre-offload.h); the caller drops it. */
uint32_t
gre_offload_tx_prepare(struct dp_packet *p, const struct gre_push_plan *plan,
                       int path_mtu, uint16_t *mss)
{
    const struct gre_offload_ovs *ovs = gre_offload_get_ovs();
    uint64_t flags = *dp_packet_ol_flags_ptr(p);
    bool is_eth = p->packet_type == htonl(PT_ETH);
    struct gre_l4_geom g;
    size_t payload;
    int inner_mtu;

    *mss = 0;
    if (flags & DP_PACKET_OL_TX_SCTP_CKSUM) {
        return 0;
    }
    if (!(flags & (DP_PACKET_OL_TX_TCP_SEG | DP_PACKET_OL_TX_L4_MASK))) {
        /* Only the IPv4 header checksum is asked for. */
        ip4_csum_fill(p);
        goto resolved;
    }
    if (gre_l4_geom_parse(p, 0, is_eth, &g)) {
        return 0;
    }

    payload = g.end - g.hdr_len;
    if (flags & DP_PACKET_OL_TX_TCP_SEG) {
        uint16_t segsz = ovs->get_segsz ? ovs->get_segsz(p) : 0;
        int max;

        if (g.proto != IPPROTO_TCP) {
            return 0;
        }
        inner_mtu = (path_mtu - (plan->lay.inner - plan->lay.l3)
                     - (is_eth ? g.l3 : 0));
        max = inner_mtu - (g.hdr_len - g.l3);
        if (max < 64) {
            return 0;
        }
        if (segsz && segsz < max) {
            max = segsz;
        }
        if (payload > max) {
            *mss = max;
            return DIV_ROUND_UP(payload, *mss);
        }
    }

    if ((flags & ovs->tx_ip_csum) && !g.ipv6) {
        ip4_csum_fill(p);
    }
    gre_l4_csum_write(dp_packet_data(p), &g, g.end, 0);

resolved:
    dp_packet_reset_offload(p);
    gre_offload_count(GRE_OFFLOAD_TX_RESOLVED, 1);
    return 1;
}

/* Marks 'p', prepared by gre_offload_tx_prepare() with segment size 'mss'
 * and then pushed as 'plan' says, for segmentation on output: the outer
 * IP length field holds the segment size. */
void
gre_offload_tx_mark(struct dp_packet *p, const struct gre_push_plan *plan,
                    uint16_t mss)
{
    uint8_t *ip = (uint8_t *) dp_packet_data(p) + plan->lay.l3;

    if (plan->lay.ipv6) {
        ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, ip)->ip6_plen =
            htons(mss);
    } else {
        ALIGNED_CAST(struct ip_header *, ip)->ip_tot_len = htons(mss);
    }
}

/* Transmit: the output. */

/* Finds the outer headers of 'p' if it is a GRE packet, as the push
 * writes them (Ethernet, IPv4 without options or IPv6 without extension
 * headers, GRE with the flags ovs-gre sends), and stores their layout in
 * 'lay'.  Returns 0 if it is one, otherwise -EINVAL. */
static int
gso_outer_parse(const struct dp_packet *p, struct gre_layout *lay)
{
    const uint8_t *d = dp_packet_data(p);
    size_t size = dp_packet_size(p);
    size_t ip_len;
    ovs_be16 type;

    if (size < ETH_HEADER_LEN + IPV6_HEADER_LEN + GRE_BASE_LEN) {
        return -EINVAL;
    }
    type = get_unaligned_be16(ALIGNED_CAST(const ovs_be16 *,
                                             d + 2 * ETH_ADDR_LEN));
    if (type == htons(ETH_TYPE_IP)) {
        const struct ip_header *ip;

        ip = ALIGNED_CAST(const struct ip_header *, d + ETH_HEADER_LEN);
        if (ip->ip_ihl_ver != IP_IHL_VER(5, 4)
            || ip->ip_proto != IPPROTO_GRE) {
            return -EINVAL;
        }
        ip_len = IP_HEADER_LEN;
    } else if (type == htons(ETH_TYPE_IPV6)) {
        const struct ovs_16aligned_ip6_hdr *ip6;

        ip6 = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *,
                           d + ETH_HEADER_LEN);
        if (ip6->ip6_nxt != IPPROTO_GRE) {
            return -EINVAL;
        }
        ip_len = IPV6_HEADER_LEN;
    } else {
        return -EINVAL;
    }

    if (gre_layout_parse(lay, d, size, ETH_HEADER_LEN,
                         ETH_HEADER_LEN + ip_len)
        || lay->gre_flags & ~GRE_KNOWN_FLAGS) {
        return -EINVAL;
    }
    if (lay->kind == GRE_KIND_GRE && !lay->inner_eth
        && lay->proto != htons(ETH_TYPE_IP)
        && lay->proto != htons(ETH_TYPE_IPV6)) {
        return -EINVAL;
    }
    return 0;
}

/* Writes the lengths, checksums and sequence numbers of segment 'i' (of
 * 'n') in 'd', 'size' bytes, whose inner headers 'g' locates (with 'end'
 * not yet updated), and whose outer headers, if 'lay' is nonnull, 'lay'
 * locates.  The header bytes are a copy of the original packet's;
 * 'payload_sum' is the partial sum (gre_csum_add()) of the payload after
 * them.  (Every header is an even number of bytes long, so the sums of the
 * headers and of the payload add up.) */
static void
gso_fix_segment(uint8_t *d, size_t size, const struct gre_l4_geom *g,
                const struct gre_layout *lay, uint32_t i, uint32_t n,
                uint32_t mss, uint64_t payload_sum)
{
    struct tcp_header *tcp = ALIGNED_CAST(struct tcp_header *, d + g->l4);
    uint16_t ctl = ntohs(tcp->tcp_ctl);

    gre_ip_fix(d + g->l3, g->ipv6, size - g->l3, g->l4 - g->l3, i);

    put_16aligned_be32(&tcp->tcp_seq,
                       htonl(ntohl(get_16aligned_be32(&tcp->tcp_seq))
                             + i * mss));
    if (i + 1 < n) {
        ctl &= ~(TCP_FIN | TCP_PSH);
    }
    if (i) {
        ctl &= ~TCP_CWR;
    }
    tcp->tcp_ctl = htons(ctl);
    gre_l4_csum_write(d, g, g->hdr_len, payload_sum);

    if (!lay) {
        return;
    }
    /* The outer IPv4 id, too, steps by one per segment, as Linux's GSO
     * and OVS 3.5's steps it. */
    gre_ip_fix(d + lay->l3, lay->ipv6, size - lay->l3, IP_HEADER_LEN, i);
    if (lay->seq) {
        ovs_16aligned_be32 *seq = ALIGNED_CAST(ovs_16aligned_be32 *,
                                               d + lay->seq);

        put_16aligned_be32(seq, htonl(ntohl(get_16aligned_be32(seq)) + i));
    }
    if (lay->csum) {
        ovs_be16 *field = ALIGNED_CAST(ovs_be16 *, d + lay->csum);

        *field = 0;
        *field = gre_csum_finish(gre_csum_add(payload_sum, d + lay->gre,
                                              g->hdr_len - lay->gre));
    }
}

/* Segments' data is laid out in a block shared by the segments of one
 * output batch: one allocation per batch instead of one per segment, and
 * the same cache-warm memory batch after batch.  The block holds a whole
 * batch of the largest segments seen so far, within these bounds. */
#define GSO_BLOCK_MIN (64 * 1024)
#define GSO_BLOCK_MAX (512 * 1024)

/* Where gso_segment() puts its segments: a batch sent through 'send'
 * whenever it fills up.
 *
 * Segments are dp_packets whose data is a stub in 'block': deleting one
 * frees only the struct.  'send' takes the batch as netdev_send() does and
 * every netdev either copies or deletes each packet before it returns, so
 * the block is reused once the batch has been sent, and freed when the
 * sink is done. */
struct gso_sink {
    struct netdev *netdev;
    int qid;
    bool concurrent_txq;
    int (*send)(struct netdev *, int, struct dp_packet_batch *, bool);
    bool mbuf_port;             /* 'netdev' takes mbuf chains (see
                                 * gre-gso-mbuf.h). */
    struct dp_packet_batch batch;
    int error;                  /* First error from 'send'. */
    uint8_t *block;             /* 'block_size' bytes, or NULL. */
    size_t block_size;
    size_t block_used;          /* Bytes of 'block' the batch's segments
                                 * take. */
};

static void
sink_flush(struct gso_sink *sink)
{
    if (!dp_packet_batch_is_empty(&sink->batch)) {
        int error = sink->send(sink->netdev, sink->qid, &sink->batch,
                               sink->concurrent_txq);

        if (error && !sink->error) {
            sink->error = error;
        }
        dp_packet_batch_init(&sink->batch);
    }
    sink->block_used = 0;
}

/* Returns a new packet with 'headroom' bytes of headroom and room for
 * 'size' bytes of data, which lives in 'sink''s block until the batch it
 * joins is sent.  Sends the batch first if it or the block is full, or if
 * it holds packets in DPDK memory (see sink_add()), so that the caller's
 * sink_add() of the packet does not: every byte of the block in use
 * belongs to a packet of the batch being built. */
static struct dp_packet *
sink_new_packet(struct gso_sink *sink, size_t size, size_t headroom)
{
    size_t need = ROUND_UP(headroom + size, CACHE_LINE_SIZE);
    size_t want = MIN(MAX(need * NETDEV_MAX_BURST, GSO_BLOCK_MIN),
                      GSO_BLOCK_MAX);
    struct dp_packet *p;

    if (need > GSO_BLOCK_MAX) {
        return dp_packet_new_with_headroom(size, headroom);
    }
    if (dp_packet_batch_size(&sink->batch) == NETDEV_MAX_BURST
        || (!dp_packet_batch_is_empty(&sink->batch)
            && sink->batch.packets[0]->source == DPBUF_DPDK)
        || (sink->block_used
            && (sink->block_used + need > sink->block_size
                || sink->block_size < want))) {
        sink_flush(sink);
    }
    if (sink->block_size < want) {
        /* Nothing in the block is in use: it may be replaced. */
        free_cacheline(sink->block);
        sink->block = xmalloc_cacheline(want);
        sink->block_size = want;
    }

    p = xmalloc(sizeof *p);
    dp_packet_use_stub(p, sink->block + sink->block_used, need);
    dp_packet_reserve(p, headroom);
    sink->block_used += need;
    return p;
}

/* Adds 'p' to the batch that 'sink' builds.  A batch holds packets of one
 * source only (all in DPDK memory, or none): OVS 3.1's netdev-dpdk looks
 * at the first packet of a batch alone to decide whether to copy the
 * batch into DPDK memory (netdev_dpdk_common_send() in OVS's
 * lib/netdev-dpdk.c), and a packet of another kind behind one in DPDK
 * memory would reach the PMD as if it were an mbuf. */
static void
sink_add(struct gso_sink *sink, struct dp_packet *p)
{
    struct dp_packet_batch *batch = &sink->batch;

    if (dp_packet_batch_size(batch) == NETDEV_MAX_BURST
        || (!dp_packet_batch_is_empty(batch)
            && ((batch->packets[0]->source == DPBUF_DPDK)
                != (p->source == DPBUF_DPDK)))) {
        sink_flush(sink);
    }
    dp_packet_batch_add(batch, p);
}

/* Drops 'p', which asked for an offload that cannot be done in software,
 * and counts it. */
static void
gso_drop(struct dp_packet *p, const struct netdev *netdev, const char *why)
{
    gre_offload_count(GRE_OFFLOAD_GSO_DROPPED, 1);
    COVERAGE_INC(gre_gso_dropped);
    VLOG_WARN_RL(&rl, "%s: packet dropped: %s", netdev_get_name(netdev), why);
    dp_packet_delete(p);
}

/* Segments TSO packet 'p' for 'sink' into segments of at most 'mss' bytes
 * of TCP payload, each a whole packet, and deletes 'p'.  'g' locates its
 * inner headers and 'lay', if nonnull, its GRE outer headers.
 *
 * A packet in DPDK memory for a port that sends mbuf chains keeps its
 * payload where it is: each segment is a copy of the headers chained to
 * the payload's bytes (gre-gso-mbuf.h), read once for the checksums.
 * Otherwise, or if DPDK has no mbufs to spare, each segment is a copy,
 * checksummed as it is made. */
static void
gso_segment(struct dp_packet *p, const struct gre_l4_geom *g,
            const struct gre_layout *lay, uint32_t mss,
            struct gso_sink *sink)
{
    const uint8_t *d = dp_packet_data(p);
    uint32_t payload = g->end - g->hdr_len;
    uint32_t n = DIV_ROUND_UP(payload, mss);
    bool zero_copy = sink->mbuf_port && gre_gso_mbuf_usable(p);
    uint32_t n_zero_copy = 0;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t ofs = g->hdr_len + i * mss;
        uint32_t len = MIN(mss, payload - i * mss);
        struct dp_packet *seg = NULL;
        uint64_t sum;
        uint8_t *s;

        if (zero_copy) {
            seg = gre_gso_mbuf_segment(p, g->hdr_len, ofs, len);
        }
        if (seg) {
            /* The headers are a copy; the payload is 'p''s own. */
            s = dp_packet_data(seg);
            sum = gre_csum_add(0, d + ofs, len);
            n_zero_copy++;
        } else {
            seg = sink_new_packet(sink, g->hdr_len + len, GSO_HEADROOM);
            s = dp_packet_put_uninit(seg, g->hdr_len + len);
            memcpy(s, d, g->hdr_len);
            sum = gre_csum_copy(s + g->hdr_len, d + ofs, len, 0);
        }
        gso_fix_segment(s, g->hdr_len + len, g, lay, i, n, mss, sum);
        seg->l3_ofs = lay ? lay->l3 : g->l3;
        seg->l4_ofs = lay ? lay->gre : g->l4;
        sink_add(sink, seg);
    }
    gre_offload_count(GRE_OFFLOAD_GSO_PACKETS, 1);
    gre_offload_count(GRE_OFFLOAD_GSO_SEGMENTS, n);
    gre_offload_count(GRE_OFFLOAD_GSO_ZERO_COPY, n_zero_copy);
    dp_packet_delete(p);
}

/* Hands tunnelled TSO packet 'p', whose outer headers 'lay' and inner
 * headers 'g' locate and whose outer length field holds the segment size
 * 'mss', whole to 'netdev' for the port to segment, if the OVS version
 * and the port can (see 'tnl_tso' in struct gre_offload_ovs), the outer
 * header is IPv4 and the GRE header (not ERSPAN) has no checksum or
 * sequence number to be written per segment.  The outer length and IPv4
 * checksum are then made those of the whole packet and true is returned;
 * otherwise 'p' is untouched and false returned. */
static bool
gso_hand_off(struct dp_packet *p, const struct netdev *netdev,
             const struct gre_layout *lay, const struct gre_l4_geom *g,
             uint16_t mss)
{
    const struct gre_offload_ovs *ovs = gre_offload_get_ovs();
    struct ip_header *ip;

    if (!ovs->tnl_tso || lay->kind != GRE_KIND_GRE || lay->csum || lay->seq
        || lay->ipv6 || !ovs->tnl_tso(p, netdev, lay, g, mss)) {
        return false;
    }
    ip = ALIGNED_CAST(struct ip_header *,
                      (uint8_t *) dp_packet_data(p) + lay->l3);
    ip->ip_tot_len = htons(dp_packet_size(p) - lay->l3);
    ip->ip_csum = 0;
    ip->ip_csum = gre_csum(ip, IP_HEADER_LEN);
    gre_offload_count(GRE_OFFLOAD_TNL_TSO, 1);
    return true;
}

/* Returns the IP MTU of 'netdev', or 1500 if it has none. */
static int
netdev_mtu(const struct netdev *netdev)
{
    int mtu;

    return netdev_get_mtu(netdev, &mtu) || mtu <= 0 ? 1500 : mtu;
}

/* The largest TSO segment size a port of IP MTU 'mtu' takes for a packet
 * with 'hdr_len' bytes of headers, Ethernet to TCP, as the check that OVS
 * 3.5's netdev-linux makes before it drops a TSO packet ("Oversized TSO
 * packet"): room for one VLAN tag beyond the MTU. */
static int
segsz_max(int mtu, size_t hdr_len)
{
    return mtu + ETH_HEADER_LEN + VLAN_HEADER_LEN - (int) hdr_len;
}

/* Returns true if TSO packet 'p', which is not one of ovs-gre's tunnelled
 * ones, asks for segments larger than a port of IP MTU 'mtu' takes (as
 * segsz_max() says); the OVS version then drops it.  That happens to a
 * packet coalesced from segments that came through a tunnel over a large
 * underlay MTU, when OVS cannot read the output port's MTU: for a tap
 * moved into another network namespace it assumes 1500. */
static bool
segsz_too_big(const struct dp_packet *p, int mtu, struct gre_l4_geom *g)
{
    const struct gre_offload_ovs *ovs = gre_offload_get_ovs();

    return (ovs->get_segsz
            && !gre_l4_geom_parse(p, 0, p->packet_type == htonl(PT_ETH), g)
            && g->proto == IPPROTO_TCP
            && ovs->get_segsz(p) > segsz_max(mtu, g->hdr_len));
}

/* Lowers the segment size of TSO packet 'p' to what a port of IP MTU
 * 'mtu' takes, if it asks for more, so that the OVS version segments it
 * to fit instead of dropping it. */
static void
segsz_fit(struct dp_packet *p, int mtu)
{
    struct gre_l4_geom g;

    if (segsz_too_big(p, mtu, &g) && segsz_max(mtu, g.hdr_len) > 0) {
        gre_offload_get_ovs()->set_segsz(p, segsz_max(mtu, g.hdr_len));
        gre_offload_count(GRE_OFFLOAD_SEGSZ_LOWERED, 1);
    }
}

/* Computes the TCP or UDP checksum of 'p', whose headers 'g' locates,
 * clears its offload flags and adds it to 'sink'. */
static void
gso_resolve(struct dp_packet *p, const struct gre_l4_geom *g,
            struct gso_sink *sink)
{
    gre_l4_csum_write(dp_packet_data(p), g, g->end, 0);
    dp_packet_reset_offload(p);
    gre_offload_count(GRE_OFFLOAD_TX_RESOLVED, 1);
    sink_add(sink, p);
}

/* Readies one packet for a port whose offloads are 'ol_flags' and MTU
 * 'mtu', adding the result to 'sink': as it is, or segmented, or with its
 * checksum computed. */
static void
gso_one(struct dp_packet *p, uint64_t ol_flags, int mtu,
        struct gso_sink *sink)
{
    uint64_t flags = *dp_packet_ol_flags_ptr(p);
    bool is_eth = p->packet_type == htonl(PT_ETH);
    struct gre_layout lay;
    struct gre_l4_geom g;

    if (flags & DP_PACKET_OL_TX_TCP_SEG && !gso_outer_parse(p, &lay)) {
        /* The push stored the segment size in the outer length field. */
        const uint8_t *ip = (const uint8_t *) dp_packet_data(p) + lay.l3;
        uint32_t mss = (lay.ipv6
                        ? ntohs(ALIGNED_CAST(
                                    const struct ovs_16aligned_ip6_hdr *,
                                    ip)->ip6_plen)
                        : ntohs(ALIGNED_CAST(const struct ip_header *,
                                             ip)->ip_tot_len));

        if (gre_l4_geom_parse(p, lay.inner, lay.inner_eth, &g)
            || g.proto != IPPROTO_TCP || g.end != dp_packet_size(p)
            || mss < 1) {
            gso_drop(p, sink->netdev, "tunnelled TSO packet is malformed");
            return;
        }
        if (gso_hand_off(p, sink->netdev, &lay, &g, mss)) {
            sink_add(sink, p);
            return;
        }
        gso_segment(p, &g, &lay, mss, sink);
        return;
    }
    if (!gre_offload_get_ovs()->send_all) {
        /* The OVS version does the rest itself. */
        if (flags & DP_PACKET_OL_TX_TCP_SEG) {
            segsz_fit(p, mtu);
        }
        sink_add(sink, p);
        return;
    }

    if (flags & DP_PACKET_OL_TX_TCP_SEG
        && !(ol_flags & NETDEV_TX_OFFLOAD_TCP_TSO)) {
        if (gre_l4_geom_parse(p, 0, is_eth, &g)
            || g.proto != IPPROTO_TCP
            || mtu <= g.hdr_len - g.l3) {
            gso_drop(p, sink->netdev, "TSO packet is not TCP over IP");
            return;
        }
        if (g.end - g.hdr_len > mtu - (g.hdr_len - g.l3)) {
            gso_segment(p, &g, NULL, mtu - (g.hdr_len - g.l3), sink);
        } else {
            /* One segment: it only needs its checksum. */
            gso_resolve(p, &g, sink);
        }
        return;
    }

    if ((flags & DP_PACKET_OL_TX_TCP_CKSUM
            && !(ol_flags & NETDEV_TX_OFFLOAD_TCP_CKSUM))
        || (flags & DP_PACKET_OL_TX_UDP_CKSUM
            && !(ol_flags & NETDEV_TX_OFFLOAD_UDP_CKSUM))) {
        if (gre_l4_geom_parse(p, 0, is_eth, &g)) {
            gso_drop(p, sink->netdev, "checksum offload packet is not TCP "
                     "or UDP over IP");
        } else {
            gso_resolve(p, &g, sink);
        }
        return;
    }
    sink_add(sink, p);
}

/* Returns true if one of the packets in 'batch' needs work in software
 * before a port whose offloads are 'netdev_ol_flags' can send it (see
 * gre_offload_send()), or if the batch mixes packets in DPDK memory with
 * others. */
bool
gre_offload_send_needed(const struct dp_packet_batch *batch,
                        const struct netdev *netdev)
{
    uint64_t netdev_ol_flags = netdev->ol_flags;
    bool send_all = gre_offload_get_ovs()->send_all;
    int mtu = 0;
    struct dp_packet *p;
#ifdef DPDK_NETDEV
    bool dpdk = (!dp_packet_batch_is_empty(batch)
                 && batch->packets[0]->source == DPBUF_DPDK);
#endif

    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        uint64_t flags = *dp_packet_ol_flags_ptr(p);
        struct gre_layout lay;

#ifdef DPDK_NETDEV
        /* A batch that mixes packets in DPDK memory with others (the
         * fragments of the push, for example) is split: OVS 3.1's
         * netdev-dpdk judges a whole batch by its first packet. */
        if (OVS_UNLIKELY((p->source == DPBUF_DPDK) != dpdk)) {
            return true;
        }
#endif
        if (OVS_LIKELY(!(flags & GSO_TX_FLAGS))) {
            continue;
        }
        if (!send_all) {
            struct gre_l4_geom g;

            if (!(flags & DP_PACKET_OL_TX_TCP_SEG)) {
                continue;
            }
            if (!mtu) {
                mtu = netdev_mtu(netdev);
            }
            if (!gso_outer_parse(p, &lay) || segsz_too_big(p, mtu, &g)) {
                return true;
            }
        } else if (flags & DP_PACKET_OL_TX_TCP_SEG
                   || (flags & DP_PACKET_OL_TX_TCP_CKSUM
                       && !(netdev_ol_flags & NETDEV_TX_OFFLOAD_TCP_CKSUM))
                   || (flags & DP_PACKET_OL_TX_UDP_CKSUM
                       && !(netdev_ol_flags & NETDEV_TX_OFFLOAD_UDP_CKSUM))) {
            return true;
        }
    }
    return false;
}

/* Sends 'batch' on 'netdev' through 'send' (OVS's netdev_send()), after
 * doing in software what the port cannot: segmenting ovs-gre's tunnelled
 * TSO packets (always) and, where the OVS version would drop them
 * ('send_all' in struct gre_offload_ovs), segmenting plain TSO packets (if
 * the port lacks TSO) and computing TCP and UDP checksums (if it lacks
 * checksum offload).  A tunnelled TSO packet goes whole to a port that
 * segments GRE-tunnelled TCP itself, where the OVS version allows (see
 * gso_hand_off()).  Segments keep their packet's place in the order.
 * Takes ownership of every packet, as netdev_send() does, and returns the
 * first error 'send' returned. */
int
gre_offload_send(struct netdev *netdev, int qid,
                 struct dp_packet_batch *batch, bool concurrent_txq,
                 int (*send)(struct netdev *, int, struct dp_packet_batch *,
                             bool))
{
    struct gso_sink sink = {
        .netdev = netdev,
        .qid = qid,
        .concurrent_txq = concurrent_txq,
        .send = send,
        .mbuf_port = gre_gso_mbuf_port(netdev),
    };
    int mtu = netdev_mtu(netdev);
    struct dp_packet *p;

    dp_packet_batch_init(&sink.batch);
    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        gso_one(p, netdev->ol_flags, mtu, &sink);
    }
    sink_flush(&sink);
    free_cacheline(sink.block);
    return sink.error;
}
