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

#include "gre-mtu.h"

#include <netinet/in.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "gre-options.h"
#include "gre-type.h"
#include "gre-wire.h"
#include "packets.h"
#include "unaligned.h"
#include "util.h"

/* Room left in front of a packet made here, for the outer headers of a
 * tunnel and what an output port prepends. */
#define MTU_HEADROOM 192

/* An ICMPv4 error quotes at most this much, so that it stays within 576
 * bytes (RFC 1812 section 4.3.2.3); an ICMPv6 error stays within the
 * IPv6 minimum MTU (RFC 4443 section 2.4 (c)). */
#define ICMP4_ERROR_MAX 576
#define ICMP6_ERROR_MAX 1280

/* IPv4 precedence "internetwork control", for the ICMP errors a router
 * sends (RFC 1812 section 4.3.2.5). */
#define TOS_INTERNETCONTROL 0xc0


/* Returns the number of bytes that a port of 'type' configured as 'opts'
 * puts in front of the inner IP packet: outer IP header, GRE header with
 * its options, ERSPAN header and, for an Ethernet payload, the inner
 * Ethernet header (without VLAN tags).  Stores in '*ipv6' whether the
 * outer header is IPv6.  With erspan_ver=flow it counts the longer type III
 * header. */
int
gre_mtu_overhead(const struct gre_type *type, const struct gre_options *opts,
                 bool *ipv6)
{
    int n;

    *ipv6 = (ipv6_addr_is_set(&opts->remote_ip)
             ? !IN6_IS_ADDR_V4MAPPED(&opts->remote_ip)
             : type->ipv6);
    n = *ipv6 ? IPV6_HEADER_LEN : IP_HEADER_LEN;

    if (type->kind == GRE_KIND_ERSPAN) {
        /* Sequence numbers always; no key or checksum. */
        n += GRE_BASE_LEN + GRE_OPTION_LEN;
        n += (!opts->erspan_ver.flow
              && opts->erspan_ver.value == ERSPAN_VERSION_II
              ? ERSPAN_V1_LEN : ERSPAN_V2_LEN);
        return n + ETH_HEADER_LEN;
    }

    n += GRE_BASE_LEN;
    n += opts->csum ? GRE_OPTION_LEN : 0;
    n += opts->out_key.present || opts->out_key.flow ? GRE_OPTION_LEN : 0;
    n += opts->seq ? GRE_OPTION_LEN : 0;
    if (opts->pt_mode == NETDEV_PT_LEGACY_L2) {
        n += ETH_HEADER_LEN;
    }
    return n;
}

/* Finds the IP packet in 'p', whose data starts at an Ethernet frame if
 * 'is_eth' (VLAN tags are skipped) and otherwise at an L3 header of the
 * packet's type. */
void
gre_mtu_inner_parse(const struct dp_packet *p, bool is_eth,
                    struct gre_mtu_inner *in)
{
    const uint8_t *d = dp_packet_data(p);
    size_t size = dp_packet_size(p);
    ovs_be16 eth_type;
    size_t l3 = 0;

    memset(in, 0, sizeof *in);
    if (is_eth) {
        if (size < ETH_HEADER_LEN) {
            return;
        }
        memcpy(&eth_type, d + 2 * ETH_ADDR_LEN, sizeof eth_type);
        l3 = ETH_HEADER_LEN;
        while (eth_type_vlan(eth_type) && size >= l3 + VLAN_HEADER_LEN) {
            memcpy(&eth_type, d + l3 + 2, sizeof eth_type);
            l3 += VLAN_HEADER_LEN;
        }
    } else if (pt_ns(p->packet_type) == OFPHTN_ETHERTYPE) {
        eth_type = pt_ns_type_be(p->packet_type);
    } else {
        return;
    }
    in->l3 = l3;

    if (eth_type == htons(ETH_TYPE_IP) && size - l3 >= IP_HEADER_LEN
        && IP_VER(d[l3]) == 4) {
        const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *,
                                                  d + l3);

