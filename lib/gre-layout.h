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

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "gre-type.h"
#include "gre-wire.h"
#include "openvswitch/types.h"
#include "packets.h"
#include "util.h"

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

/* Returns the offset of the end of the GRE header, options included, in
 * the frame that 'lay' describes. */
static inline size_t
gre_layout_gre_end(const struct gre_layout *lay)
{
    return lay->gre + gre_calc_hlen(lay->gre_flags);
}

/* Fills 'lay' with the layout of the 'size'-byte frame at 'frame', whose
 * outer IP header (IPv4 or IPv6, by its version field) starts at offset
 * 'l3' and whose GRE header starts at offset 'gre'.  Reads the IP version,
 * the GRE flags and protocol and, for ERSPAN type III, the bit that says
 * whether a platform subheader follows; validates nothing (the receive
 * parse does that).
 *
 * Returns 0 if the GRE header and, for ERSPAN, the ERSPAN header end
 * within the frame.  Otherwise returns -EMSGSIZE with 'lay' filled as far
 * as the frame goes: the GRE header itself is cut short if
 * gre_layout_gre_end() is beyond 'size' (its flags read as 0 if not even
 * they are there, or if 'gre' is beyond GRE_LAYOUT_MAX_GRE_OFS),
 * otherwise the ERSPAN header is. */
static inline int
gre_layout_parse(struct gre_layout *lay, const void *frame_, size_t size,
                 size_t l3, size_t gre)
{
    const uint8_t *frame = frame_;
    const struct gre_base_hdr *greh;
    uint16_t flags;
    size_t ofs;

    memset(lay, 0, sizeof *lay);
    lay->l3 = l3;
    lay->gre = gre;
    lay->ipv6 = l3 < size && frame[l3] >> 4 == 6;
    if (gre > GRE_LAYOUT_MAX_GRE_OFS || size < gre + GRE_BASE_LEN) {
        return -EMSGSIZE;
    }

    greh = ALIGNED_CAST(const struct gre_base_hdr *, frame + gre);
    flags = ntohs(greh->flags);
    lay->gre_flags = flags;
    lay->proto = greh->protocol;

    ofs = gre + GRE_BASE_LEN;
    if (flags & GRE_CSUM) {
        lay->csum = ofs;
        ofs += GRE_OPTION_LEN;
    }
    if (flags & GRE_KEY) {
        lay->key = ofs;
        ofs += GRE_OPTION_LEN;
    }
    if (flags & GRE_SEQ) {
        lay->seq = ofs;
        ofs += GRE_OPTION_LEN;
    }

    lay->inner_eth = lay->proto == htons(ETH_TYPE_TEB);
    if (lay->proto == htons(ETH_TYPE_ERSPAN1)
        || lay->proto == htons(ETH_TYPE_ERSPAN2)) {
        lay->kind = GRE_KIND_ERSPAN;
        lay->inner_eth = true;
        if (lay->proto == htons(ETH_TYPE_ERSPAN2)) {
            lay->erspan = ofs;
            lay->ts = ofs + ERSPAN_V2_TS_OFFSET;
            ofs += ERSPAN_V2_LEN;
            if (ofs <= size && (erspan_word_get(frame + lay->erspan, 2)
                                & ERSPAN_V2_O_MASK)) {
                ofs += ERSPAN_V2_PLATFORM_LEN;
            }
        } else if (flags & GRE_SEQ) {
            lay->erspan = ofs;
            ofs += ERSPAN_V1_LEN;
        }
        /* Otherwise type I: the mirrored frame follows the GRE header. */
    }
    lay->inner = ofs;
    return ofs <= size ? 0 : -EMSGSIZE;
}

#endif /* gre-layout.h */
