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

/* What segmentation (gre-gso.c) and coalescing (gre-gro.c) share: where a
 * packet's IP and TCP or UDP headers are, the checksums and IP header
 * fix-ups of the packets they make, and the totals 'gre/show' reports. */

#include <config.h>

#include "gre-offload.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip6.h>

#include "dp-packet.h"
#include "gre-csum.h"
#include "gre-stats.h"
#include "packets.h"
#include "unaligned.h"
#include "util.h"

/* The packet metadata of the OVS version in use. */
static struct gre_offload_ovs ovs = {
    .tx_ip_csum = 0,
    .get_segsz = NULL,
    .set_segsz = NULL,
    .send_all = true,
};

/* Makes 'o' what the offloads know of the OVS version in use.  Called once
 * by the main thread, before any packet is processed. */
void
gre_offload_set_ovs(const struct gre_offload_ovs *o)
{
    ovs = *o;
}

/* Returns what the offloads know of the OVS version in use. */
const struct gre_offload_ovs *
gre_offload_get_ovs(void)
{
    return &ovs;
}

/* Totals since start-up, one per member of 'struct gre_offload_stats'. */
static atomic_uint64_t totals[GRE_OFFLOAD_N_COUNTERS];

/* Adds 'n' to the total 'counter'. */
void
gre_offload_count(enum gre_offload_counter counter, uint64_t n)
{
    if (n) {
        gre_stats_add(&totals[counter], n);
    }
}

static uint64_t
total(enum gre_offload_counter counter)
{
    uint64_t value;

    atomic_read_relaxed(&totals[counter], &value);
    return value;
}

/* Fills 's' with the totals since start-up. */
void
gre_offload_stats_read(struct gre_offload_stats *s)
{
    s->tx_resolved = total(GRE_OFFLOAD_TX_RESOLVED);
    s->gso_packets = total(GRE_OFFLOAD_GSO_PACKETS);
    s->gso_segments = total(GRE_OFFLOAD_GSO_SEGMENTS);
    s->gso_dropped = total(GRE_OFFLOAD_GSO_DROPPED);
    s->gro_segments = total(GRE_OFFLOAD_GRO_SEGMENTS);
    s->gro_packets = total(GRE_OFFLOAD_GRO_PACKETS);
    s->gro_csum_bad = total(GRE_OFFLOAD_GRO_CSUM_BAD);
    s->rx_aggregates = total(GRE_OFFLOAD_RX_AGGREGATES);
    s->segsz_lowered = total(GRE_OFFLOAD_SEGSZ_LOWERED);
    s->tnl_tso = total(GRE_OFFLOAD_TNL_TSO);
    s->gso_zero_copy = total(GRE_OFFLOAD_GSO_ZERO_COPY);
}

/* Finds the IPv4 or IPv6 header and the TCP or UDP header of the packet
 * that starts 'ofs' bytes into 'p''s data: an Ethernet frame (with at most
 * two VLAN tags) if 'is_eth', otherwise an IP packet.  Returns 0 and fills
 * 'g', or -EINVAL if the packet is not TCP or UDP over IPv4 (without
 * fragments) or IPv6 (without extension headers), or is cut short. */
int
gre_l4_geom_parse(const struct dp_packet *p, uint16_t ofs, bool is_eth,
                  struct gre_l4_geom *g)
{
    const uint8_t *d = dp_packet_data(p);
    size_t size = dp_packet_size(p);
    size_t o = ofs;
    ovs_be16 type;

    if (is_eth) {
        if (size < o + ETH_HEADER_LEN) {
            return -EINVAL;
        }
        type = get_unaligned_be16(ALIGNED_CAST(const ovs_be16 *,
                                                 d + o + 2 * ETH_ADDR_LEN));
        o += ETH_HEADER_LEN;
        for (int i = 0; i < 2 && eth_type_vlan(type); i++) {
            if (size < o + VLAN_HEADER_LEN) {
                return -EINVAL;
            }
            type = get_unaligned_be16(ALIGNED_CAST(const ovs_be16 *,
                                                     d + o + 2));
            o += VLAN_HEADER_LEN;
        }
    } else {
        if (size <= o) {
            return -EINVAL;
        }
        type = (d[o] >> 4 == 4 ? htons(ETH_TYPE_IP)
                : d[o] >> 4 == 6 ? htons(ETH_TYPE_IPV6) : 0);
    }