        in->ip_version = 4;
        in->df = (ip->ip_frag_off & htons(IP_DONT_FRAGMENT)) != 0;
        in->fragment = IP_IS_FRAGMENT(ip->ip_frag_off) != 0;
    } else if (eth_type == htons(ETH_TYPE_IPV6)
               && size - l3 >= IPV6_HEADER_LEN && d[l3] >> 4 == 6) {
        in->ip_version = 6;
        in->df = true;
    }
}

/* Returns true if ICMPv4 'type' is that of an error message, about which
 * no error may be sent (RFC 1122 section 3.2.2). */
static bool
icmp4_is_error(uint8_t type)
{
    return (type == ICMP4_DST_UNREACH || type == ICMP4_SOURCEQUENCH
            || type == ICMP4_REDIRECT || type == ICMP4_TIME_EXCEEDED
            || type == ICMP4_PARAM_PROB);
}

/* Starts 'icmp' with a copy of the L2 header of 'p' (the 'l2_len' bytes
 * in front of its IP header), with source and destination swapped. */
static void
put_reversed_l2(struct dp_packet *icmp, const struct dp_packet *p,
                size_t l2_len)
{
    struct eth_header *eth;
    struct eth_addr src;

    if (!l2_len) {
        return;
    }
    eth = dp_packet_put(icmp, dp_packet_data(p), l2_len);
    src = eth->eth_src;
    eth->eth_src = eth->eth_dst;
    eth->eth_dst = src;
    dp_packet_set_l3(icmp, (uint8_t *) dp_packet_data(icmp) + l2_len);
}

/* The ICMPv4 Fragmentation Needed for the IPv4 packet at 'ip', 'avail'
 * bytes of it in the frame. */
static struct dp_packet *
icmp4_too_big(const struct dp_packet *p, const struct gre_mtu_inner *in,
              const uint8_t *ip_, size_t avail, int mtu)
{
    const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *, ip_);
    ovs_be32 src = get_16aligned_be32(&ip->ip_src);
    ovs_be32 dst = get_16aligned_be32(&ip->ip_dst);
    size_t ihl = IP_IHL(ip->ip_ihl_ver) * 4;
    struct icmp_header *icmp;
    struct ip_header *nip;
    struct dp_packet *e;
    size_t quote;

    if (ihl < IP_HEADER_LEN || ihl > avail) {
        return NULL;
    }
    /* Only about the first fragment, never to or from a multicast or
     * broadcast address or an unknown source, never about an ICMP error
     * (RFC 1122 section 3.2.2, RFC 1812 section 4.3.2.7). */
    if (ip->ip_frag_off & htons(IP_FRAG_OFF_MASK)
        || !src || ip_is_multicast(src) || ip_is_multicast(dst)
        || src == htonl(INADDR_BROADCAST) || dst == htonl(INADDR_BROADCAST)
        || (ip->ip_proto == IPPROTO_ICMP
            && (avail <= ihl || icmp4_is_error(ip_[ihl])))) {
        return NULL;
    }

    quote = MIN(MIN(ntohs(ip->ip_tot_len), avail),
                ICMP4_ERROR_MAX - IP_HEADER_LEN - ICMP_HEADER_LEN);
    e = dp_packet_new_with_headroom(in->l3 + IP_HEADER_LEN
                                    + ICMP_HEADER_LEN + quote,
                                    MTU_HEADROOM);
    put_reversed_l2(e, p, in->l3);

    nip = dp_packet_put_zeros(e, IP_HEADER_LEN);
    nip->ip_ihl_ver = IP_IHL_VER(IP_HEADER_LEN / 4, IP_VERSION);
    nip->ip_tos = TOS_INTERNETCONTROL;
    nip->ip_tot_len = htons(IP_HEADER_LEN + ICMP_HEADER_LEN + quote);
    nip->ip_ttl = 64;
    nip->ip_proto = IPPROTO_ICMP;
    /* From the address the packet was for, as Linux's bridged tunnels do:
     * the bridge has no address of its own on the inner network. */
    put_16aligned_be32(&nip->ip_src, dst);
    put_16aligned_be32(&nip->ip_dst, src);
    nip->ip_csum = csum(nip, IP_HEADER_LEN);

    icmp = dp_packet_put_zeros(e, ICMP_HEADER_LEN);
    icmp->icmp_type = ICMP4_DST_UNREACH;
    icmp->icmp_code = ICMP4_CODE_FRAG_NEEDED;
    icmp->icmp_fields.frag.mtu = htons(mtu);
    dp_packet_put(e, ip_, quote);
    icmp->icmp_csum = csum(icmp, ICMP_HEADER_LEN + quote);

    e->packet_type = (in->l3 ? htonl(PT_ETH)
                      : PACKET_TYPE_BE(OFPHTN_ETHERTYPE, ETH_TYPE_IP));
    return e;
}

