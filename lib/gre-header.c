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

#include "gre-header.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "gre-csum.h"
#include "gre-layout.h"
#include "gre-options.h"
#include "gre-wire.h"
#include "netdev.h"
#include "odp-netlink.h"
#include "openvswitch/flow.h"
#include "packets.h"
#include "timeval.h"
#include "unaligned.h"

/* Writes the outer Ethernet and IP headers for 'params' at the start of
 * 'data->header' and returns their length. */
static size_t
build_eth_ip(struct ovs_action_push_tnl *data,
             const struct netdev_tnl_build_header_params *params)
{
    const struct flow_tnl *tnl = &params->flow->tunnel;
    uint8_t *h = (uint8_t *) data->header;
    struct eth_header *eth = ALIGNED_CAST(struct eth_header *, h);

    eth->eth_dst = params->dmac;
    eth->eth_src = params->smac;
    eth->eth_type = htons(params->is_ipv6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP);

    if (!params->is_ipv6) {
        struct ip_header *ip = ALIGNED_CAST(struct ip_header *,
                                            h + ETH_HEADER_LEN);

        ip->ip_ihl_ver = IP_IHL_VER(5, 4);
        ip->ip_tos = tnl->ip_tos;
        ip->ip_ttl = tnl->ip_ttl;
        ip->ip_proto = IPPROTO_GRE;
        ip->ip_frag_off = (tnl->flags & FLOW_TNL_F_DONT_FRAGMENT
                           ? htons(IP_DF) : 0);
        put_16aligned_be32(&ip->ip_src,
                           in6_addr_get_mapped_ipv4(params->s_ip));
        put_16aligned_be32(&ip->ip_dst, tnl->ip_dst);
        /* Total length stays 0 here; the push adds it incrementally. */
        ip->ip_csum = csum(ip, IP_HEADER_LEN);
        return ETH_HEADER_LEN + IP_HEADER_LEN;
    } else {
        struct ovs_16aligned_ip6_hdr *ip6;

        ip6 = ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, h + ETH_HEADER_LEN);
        put_16aligned_be32(&ip6->ip6_flow,
                           htonl(6 << 28 | (uint32_t) tnl->ip_tos << 20));
        ip6->ip6_hlim = tnl->ip_ttl;
        ip6->ip6_nxt = IPPROTO_GRE;
        memcpy(&ip6->ip6_src, params->s_ip, sizeof ip6->ip6_src);
        memcpy(&ip6->ip6_dst, &tnl->ipv6_dst, sizeof ip6->ip6_dst);
        return ETH_HEADER_LEN + IPV6_HEADER_LEN;
    }
}

/* Writes a GRE header for a plain GRE port at 'greh' and returns its
 * length, or 0 if the flow's packet type cannot be carried. */
static size_t
build_gre(uint8_t *greh_, const struct gre_options *opts,
          const struct flow *flow)
{
    struct gre_base_hdr *greh = ALIGNED_CAST(struct gre_base_hdr *, greh_);
    uint16_t flags = 0;

    if (flow->packet_type == htonl(PT_ETH)) {
        greh->protocol = htons(ETH_TYPE_TEB);
    } else if (pt_ns(flow->packet_type) == OFPHTN_ETHERTYPE) {
        greh->protocol = pt_ns_type_be(flow->packet_type);
    } else {
        return 0;
    }

    if (flow->tunnel.flags & FLOW_TNL_F_CSUM) {
        flags |= GRE_CSUM;
    }
    if (opts->out_key.present) {
        flags |= GRE_KEY;
        put_16aligned_be32(ALIGNED_CAST(ovs_16aligned_be32 *,
                                        greh_ + gre_key_offset(flags)),
                           be64_to_be32(flow->tunnel.tun_id));
    }
    if (opts->seq) {
        /* The number itself is written per packet. */
        flags |= GRE_SEQ;
    }
    greh->flags = htons(flags);
    return gre_calc_hlen(flags);
}

/* Writes the GRE and ERSPAN headers of an ERSPAN port at 'greh' and returns
 * their length, or 0 if the flow's session ID or version cannot be sent. */
