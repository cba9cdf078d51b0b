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

#ifndef GRE_LAYOUT_H
#define GRE_LAYOUT_H 1

/* Where the parts of a GRE-family outer header are.
 *
 * One value type, computed once from a header by gre_layout_parse(), for
 * everything that needs the offsets of an outer header: the push plan
 * made from a header template, the receive parse, the same-header receive
 * cache and the segmentation of tunnelled TSO packets.  (Linux's 'struct
 * tnl_ptk_info' and DPDK's outer_l2_len/outer_l3_len/l2_len play the same
 * part.)  Offsets count from the start of the frame:
 *
 *   +----------+-----------------+---------------------+--------+-------+
 *   | Ethernet | outer IPv4/IPv6 | GRE [csum][key][seq]| ERSPAN | inner |
 *   +----------+-----------------+---------------------+--------+-------+
 *   0          l3                gre                   erspan   inner
 *
 * An optional part that is absent has offset 0, which no part can have:
 * the outer IP header comes first. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gre-type.h"
#include "gre-wire.h"
#include "openvswitch/types.h"

/* The GRE header of a frame gre_layout_parse() takes starts at most this
 * far into it (a 64 kB frame whose outer header is where no datapath puts
 * one is treated as cut short). */
#define GRE_LAYOUT_MAX_GRE_OFS (UINT16_MAX - 64)

struct gre_layout {
    uint16_t l3;                /* Outer IPv4 or IPv6 header. */
    uint16_t gre;               /* GRE header. */
    uint16_t csum;              /* GRE checksum field, or 0. */
    uint16_t key;               /* GRE key, or 0. */
    uint16_t seq;               /* GRE sequence number, or 0. */
    uint16_t erspan;            /* ERSPAN type II or III header, or 0 (no
                                 * ERSPAN, or type I, which has none). */
    uint16_t ts;                /* ERSPAN type III timestamp, or 0. */
    uint16_t inner;             /* Inner frame or L3 packet. */
    uint16_t gre_flags;         /* GRE flags word, host byte order. */
    ovs_be16 proto;             /* GRE protocol. */
    enum gre_kind kind;         /* ERSPAN for protocol 0x88be or 0x22eb. */
    bool ipv6;                  /* Outer IPv6. */
    bool inner_eth;             /* The payload is an Ethernet frame. */
};

int gre_layout_parse(struct gre_layout *, const void *frame, size_t size,
                     size_t l3, size_t gre);

/* Returns the offset of the end of the GRE header, options included, in
 * the frame that 'lay' describes. */
static inline size_t
gre_layout_gre_end(const struct gre_layout *lay)
{
    return lay->gre + gre_calc_hlen(lay->gre_flags);
}

#endif /* gre-layout.h */