/* The ICMPv6 Packet Too Big for the IPv6 packet at 'ip', 'avail' bytes of
 * it in the frame. */
static struct dp_packet *
icmp6_too_big(const struct dp_packet *p, const struct gre_mtu_inner *in,
              const uint8_t *ip_, size_t avail, int mtu)
{
    const struct ovs_16aligned_ip6_hdr *ip6
        = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, ip_);
    struct ovs_16aligned_ip6_hdr *nip6;
    struct icmp6_data_header *icmp6;
    struct in6_addr src, dst;
    struct dp_packet *e;
    size_t quote;

    memcpy(&src, &ip6->ip6_src, sizeof src);
    memcpy(&dst, &ip6->ip6_dst, sizeof dst);
    /* Never to an unspecified or multicast source, never about an ICMPv6
     * error (RFC 4443 section 2.4 (e)); a multicast destination may have
     * one (Packet Too Big is the exception), but it cannot be the error's
     * source. */
    if (!ipv6_addr_is_set(&src) || ipv6_addr_is_multicast(&src)
        || ipv6_addr_is_multicast(&dst)
        || (ip6->ip6_nxt == IPPROTO_ICMPV6
            && (avail <= IPV6_HEADER_LEN || ip_[IPV6_HEADER_LEN] < 128))) {
        return NULL;
    }

    quote = MIN(MIN(IPV6_HEADER_LEN + ntohs(ip6->ip6_plen), avail),
                ICMP6_ERROR_MAX - IPV6_HEADER_LEN - ICMP6_DATA_HEADER_LEN);
    e = dp_packet_new_with_headroom(in->l3 + IPV6_HEADER_LEN
                                    + ICMP6_DATA_HEADER_LEN + quote,
                                    MTU_HEADROOM);
    put_reversed_l2(e, p, in->l3);

    nip6 = dp_packet_put_zeros(e, IPV6_HEADER_LEN);
    put_16aligned_be32(&nip6->ip6_flow, htonl(6 << 28));
    nip6->ip6_plen = htons(ICMP6_DATA_HEADER_LEN + quote);
    nip6->ip6_nxt = IPPROTO_ICMPV6;
    nip6->ip6_hlim = 64;
    memcpy(&nip6->ip6_src, &dst, sizeof dst);
    memcpy(&nip6->ip6_dst, &src, sizeof src);

    icmp6 = dp_packet_put_zeros(e, ICMP6_DATA_HEADER_LEN);
    icmp6->icmp6_base.icmp6_type = ICMP6_TYPE_PACKET_TOO_BIG;
    put_16aligned_be32(&icmp6->icmp6_data.be32[0], htonl(mtu));
    dp_packet_put(e, ip_, quote);
    icmp6->icmp6_base.icmp6_cksum
        = packet_csum_upperlayer6(nip6, icmp6, IPPROTO_ICMPV6,
                                  ICMP6_DATA_HEADER_LEN + quote);

    e->packet_type = (in->l3 ? htonl(PT_ETH)
                      : PACKET_TYPE_BE(OFPHTN_ETHERTYPE, ETH_TYPE_IPV6));
    return e;
}