static size_t
build_erspan(uint8_t *greh_, const struct gre_options *opts,
             const struct flow *flow)
{
    struct gre_base_hdr *greh = ALIGNED_CAST(struct gre_base_hdr *, greh_);
    uint32_t tun_id = ntohll(flow->tunnel.tun_id);
    uint8_t *ers = greh_ + GRE_BASE_LEN + GRE_OPTION_LEN;
    int ver;

    if (tun_id & ~ERSPAN_SID_BITS) {
        /* ERSPAN has a 10-bit session ID. */
        return 0;
    }
    ver = (opts->erspan_ver.flow
           ? flow->tunnel.erspan_ver : opts->erspan_ver.value);

    greh->flags = htons(GRE_SEQ);
    if (ver == ERSPAN_VERSION_II) {
        uint32_t idx = (opts->erspan_idx.flow
                        ? flow->tunnel.erspan_idx : opts->erspan_idx.value);

        greh->protocol = htons(ETH_TYPE_ERSPAN1);
        erspan_word_put(ers, 0, ERSPAN_VERSION_II << ERSPAN_VER_SHIFT
                                | tun_id);
        erspan_word_put(ers, 1, idx & ERSPAN_V1_IDX_BITS);
        return GRE_BASE_LEN + GRE_OPTION_LEN + ERSPAN_V1_LEN;
    } else if (ver == ERSPAN_VERSION_III) {
        uint32_t hwid = (opts->erspan_hwid.flow
                         ? flow->tunnel.erspan_hwid : opts->erspan_hwid.value);
        uint32_t dir = (opts->erspan_dir.flow
                        ? flow->tunnel.erspan_dir : opts->erspan_dir.value);

        greh->protocol = htons(ETH_TYPE_ERSPAN2);
        erspan_word_put(ers, 0, ERSPAN_VERSION_III << ERSPAN_VER_SHIFT
                                | tun_id);
        /* Word 1, the timestamp, is written per packet. */
        erspan_word_put(ers, 2,
                        ((hwid << ERSPAN_V2_HWID_SHIFT) & ERSPAN_V2_HWID_MASK)
                        | ((dir << ERSPAN_V2_DIR_SHIFT) & ERSPAN_V2_DIR_MASK));
        return GRE_BASE_LEN + GRE_OPTION_LEN + ERSPAN_V2_LEN;
    }
    return 0;
}

/* Builds in 'data' the whole outer header for a packet of a port of 'kind'
 * configured as 'opts', sent as 'params' says (addresses, MACs, the flow with
 * its tunnel metadata).  Lengths, checksums that cover them, sequence
 * numbers and the ERSPAN timestamp are left for gre_push_header().
 *
 * Returns 0 on success, EINVAL if the flow cannot be sent through this port
 * (a packet type GRE cannot carry, an ERSPAN session ID over 10 bits, an
 * ERSPAN version other than 1 or 2). */
int
gre_build_header(enum gre_kind kind, const struct gre_options *opts,
                 struct ovs_action_push_tnl *data,
                 const struct netdev_tnl_build_header_params *params)
{
    size_t ip_len, gre_len;

    memset(data->header, 0, sizeof data->header);
    ip_len = build_eth_ip(data, params);
    gre_len = (kind == GRE_KIND_GRE
               ? build_gre((uint8_t *) data->header + ip_len, opts,
                           params->flow)
               : build_erspan((uint8_t *) data->header + ip_len, opts,
                              params->flow));
    if (!gre_len) {
        return EINVAL;
    }

    data->header_len = ip_len + gre_len;
    if (kind == GRE_KIND_GRE) {
        data->tnl_type = (params->is_ipv6
                          ? OVS_VPORT_TYPE_IP6GRE : OVS_VPORT_TYPE_GRE);
    } else {
        data->tnl_type = (params->is_ipv6
                          ? OVS_VPORT_TYPE_IP6ERSPAN : OVS_VPORT_TYPE_ERSPAN);
    }
    return 0;
}

/* Reads the header template in 'data' and fills 'plan' with what
 * gre_push_header() must patch in each copy of it.  'data' must come from
 * gre_build_header(). */