    g->l3 = o;
    if (type == htons(ETH_TYPE_IP)) {
        const struct ip_header *ip;
        size_t ihl;

        if (size < o + IP_HEADER_LEN) {
            return -EINVAL;
        }
        ip = ALIGNED_CAST(const struct ip_header *, d + o);
        ihl = IP_IHL(ip->ip_ihl_ver) * 4;
        if (IP_VER(ip->ip_ihl_ver) != 4 || ihl < IP_HEADER_LEN
            || ip->ip_frag_off & htons(IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
            return -EINVAL;
        }
        g->ipv6 = false;
        g->proto = ip->ip_proto;
        g->l4 = o + ihl;
        g->end = o + ntohs(ip->ip_tot_len);
    } else if (type == htons(ETH_TYPE_IPV6)) {
        const struct ovs_16aligned_ip6_hdr *ip6;

        if (size < o + IPV6_HEADER_LEN) {
            return -EINVAL;
        }
        ip6 = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, d + o);
        g->ipv6 = true;
        g->proto = ip6->ip6_nxt;
        g->l4 = o + IPV6_HEADER_LEN;
        g->end = g->l4 + ntohs(ip6->ip6_plen);
    } else {
        return -EINVAL;
    }
    if (g->end > size || g->l4 > g->end) {
        return -EINVAL;
    }

    if (g->proto == IPPROTO_TCP) {
        const struct tcp_header *tcp;
        size_t thl;

        if (g->end < g->l4 + TCP_HEADER_LEN) {
            return -EINVAL;
        }
        tcp = ALIGNED_CAST(const struct tcp_header *, d + g->l4);
        thl = TCP_OFFSET(tcp->tcp_ctl) * 4;
        if (thl < TCP_HEADER_LEN || g->end < g->l4 + thl) {
            return -EINVAL;
        }
        g->hdr_len = g->l4 + thl;
    } else if (g->proto == IPPROTO_UDP) {
        if (g->end < g->l4 + UDP_HEADER_LEN) {
            return -EINVAL;
        }
        g->hdr_len = g->l4 + UDP_HEADER_LEN;
    } else {
        return -EINVAL;
    }
    return 0;
}

/* Returns the partial sum over the pseudo-header of the packet whose
 * headers 'g' locates in 'd', from its IP header's addresses, length and
 * 'g->proto'. */
uint32_t
gre_l4_pseudo_sum(const uint8_t *d, const struct gre_l4_geom *g)
{
    if (g->ipv6) {
        return packet_csum_pseudoheader6(
            ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, d + g->l3));
    }
    return packet_csum_pseudoheader(
        ALIGNED_CAST(const struct ip_header *, d + g->l3));
}

/* Computes and writes the TCP or UDP checksum of the packet whose headers
 * 'g' locates in 'd', from its IP header's length, the bytes from the L4
 * header to 'summed_end' and 'rest_sum', the partial sum (gre_csum_add())
 * of the bytes after 'summed_end', which must be an even number of bytes
 * into the L4 header.  To checksum the whole packet, 'summed_end' is
 * 'g->end' and 'rest_sum' 0. */
void
gre_l4_csum_write(uint8_t *d, const struct gre_l4_geom *g,
                  size_t summed_end, uint64_t rest_sum)
{
    uint64_t sum = gre_l4_pseudo_sum(d, g) + rest_sum;
    ovs_be16 *field;

    if (g->proto == IPPROTO_TCP) {
        field = &ALIGNED_CAST(struct tcp_header *, d + g->l4)->tcp_csum;
    } else {
        field = &ALIGNED_CAST(struct udp_header *, d + g->l4)->udp_csum;
    }
    *field = 0;
    *field = gre_csum_finish(gre_csum_add(sum, d + g->l4,
                                          summed_end - g->l4));
    if (g->proto == IPPROTO_UDP && !*field) {
        *field = htons(0xffff);
    }
}

/* Sets the length field of the IPv4 or IPv6 header at 'ip', of a packet
 * 'len' bytes long; for IPv4, adds 'id_inc' to the id and computes the
 * checksum of the 'ihl'-byte header. */
void
gre_ip_fix(uint8_t *ip, bool ipv6, size_t len, size_t ihl, uint16_t id_inc)
{
    if (ipv6) {
        ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, ip)->ip6_plen =
            htons(len - IPV6_HEADER_LEN);
    } else {
        struct ip_header *ip4 = ALIGNED_CAST(struct ip_header *, ip);

        ip4->ip_tot_len = htons(len);
        ip4->ip_id = htons(ntohs(ip4->ip_id) + id_inc);
        ip4->ip_csum = 0;
        ip4->ip_csum = gre_csum(ip4, ihl);
    }
}