/* Returns a new packet: the ICMPv4 Destination Unreachable, Fragmentation
 * Needed (for IPv4) or ICMPv6 Packet Too Big (for IPv6) that tells the
 * sender of 'p', found as 'in' says, that the path takes IP packets of at
 * most 'mtu' bytes.  It is addressed to the sender, from the address the
 * packet was for, in an Ethernet frame (with the same VLAN tags) from and
 * to the swapped addresses of 'p''s if 'p' is an Ethernet frame, and
 * quotes as much of 'p' as RFC 1812 and RFC 4443 allow.
 *
 * Returns NULL if no error may be sent about 'p' (not IP; not the first
 * fragment; from or to a multicast, broadcast or unspecified address; an
 * ICMP error itself). */
struct dp_packet *
gre_mtu_icmp_too_big(const struct dp_packet *p,
                     const struct gre_mtu_inner *in, int mtu)
{
    const uint8_t *ip = (const uint8_t *) dp_packet_data(p) + in->l3;
    size_t avail = dp_packet_size(p) - in->l3;

    switch (in->ip_version) {
    case 4:
        return icmp4_too_big(p, in, ip, avail, mtu);
    case 6:
        return icmp6_too_big(p, in, ip, avail, mtu);
    default:
        return NULL;
    }
}

/* Copies to 'dst' the IPv4 options among the 'n' bytes at 'opts' that
 * every fragment carries (those with the "copied" bit, RFC 791), padded
 * with End of Option List to a multiple of 4 bytes.  Returns their length,
 * at most 40. */
static size_t
copied_options(const uint8_t *opts, size_t n, uint8_t dst[40])
{
    size_t i = 0, len = 0;

    while (i < n && opts[i] != 0) {
        size_t olen = opts[i] == 1 ? 1 : (i + 1 < n ? opts[i + 1] : 0);

        if (olen < 1 || (opts[i] != 1 && olen < 2) || olen > n - i) {
            break;
        }
        if (opts[i] & 0x80) {
            memcpy(dst + len, opts + i, olen);
            len += olen;
        }
        i += olen;
    }
    while (len % 4) {
        dst[len++] = 0;
    }
    return len;
}

/* Fragments the IPv4 packet in 'p', found as 'in' says, into IP packets of
 * at most 'mtu' bytes (RFC 791): the first keeps all of its options, the
 * others those with the "copied" bit; each fragment has the same
 * identification, its offset, MF and its own header checksum, behind a
 * copy of 'p''s L2 header.  A packet that is a fragment already is cut
 * further, its offset and its last piece's MF kept.  'p' is not changed.
 *
 * Stores the fragments, new packets of 'p''s packet type, in 'frags' and
 * returns their number.  Returns 0 and makes none if 'p' may not be
 * fragmented (DF), is malformed, or would take more than 'max'
 * fragments. */
size_t
gre_mtu_fragment4(const struct dp_packet *p, const struct gre_mtu_inner *in,
                  int mtu, struct dp_packet **frags, size_t max)
{
    const uint8_t *d = dp_packet_data(p);
    const uint8_t *ipb = d + in->l3;
    const struct ip_header *ip = ALIGNED_CAST(const struct ip_header *, ipb);
    size_t avail = dp_packet_size(p) - in->l3;
    size_t ihl, tot_len, payload, first_room, later_room, n, pos;
    uint8_t copied[40];
    size_t n_copied;
    uint16_t frag_off;

    if (in->ip_version != 4) {
        return 0;
    }
    ihl = IP_IHL(ip->ip_ihl_ver) * 4;
    tot_len = ntohs(ip->ip_tot_len);
    frag_off = ntohs(ip->ip_frag_off);
    if (ihl < IP_HEADER_LEN || tot_len < ihl || tot_len > avail
        || frag_off & IP_DONT_FRAGMENT || mtu < 68) {
        return 0;
    }

    n_copied = copied_options(ipb + IP_HEADER_LEN, ihl - IP_HEADER_LEN,
                              copied);
    payload = tot_len - ihl;
    first_room = (mtu - ihl) & ~7;
    later_room = (mtu - IP_HEADER_LEN - n_copied) & ~7;
    if (!first_room || !later_room) {
        return 0;
    }
    n = (payload <= first_room ? 1
         : 1 + DIV_ROUND_UP(payload - first_room, later_room));
    if (n > max) {
        return 0;
    }

    for (pos = 0, n = 0; pos < payload || !n; n++) {
        bool first = !pos;
        size_t hlen = first ? ihl : IP_HEADER_LEN + n_copied;
        size_t len = MIN(first ? first_room : later_room, payload - pos);
        bool last = pos + len == payload;
        struct ip_header *fip;
        struct dp_packet *f;
        uint16_t off;

        f = dp_packet_new_with_headroom(in->l3 + hlen + len, MTU_HEADROOM);
        dp_packet_put(f, d, in->l3);
        fip = dp_packet_put(f, ipb, IP_HEADER_LEN);
        if (first) {
            dp_packet_put(f, ipb + IP_HEADER_LEN, ihl - IP_HEADER_LEN);
        } else {
            dp_packet_put(f, copied, n_copied);
        }
        dp_packet_put(f, ipb + ihl + pos, len);

        off = (frag_off & IP_FRAG_OFF_MASK) + pos / 8;
        if (!last || frag_off & IP_MORE_FRAGMENTS) {
            off |= IP_MORE_FRAGMENTS;
        }
        fip->ip_ihl_ver = IP_IHL_VER(hlen / 4, IP_VERSION);
        fip->ip_tot_len = htons(hlen + len);
        fip->ip_frag_off = htons(off);
        fip->ip_csum = 0;
        fip->ip_csum = csum(fip, hlen);

        f->packet_type = p->packet_type;
        frags[n] = f;
        pos += len;
    }
    return n;
}