void
gre_push_plan_init(struct gre_push_plan *plan,
                   const struct ovs_action_push_tnl *data)
{
    const uint8_t *h = (const uint8_t *) data->header;
    const struct eth_header *eth = ALIGNED_CAST(const struct eth_header *, h);
    size_t ip_len = (eth->eth_type == htons(ETH_TYPE_IPV6)
                     ? IPV6_HEADER_LEN : IP_HEADER_LEN);
    struct gre_layout *lay = &plan->lay;

    gre_layout_parse(lay, h, data->header_len, ETH_HEADER_LEN,
                     ETH_HEADER_LEN + ip_len);
    plan->ip_csum_sum = 0;
    if (!lay->ipv6) {
        const struct ip_header *ip;

        ip = ALIGNED_CAST(const struct ip_header *, h + lay->l3);
        plan->ip_csum_sum = ~(OVS_FORCE uint16_t) ip->ip_csum;
    }
    plan->csum = lay->csum != 0;
    plan->extras = lay->seq || lay->ts || plan->csum;
    /* The template's checksum and sequence number are still 0. */
    plan->gre_sum = (plan->csum
                     ? gre_csum_add(0, h + lay->gre, lay->inner - lay->gre)
                     : 0);
}

/* Returns the ERSPAN type III timestamp for now, in units of 100
 * microseconds (granularity 00b), as OVS 3.1 sends it. */
ovs_be32
gre_erspan_timestamp(void)
{
    return htonl((uint32_t) (time_wall_usec() / 100));
}

/* Fails the parse in progress with drop reason 'reason'. */
static int
parse_fail(struct gre_rx_info *info, enum gre_drop reason)
{
    info->drop = reason;
    return -EINVAL;
}

/* Parses the outer IPv4 or IPv6 header of 'packet'.  On success, fills the
 * IP part of 'tnl' and returns the offset of the header after it (for
 * IPv6, after the extension headers).  Otherwise returns -EINVAL with the
 * reason in 'info->drop'. */
static int
parse_outer_ip(const struct dp_packet *packet, struct flow_tnl *tnl,
               struct gre_rx_info *info)
{
    const uint8_t *base = dp_packet_data(packet);
    size_t size = dp_packet_size(packet);
    size_t l3 = packet->l3_ofs;

    if (l3 == UINT16_MAX || l3 >= size) {
        return parse_fail(info, GRE_DROP_NOT_IP);
    }

    switch (base[l3] >> 4) {
    case 4: {
        const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *,
                                                  base + l3);
        size_t ihl, tot_len;

        if (size - l3 < IP_HEADER_LEN) {
            return parse_fail(info, GRE_DROP_IP_TRUNCATED);
        }
        ihl = IP_IHL(ip->ip_ihl_ver) * 4;
        if (ihl < IP_HEADER_LEN) {
            return parse_fail(info, GRE_DROP_IP_HEADER);
        }
        if (ihl > size - l3) {
            return parse_fail(info, GRE_DROP_IP_TRUNCATED);
        }
        if (!gre_rx_ip_csum_good(packet) && gre_csum(ip, ihl)) {
            return parse_fail(info, GRE_DROP_IP_CSUM);
        }
        tot_len = ntohs(ip->ip_tot_len);
        if (tot_len > size - l3) {
            return parse_fail(info, GRE_DROP_IP_TRUNCATED);
        }
        if (tot_len < ihl) {
            return parse_fail(info, GRE_DROP_IP_HEADER);
        }
        if (ihl > IP_HEADER_LEN) {
            return parse_fail(info, GRE_DROP_IP_OPTIONS);
        }
        if (ip->ip_proto != IPPROTO_GRE) {
            return parse_fail(info, GRE_DROP_NOT_GRE);
        }

        tnl->ip_src = get_16aligned_be32(&ip->ip_src);
        tnl->ip_dst = get_16aligned_be32(&ip->ip_dst);
        tnl->ip_tos = ip->ip_tos;
        tnl->ip_ttl = ip->ip_ttl;
        return l3 + ihl;
    }

