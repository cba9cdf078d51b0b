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

#ifndef GRE_HEADER_H
#define GRE_HEADER_H 1

/* Building, pushing and parsing the outer headers of GRE-family tunnels.
 *
 * Transmit is split as OVS splits it:
 *
 *   - gre_build_header() runs once per datapath flow and writes the whole
 *     outer header (Ethernet, IPv4 or IPv6, GRE, ERSPAN) into the tunnel
 *     push action, with lengths, checksums and sequence numbers left for
 *     later.
 *
 *   - gre_push_plan_init() reads that template once per batch and notes
 *     what has to be patched per packet; gre_push_header() then prepends
 *     the template to one packet and patches only lengths, checksums, the
 *     sequence number and the ERSPAN timestamp.
 *
 * Receive: gre_parse_packet() validates the outer IP header and the GRE
 * header (and, for GRE protocol 0x88be or 0x22eb, the ERSPAN type I, II or
 * III header) of a packet whose l3 and l4 offsets are set, fills a small
 * neutral 'struct gre_rx_info' and returns the number of bytes to pull, or
 * a negative errno with the drop reason in the info.  It reads nothing
 * past the end of the packet and writes nothing into it.
 *
 * Error convention: builders return 0 or a positive errno; parsers return a
 * length or a negative errno. */

#include <netinet/in.h>
#include <netinet/ip6.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "compiler.h"
#include "dp-packet.h"
#include "gre-csum.h"
#include "gre-layout.h"
#include "gre-stats.h"
#include "gre-type.h"
#include "gre-wire.h"
#include "odp-netlink.h"
#include "openvswitch/types.h"
#include "packets.h"
#include "unaligned.h"
#include "util.h"

struct flow_tnl;
struct gre_options;
struct netdev_tnl_build_header_params;
struct ovs_action_push_tnl;

int gre_build_header(enum gre_kind, const struct gre_options *,
                     struct ovs_action_push_tnl *,
                     const struct netdev_tnl_build_header_params *);

/* What gre_push_header() patches in one header template: the template's
 * layout (whose 'inner' is the template's length) and what can be
 * computed once for every copy of it. */
struct gre_push_plan {
    struct gre_layout lay;
    uint16_t ip_csum_sum;       /* IPv4: one's complement of the
                                 * template's checksum, host order. */
    bool csum;                  /* GRE checksum to compute. */
    bool extras;                /* Any of sequence, timestamp, checksum. */
    uint64_t gre_sum;           /* With 'csum': partial checksum of the
                                 * template from the GRE header on, with
                                 * checksum and sequence number 0. */
};

void gre_push_plan_init(struct gre_push_plan *,
                        const struct ovs_action_push_tnl *);
ovs_be32 gre_erspan_timestamp(void);

/* Copies the 'len' bytes of a header template at 'src' to 'dst' in a few
 * fixed-size moves the compiler can inline, for the lengths GRE-family
 * headers have (32 to 96 bytes); other lengths go to memcpy(). */
static inline void
gre_copy_header(uint8_t *dst, const uint8_t *src, size_t len)
{
    if (OVS_LIKELY(len >= 32 && len <= 64)) {
        /* The two halves overlap unless 'len' is 64. */
        memcpy(dst, src, 32);
        memcpy(dst + len - 32, src + len - 32, 32);
    } else if (len > 64 && len <= 96) {
        memcpy(dst, src, 64);
        memcpy(dst + len - 32, src + len - 32, 32);
    } else {
        memcpy(dst, src, len);
    }
}

/* Prepends the header template in 'data' to 'packet', whose data must start
 * at the inner frame (or inner L3 header for an L3 packet), and patches the
 * copy as 'plan' says: outer lengths and IPv4 checksum (updated from the
 * template's, RFC 1624), 'seq' if the template has a sequence number,
 * 'timestamp' if it is ERSPAN type III, and finally the GRE checksum.  Sets
 * the packet's type to Ethernet and its l3 and l4 offsets to the outer IP
 * and GRE headers.  May reallocate 'packet''s buffer.
 *
 * Always inline: this is the per-packet body of the batch push. */
