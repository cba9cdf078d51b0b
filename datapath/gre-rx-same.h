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

#ifndef GRE_RX_SAME_H
#define GRE_RX_SAME_H 1

/* The same-header receive path of the batch pop.
 *
 * Packets of one tunnel in a batch carry outer headers that differ only in
 * the fields that change per packet: IPv4 total length, identification and
 * checksum; the IPv6 payload length and flow label; the GRE checksum and
 * sequence number; the ERSPAN type III timestamp.  Once a packet of the
 * batch has passed the whole parse, lookup and receive checks, its outer
 * header is remembered (gre_rx_same_fill()), as masked 16-byte units; a
 * later packet whose header matches it in every other bit, at the same
 * offsets (gre_rx_same_match()), gets the same verdict and the same tunnel
 * metadata (gre_rx_same_pop()), so only what depends on the changing
 * fields is checked again: the lengths against the packet's size, the
 * IPv4 header checksum, the GRE checksum and the sequence number.  Any
 * other packet takes the full path.
 *
 * The match and the pop are inline: they are the per-packet body of the
 * batch pop for a batch from one tunnel. */

#include <netinet/in.h>
#include <netinet/ip6.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "dp-packet.h"
#include "gre-csum.h"
#include "gre-header.h"
#include "gre-port.h"
#include "packets.h"
#include "unaligned.h"
#include "util.h"

struct gre_rx_info;

/* Longest outer header, from the outer IP header to the inner frame, that
 * the same-header path remembers, in 16-byte units. */
#define GRE_RX_SAME_UNITS 8

/* 16 bytes as two 64-bit lanes: one SSE2 register on x86-64, two words
 * where the target has no such registers. */
typedef uint64_t gre_u64x2 __attribute__((__vector_size__(16)));

struct gre_rx_same {
    bool valid;
    bool ipv6;
    uint16_t l3_ofs;                /* Packet offsets the header was at. */
    uint16_t l4_ofs;
    uint16_t hlen;                  /* Outer header, from the frame start. */
    uint8_t n_units;                /* 16-byte units of 'words'. */
    uint64_t ip_sum;                /* IPv4: partial checksum of the
                                     * header without the fields that
                                     * change per packet. */
    uint16_t seq_ofs;               /* From l3_ofs; 0 if no sequence. */
    uint16_t gre_ofs;               /* From l3_ofs. */
    bool has_csum;
    ovs_be32 packet_type;
    struct gre_port *port;
    struct gre_port_policy policy;
    gre_u64x2 words[GRE_RX_SAME_UNITS]; /* The header, from l3_ofs... */
    gre_u64x2 mask[GRE_RX_SAME_UNITS];  /* ...and the bits that must
                                         * match. */
    struct flow_tnl tnl;            /* Up to 'metadata.opts' only. */
};

/* Bytes of 'struct flow_tnl' that a pop writes: all but the option bytes,
 * which OVS never reads while the option length is 0. */
#define GRE_RX_TNL_LEN offsetof(struct flow_tnl, metadata.opts)

void gre_rx_same_fill(struct gre_rx_same *, const struct dp_packet *,
                      const struct gre_rx_info *, struct gre_port *,
                      const struct gre_port_policy *);

/* Returns true if the IPv4 header at 'ip', which is the one in 'same' but
 * for total length, identification and checksum, has a correct checksum:
 * the sum of those three fields and of the rest, known in advance, must
 * fold to 0xffff.  Exact, as a sum over the whole header is. */
static inline bool
gre_rx_same_ip4_csum_ok(const struct gre_rx_same *same, const uint8_t *ip)
{
    uint32_t len_id;
    uint16_t csum;

    memcpy(&len_id, ip + offsetof(struct ip_header, ip_tot_len), 4);
    memcpy(&csum, ip + offsetof(struct ip_header, ip_csum), 2);
    return !gre_csum_finish(same->ip_sum + len_id + csum);
}

/* Returns true if 'packet' has the outer header remembered in 'same', up
 * to the fields that change per packet, and those fields pass every check
 * the full parse makes of them; then stores in '*l3p' where its outer IP
 * header starts.  A packet for which this returns false takes the full
 * path, which decides and counts its fate. */
static inline bool
gre_rx_same_match(const struct gre_rx_same *same,
                  const struct dp_packet *packet, const uint8_t **l3p)
{
    size_t size = dp_packet_size(packet);
    const uint8_t *l3;
    gre_u64x2 diff = { 0, 0 };

    if (packet->l3_ofs != same->l3_ofs
        || size < same->l3_ofs + same->n_units * 16) {
        return false;
    }
    l3 = (const uint8_t *) dp_packet_data(packet) + same->l3_ofs;
    *l3p = l3;
    for (size_t i = 0; i < same->n_units; i++) {
        gre_u64x2 w;

        memcpy(&w, l3 + i * 16, 16);
        diff |= (w & same->mask[i]) ^ same->words[i];
    }
    if (diff[0] | diff[1]) {
        return false;
    }

    if (same->ipv6) {
        const struct ovs_16aligned_ip6_hdr *ip6;
        size_t end;

        ip6 = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, l3);
        end = same->l3_ofs + IPV6_HEADER_LEN + ntohs(ip6->ip6_plen);
        if (packet->l4_ofs != same->l4_ofs || end > size
            || same->l4_ofs > end) {
            return false;
        }
    } else {
        const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *,
                                                  l3);
        size_t tot_len = ntohs(ip->ip_tot_len);

        if (tot_len > size - same->l3_ofs || tot_len < IP_HEADER_LEN) {
            return false;
        }
        if (!gre_rx_ip_csum_good(packet)
            && !gre_rx_same_ip4_csum_ok(same, l3)) {
            return false;
        }
    }
    if (same->has_csum
        && gre_csum(l3 + same->gre_ofs,
                    size - same->l3_ofs - same->gre_ofs)) {
        return false;
    }
    return true;
}

/* Pops one 'packet' that gre_rx_same_match() accepted, with its outer IP
 * header at 'l3', as the full path would have popped it, and returns
 * true.  If the port checks sequence numbers and this one is behind,
 * returns false and leaves the packet as it is, for the caller to drop. */
static inline bool
gre_rx_same_pop(const struct gre_rx_same *same, struct dp_packet *packet,
                const uint8_t *l3)
{
    struct pkt_metadata *md = &packet->md;
    odp_port_t in_port = md->in_port.odp_port;

    if (OVS_UNLIKELY(same->policy.in_seq)) {
        ovs_be32 seq;

        /* The remembered header had a sequence number, or the full path
         * would have refused it. */
        seq = get_16aligned_be32(ALIGNED_CAST(const ovs_16aligned_be32 *,
                                              l3 + same->seq_ofs));
        if (!gre_port_seq_accept(same->port, ntohl(seq))) {
            return false;
        }
    }

    /* What pkt_metadata_init_tnl() and the parse write, except the
     * conntrack original tuple, which OVS reads only when 'ct_state' is
     * non-zero (pkt_metadata_init() leaves it too). */
    memset(md, 0, offsetof(struct pkt_metadata, ct_orig_tuple));
    memcpy(&md->tunnel, &same->tnl, GRE_RX_TNL_LEN);
    md->orig_in_port = in_port;

    dp_packet_reset_packet(packet, same->hlen);
    packet->packet_type = same->packet_type;
    return true;
}

#endif /* gre-rx-same.h */