    case 6: {
        const struct ovs_16aligned_ip6_hdr *ip6;
        size_t end;

        if (size - l3 < IPV6_HEADER_LEN) {
            return parse_fail(info, GRE_DROP_IP_TRUNCATED);
        }
        ip6 = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, base + l3);
        end = l3 + IPV6_HEADER_LEN + ntohs(ip6->ip6_plen);
        if (end > size) {
            return parse_fail(info, GRE_DROP_IP_TRUNCATED);
        }
        /* The flow extraction that chose tnl_pop has walked the extension
         * headers and left the l4 offset at GRE. */
        if (packet->l4_ofs == UINT16_MAX
            || packet->l4_ofs < l3 + IPV6_HEADER_LEN
            || packet->l4_ofs > end) {
            return parse_fail(info, GRE_DROP_IP_HEADER);
        }

        memcpy(&tnl->ipv6_src, &ip6->ip6_src, sizeof tnl->ipv6_src);
        memcpy(&tnl->ipv6_dst, &ip6->ip6_dst, sizeof tnl->ipv6_dst);
        tnl->ip_tos = ntohl(get_16aligned_be32(&ip6->ip6_flow)) >> 20;
        tnl->ip_ttl = ip6->ip6_hlim;
        return packet->l4_ofs;
    }

    default:
        return parse_fail(info, GRE_DROP_NOT_IP);
    }
}

/* Checks the GRE flags word 'flags' for a header of 'kind'.  Returns 0 if
 * it is acceptable, otherwise -EINVAL with the reason in 'info->drop'. */
static int
check_gre_flags(uint16_t flags, enum gre_kind kind, struct gre_rx_info *info)
{
    /* Version 0 only, no routing, no RFC 1701 bits: the only optional bits
     * are C, K and S, and ERSPAN uses only S. */
    if (flags & GRE_VERSION) {
        return parse_fail(info, GRE_DROP_GRE_VERSION);
    }
    if (flags & GRE_ROUTING) {
        return parse_fail(info, GRE_DROP_GRE_ROUTING);
    }
    if (flags & ~(kind == GRE_KIND_GRE ? GRE_KNOWN_FLAGS : GRE_SEQ)) {
        return parse_fail(info, GRE_DROP_GRE_FLAGS);
    }
    return 0;
}

/* Reads the ERSPAN header of 'packet', whose layout is 'info->lay', into
 * 'tnl' and 'info'.  'truncated' says whether the layout found the ERSPAN
 * header cut short; its first word is there in any case.  Returns 0, or
 * -EINVAL with the reason in 'info->drop'. */
static int
parse_erspan(const struct dp_packet *packet, bool truncated,
             struct flow_tnl *tnl, struct gre_rx_info *info)
{
    const struct gre_layout *lay = &info->lay;
    const uint8_t *ers = (const uint8_t *) dp_packet_data(packet)
                         + lay->erspan;
    uint32_t word0;
    int ver;

    word0 = erspan_word_get(ers, 0);
    ver = word0 >> ERSPAN_VER_SHIFT;
    if (ver != (lay->proto == htons(ETH_TYPE_ERSPAN1)
                ? ERSPAN_VERSION_II : ERSPAN_VERSION_III)) {
        return parse_fail(info, GRE_DROP_ERSPAN_VERSION);
    }
    if (truncated) {
        return parse_fail(info, GRE_DROP_ERSPAN_TRUNCATED);
    }

    info->has_key = true;
    info->key = htonl(word0 & ERSPAN_SID_BITS);
    tnl->tun_id = htonll(word0 & ERSPAN_SID_BITS);
    tnl->flags |= FLOW_TNL_F_KEY;
    tnl->erspan_ver = ver;
    if (ver == ERSPAN_VERSION_II) {
        tnl->erspan_idx = erspan_word_get(ers, 1) & ERSPAN_V1_IDX_BITS;
    } else {
        uint32_t word2 = erspan_word_get(ers, 2);

        tnl->erspan_dir = ((word2 & ERSPAN_V2_DIR_MASK)
                           >> ERSPAN_V2_DIR_SHIFT);
        tnl->erspan_hwid = ((word2 & ERSPAN_V2_HWID_MASK)
                            >> ERSPAN_V2_HWID_SHIFT);
    }
    return 0;
}