static inline ALWAYS_INLINE void
gre_push_header(struct dp_packet *packet,
                const struct ovs_action_push_tnl *data,
                const struct gre_push_plan *plan, uint32_t seq,
                ovs_be32 timestamp)
{
    const struct gre_layout *lay = &plan->lay;
    size_t hdr_len = lay->inner;
    size_t size = dp_packet_size(packet) + hdr_len;
    size_t l3_len = size - lay->l3;
    uint8_t *h = dp_packet_data(packet);

    if (OVS_LIKELY(dp_packet_headroom(packet) >= hdr_len)) {
        /* What dp_packet_push_uninit() does, without the call. */
        h -= hdr_len;
        dp_packet_set_data(packet, h);
        dp_packet_set_size(packet, size);
    } else {
        h = dp_packet_push_uninit(packet, hdr_len);
    }
    gre_copy_header(h, (const uint8_t *) data->header, hdr_len);

    packet->packet_type = htonl(PT_ETH);
    dp_packet_reset_offsets(packet);
    packet->l3_ofs = lay->l3;
    packet->l4_ofs = lay->gre;

    if (lay->ipv6) {
        struct ovs_16aligned_ip6_hdr *ip6;

        ip6 = ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, h + lay->l3);
        ip6->ip6_plen = htons(l3_len - IPV6_HEADER_LEN);
    } else {
        struct ip_header *ip = ALIGNED_CAST(struct ip_header *,
                                            h + lay->l3);
        ovs_be16 tot_len = htons(l3_len);

        /* The template's total length is 0: adding the length to the
         * complement of its checksum gives the new checksum's complement
         * (RFC 1624, eqn. 3), the value OVS's recalc_csum16() gives. */
        ip->ip_tot_len = tot_len;
        ip->ip_csum = gre_csum_finish(plan->ip_csum_sum
                                      + (OVS_FORCE uint16_t) tot_len);
    }

    if (OVS_LIKELY(!plan->extras)) {
        return;
    }
    if (lay->seq) {
        put_16aligned_be32(ALIGNED_CAST(ovs_16aligned_be32 *, h + lay->seq),
                           htonl(seq));
    }
    if (lay->ts) {
        put_16aligned_be32(ALIGNED_CAST(ovs_16aligned_be32 *, h + lay->ts),
                           timestamp);
    }
    if (plan->csum) {
        /* Covers the GRE header, with the sequence number, and the
         * payload.  Summed from the template's partial sum, the number
         * and the payload rather than read back from the header just
         * written, which would wait for those stores; the header is a
         * whole number of 16-bit words, so the sums add up to the same
         * checksum. */
        ovs_be16 *csum_opt = ALIGNED_CAST(ovs_be16 *, h + lay->csum);
        uint64_t sum = plan->gre_sum;

        if (lay->seq) {
            sum += (OVS_FORCE uint32_t) htonl(seq);
        }
        if (lay->ts) {
            sum += (OVS_FORCE uint32_t) timestamp;
        }
        sum = gre_csum_add(sum, h + hdr_len, size - hdr_len);
        *csum_opt = gre_csum_finish(sum);
    }
}

/* Returns true if the receiving netdev found the outer IPv4 checksum of
 * 'p' right.  (OVS 3.1 calls this dp_packet_ip_checksum_valid(), 3.5
 * dp_packet_ip_checksum_good(); the flags are the same in both.) */
static inline bool
gre_rx_ip_csum_good(const struct dp_packet *p)
{
    return ((*dp_packet_ol_flags_ptr(p) & DP_PACKET_OL_RX_IP_CKSUM_MASK)
            == DP_PACKET_OL_RX_IP_CKSUM_GOOD);
}

/* What a received packet's tunnel headers say, beyond the tunnel metadata
 * (addresses, key, ERSPAN fields) written into its 'struct flow_tnl'. */
struct gre_rx_info {
    struct gre_layout lay;      /* Kind, outer IPv6 and the offsets. */
    bool has_key;
    ovs_be32 key;               /* GRE key, or the ERSPAN session ID. */
    bool has_seq;
    uint32_t seq;
    bool has_csum;              /* And it is right, on success. */
    ovs_be32 packet_type;       /* Of the payload. */
    enum gre_drop drop;         /* Why, when the parse fails. */
    bool attributable;          /* On failure: endpoints and key valid. */
};

int gre_parse_packet(struct dp_packet *, struct flow_tnl *,
                     struct gre_rx_info *);

#endif /* gre-header.h */