/* Fragments the IPv6 packet that starts 'l3' bytes into 'p' into IPv6
 * packets of at most 'mtu' bytes (RFC 8200 section 4.5): each is a copy
 * of 'p''s L2 and IPv6 header followed by a Fragment header with
 * identification 'id' and a piece of everything after the IPv6 header, a
 * multiple of 8 bytes but for the last.  Extension headers in front of the
 * fragment header are not kept apart: 'p' is a packet the push made, whose
 * IPv6 header is followed by GRE.  'p' is not changed.
 *
 * Stores the fragments, new packets of 'p''s packet type, in 'frags' and
 * returns their number.  Returns 0 and makes none if 'p' is malformed, is
 * a fragment already, or would take more than 'max' fragments. */
size_t
gre_mtu_fragment6(const struct dp_packet *p, size_t l3, int mtu,
                  ovs_be32 id, struct dp_packet **frags, size_t max)
{
    const uint8_t *d = dp_packet_data(p);
    const struct ovs_16aligned_ip6_hdr *ip6;
    size_t payload, room, n, pos;

    if (dp_packet_size(p) < l3 + IPV6_HEADER_LEN) {
        return 0;
    }
    ip6 = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, d + l3);
    payload = ntohs(ip6->ip6_plen);
    if (ip6->ip6_nxt == IPPROTO_FRAGMENT
        || payload > dp_packet_size(p) - l3 - IPV6_HEADER_LEN
        || mtu < IPV6_HEADER_LEN + 8 + 8) {
        return 0;
    }
    room = (mtu - IPV6_HEADER_LEN - sizeof (struct ovs_16aligned_ip6_frag))
           & ~7;
    n = payload <= room ? 1 : DIV_ROUND_UP(payload, room);
    if (n > max) {
        return 0;
    }

    for (pos = 0, n = 0; pos < payload || !n; n++) {
        size_t len = MIN(room, payload - pos);
        struct ovs_16aligned_ip6_hdr *fip6;
        struct ovs_16aligned_ip6_frag *fh;
        struct dp_packet *f;

        f = dp_packet_new_with_headroom(l3 + IPV6_HEADER_LEN + sizeof *fh
                                        + len, MTU_HEADROOM);
        dp_packet_put(f, d, l3);
        fip6 = dp_packet_put(f, ip6, IPV6_HEADER_LEN);
        fh = dp_packet_put_zeros(f, sizeof *fh);
        dp_packet_put(f, d + l3 + IPV6_HEADER_LEN + pos, len);

        fip6->ip6_nxt = IPPROTO_FRAGMENT;
        fip6->ip6_plen = htons(sizeof *fh + len);
        fh->ip6f_nxt = ip6->ip6_nxt;
        fh->ip6f_offlg = htons(pos | (pos + len < payload ? 1 : 0));
        put_16aligned_be32(&fh->ip6f_ident, id);

        f->packet_type = p->packet_type;
        frags[n] = f;
        pos += len;
    }
    return n;
}

