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

#ifndef GRE_MTU_H
#define GRE_MTU_H 1

/* Path MTU: what a tunnel costs in bytes, and what to do with a packet
 * that does not fit (RFC 1191, RFC 8201, RFC 4459).
 *
 * Everything here works on the bytes of one packet, as the push sees it:
 * data starting at the inner Ethernet frame of an L2 port, or at the inner
 * IP header of an L3 port.  Nothing needs a daemon. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/types.h"

struct dp_packet;
struct gre_options;
struct gre_type;

/* The smallest path MTUs an endpoint accepts (RFC 791 as Linux reads it,
 * RFC 8200). */
#define GRE_MTU_MIN_IPV4 552
#define GRE_MTU_MIN_IPV6 1280

/* ICMP Destination Unreachable's code for Fragmentation Needed (RFC 792),
 * ICMPv6 Packet Too Big's type (RFC 4443). */
#define ICMP4_CODE_FRAG_NEEDED 4
#define ICMP6_TYPE_PACKET_TOO_BIG 2

int gre_mtu_overhead(const struct gre_type *, const struct gre_options *,
                     bool *ipv6);

/* Where the inner IP packet of a frame is. */
struct gre_mtu_inner {
    size_t l3;                  /* Offset of the IP header. */
    int ip_version;             /* 4 or 6; 0 if the payload is not IP. */
    bool df;                    /* IPv4 DF, or IPv6 (never fragmented on
                                 * the way). */
    bool fragment;              /* IPv4: a fragment already. */
};

void gre_mtu_inner_parse(const struct dp_packet *, bool is_eth,
                         struct gre_mtu_inner *);

struct dp_packet *gre_mtu_icmp_too_big(const struct dp_packet *,
                                       const struct gre_mtu_inner *,
                                       int mtu);

size_t gre_mtu_fragment4(const struct dp_packet *,
                         const struct gre_mtu_inner *, int mtu,
                         struct dp_packet **frags, size_t max);

size_t gre_mtu_fragment6(const struct dp_packet *, size_t l3, int mtu,
                         ovs_be32 id, struct dp_packet **frags, size_t max);

bool gre_mtu_clamp_mss(struct dp_packet *, const struct gre_mtu_inner *,
                       uint16_t mss, bool update_csum);

#endif /* gre-mtu.h */