/* Parses the tunnel headers of 'packet': outer IPv4 or IPv6 (at the
 * packet's l3 offset), GRE and, when the GRE protocol is ERSPAN's, the
 * ERSPAN header.  'packet''s l3 offset must be set, and for IPv6 its l4
 * offset too (flow extraction does both).
 *
 * On success, fills 'tnl' (which the caller has cleared) and 'info', and
 * returns the number of bytes from the start of the packet to the inner
 * frame.  On failure returns -EINVAL and stores the reason in
 * 'info->drop'; then 'info->attributable' says whether the endpoints and
 * key in 'info' were read (so that the drop can be counted on a port), and
 * 'tnl' may be partly written.  Never reads past the end of 'packet' and
 * never writes into it.  The GRE checksum of a packet flagged for
 * segmentation (an aggregate of the underlay's GRO) is not checked. */
int
gre_parse_packet(struct dp_packet *packet, struct flow_tnl *tnl,
                 struct gre_rx_info *info)
{
    const uint8_t *base = dp_packet_data(packet);
    size_t size = dp_packet_size(packet);
    struct gre_layout *lay = &info->lay;
    int l4, error;

    memset(info, 0, sizeof *info);
    l4 = parse_outer_ip(packet, tnl, info);
    if (l4 < 0) {
        return l4;
    }

    /* As in OVS 3.1, the GRE header and payload run to the end of the
     * frame, whatever the outer length field says beyond the checks
     * above. */
    error = gre_layout_parse(lay, base, size, packet->l3_ofs, l4);
    if (l4 + GRE_BASE_LEN > size || l4 > GRE_LAYOUT_MAX_GRE_OFS) {
        return parse_fail(info, GRE_DROP_GRE_TRUNCATED);
    }
    if (check_gre_flags(lay->gre_flags, lay->kind, info)) {
        return -EINVAL;
    }
    if (gre_layout_gre_end(lay) > size) {
        return parse_fail(info, GRE_DROP_GRE_TRUNCATED);
    }

    if (lay->key) {
        info->has_key = true;
        info->key = get_16aligned_be32(ALIGNED_CAST(
                                           const ovs_16aligned_be32 *,
                                           base + lay->key));
        tnl->tun_id = be32_to_be64(info->key);
        tnl->flags |= FLOW_TNL_F_KEY;
    }
    if (lay->seq) {
        info->has_seq = true;
        info->seq = ntohl(get_16aligned_be32(ALIGNED_CAST(
                                                 const ovs_16aligned_be32 *,
                                                 base + lay->seq)));
    }
    if (lay->csum) {
        info->has_csum = true;
        tnl->flags |= FLOW_TNL_F_CSUM;
    }

    if (lay->kind == GRE_KIND_GRE) {
        uint16_t proto = ntohs(lay->proto);

        info->attributable = true;
        if (proto == ETH_TYPE_TEB) {
            info->packet_type = htonl(PT_ETH);
        } else if (proto >= ETH_TYPE_MIN) {
            info->packet_type = PACKET_TYPE_BE(OFPHTN_ETHERTYPE, proto);
        } else {
            return parse_fail(info, GRE_DROP_GRE_PROTO);
        }
    } else if (!lay->erspan) {
        /* Type I: the mirrored frame follows the bare GRE header.  It has
         * no session ID and no version field; it is reported with
         * tun_id 0 and tun_erspan_ver 0. */
        tnl->erspan_ver = ERSPAN_VERSION_I;
        info->attributable = true;
        info->packet_type = htonl(PT_ETH);
    } else {
        if (lay->erspan + ERSPAN_V1_LEN > size) {
            return parse_fail(info, GRE_DROP_ERSPAN_TRUNCATED);
        }
        if (parse_erspan(packet, error != 0, tnl, info)) {
            return -EINVAL;
        }
        info->attributable = true;
        info->packet_type = htonl(PT_ETH);
    }

    /* Last, so that a bad checksum can be counted on its port.  A packet
     * flagged for segmentation is an aggregate of segments that the
     * kernel's GRO coalesced after checking each one's checksums: its GRE
     * checksum is the first segment's, and says nothing of the rest. */
    if (lay->csum && !dp_packet_hwol_is_tso(packet)
        && gre_csum(base + lay->gre, size - lay->gre)) {
        return parse_fail(info, GRE_DROP_GRE_CSUM);
    }
    return lay->inner;
}