/* Returns 'x' with its two bytes exchanged. */
static ovs_be16
swap16(ovs_be16 x)
{
    uint16_t v = (OVS_FORCE uint16_t) x;

    return (OVS_FORCE ovs_be16) (uint16_t) (v << 8 | v >> 8);
}

/* If 'p', found as 'in' says, is a TCP segment with SYN set (a SYN or a
 * SYN-ACK) over IPv4 or IPv6 (no extension headers, not a fragment) whose
 * MSS option is above 'mss', lowers the option to 'mss' and returns true.
 * Updates the TCP checksum incrementally (RFC 1624) if 'update_csum',
 * which the caller clears when the checksum is still to be computed. */
bool
gre_mtu_clamp_mss(struct dp_packet *p, const struct gre_mtu_inner *in,
                  uint16_t mss, bool update_csum)
{
    uint8_t *ipb = (uint8_t *) dp_packet_data(p) + in->l3;
    size_t avail = dp_packet_size(p) - in->l3;
    struct tcp_header *tcp;
    size_t l4, tcp_len, i;
    uint8_t *opts;

    if (in->ip_version == 4) {
        const struct ip_header *ip = ALIGNED_CAST(struct ip_header *, ipb);

        l4 = IP_IHL(ip->ip_ihl_ver) * 4;
        if (ip->ip_proto != IPPROTO_TCP || in->fragment || l4 < IP_HEADER_LEN
            || ntohs(ip->ip_tot_len) > avail) {
            return false;
        }
        avail = ntohs(ip->ip_tot_len);
    } else if (in->ip_version == 6) {
        const struct ovs_16aligned_ip6_hdr *ip6
            = ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, ipb);

        l4 = IPV6_HEADER_LEN;
        if (ip6->ip6_nxt != IPPROTO_TCP
            || IPV6_HEADER_LEN + ntohs(ip6->ip6_plen) > avail) {
            return false;
        }
        avail = IPV6_HEADER_LEN + ntohs(ip6->ip6_plen);
    } else {
        return false;
    }
    if (avail < l4 + TCP_HEADER_LEN) {
        return false;
    }
    tcp = ALIGNED_CAST(struct tcp_header *, ipb + l4);
    tcp_len = TCP_OFFSET(tcp->tcp_ctl) * 4;
    if (!(TCP_FLAGS(tcp->tcp_ctl) & TCP_SYN) || tcp_len < TCP_HEADER_LEN
        || tcp_len > avail - l4) {
        return false;
    }

    opts = (uint8_t *) tcp + TCP_HEADER_LEN;
    for (i = 0; i < tcp_len - TCP_HEADER_LEN; ) {
        size_t left = tcp_len - TCP_HEADER_LEN - i;
        uint8_t kind = opts[i];

        if (kind == 0) {
            break;
        } else if (kind == 1) {
            i++;
            continue;
        } else if (left < 2 || opts[i + 1] < 2 || opts[i + 1] > left) {
            break;
        } else if (kind == 2 && opts[i + 1] == 4) {
            ovs_be16 old, new = htons(mss);

            memcpy(&old, opts + i + 2, sizeof old);
            if (ntohs(old) <= mss) {
                return false;
            }
            memcpy(opts + i + 2, &new, sizeof new);
            if (update_csum) {
                /* At an odd offset in the TCP header (after an odd number
                 * of NOPs) the value's bytes fall in two 16-bit words of
                 * the sum, which is the same as the value byte-swapped in
                 * one word. */
                if (i % 2) {
                    old = swap16(old);
                    new = swap16(new);
                }
                tcp->tcp_csum = recalc_csum16(tcp->tcp_csum, old, new);
            }
            return true;
        }
        i += opts[i + 1];
    }
    return false;
}
