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

#ifndef GRE_WIRE_H
#define GRE_WIRE_H 1

/* Wire formats of GRE (RFC 2784, RFC 2890) and ERSPAN type II and III
 * (draft-foschiano-erspan), as fields and masks.
 *
 * The GRE base header itself is OVS's 'struct gre_base_hdr' with the
 * GRE_CSUM, GRE_ROUTING, GRE_KEY, GRE_SEQ, GRE_STRICT, GRE_REC, GRE_FLAGS
 * and GRE_VERSION masks from packets.h; this file adds what OVS has only as
 * bit-fields or private helpers.  Everything after an Ethernet header is
 * only 16-bit aligned: read and write 32-bit words with get_16aligned_be32()
 * and put_16aligned_be32(). */

#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"
#include "packets.h"
#include "unaligned.h"

/* GRE header.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|  Flags  | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Reserved1 (optional)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (optional)                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sequence Number (optional)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The options appear in this order, each only when its flag is set.  R, s
 * and Recur come from RFC 1701 and must be zero under RFC 2784. */

#define GRE_BASE_LEN 4              /* Flags and protocol. */
#define GRE_OPTION_LEN 4            /* Each of checksum, key, sequence. */
#define GRE_MAX_LEN (GRE_BASE_LEN + 3 * GRE_OPTION_LEN)

/* The flags this implementation can carry. */
#define GRE_KNOWN_FLAGS (GRE_CSUM | GRE_KEY | GRE_SEQ)

/* Returns the length of a GRE header (base and options) whose flags word,
 * in host byte order, is 'flags'. */
static inline size_t
gre_calc_hlen(uint16_t flags)
{
    return (GRE_BASE_LEN
            + (flags & GRE_CSUM ? GRE_OPTION_LEN : 0)
            + (flags & GRE_KEY ? GRE_OPTION_LEN : 0)
            + (flags & GRE_SEQ ? GRE_OPTION_LEN : 0));
}

/* Offsets of the options within a GRE header with 'flags'.  Only valid for
 * an option whose flag is set. */
static inline size_t
gre_key_offset(uint16_t flags)
{
    return GRE_BASE_LEN + (flags & GRE_CSUM ? GRE_OPTION_LEN : 0);
}

static inline size_t
gre_seq_offset(uint16_t flags)
{
    return gre_calc_hlen(flags) - GRE_OPTION_LEN;
}

/* ERSPAN type II (version 1) header, after a GRE header with S set and
 * protocol ETH_TYPE_ERSPAN1:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Ver  |          VLAN         | COS | En|T|    Session ID     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Reserved         |                  Index                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * ERSPAN type III (version 2) header, protocol ETH_TYPE_ERSPAN2:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Ver  |          VLAN         | COS |BSO|T|     Session ID    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Timestamp                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             SGT               |P|    FT   |   Hw ID   |D|Gra|O|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * ERSPAN type I is a GRE header without S and protocol ETH_TYPE_ERSPAN1
 * directly followed by the mirrored frame.
 *
 * The first 32-bit word is common to both versions. */
#define ERSPAN_VER_SHIFT 28
#define ERSPAN_VER_MASK 0xf0000000
#define ERSPAN_VLAN_SHIFT 16
#define ERSPAN_VLAN_MASK 0x0fff0000
#define ERSPAN_COS_SHIFT 13
#define ERSPAN_COS_MASK 0x0000e000
#define ERSPAN_EN_SHIFT 11              /* "BSO" in version 2. */
#define ERSPAN_EN_MASK 0x00001800
#define ERSPAN_T_MASK 0x00000400
#define ERSPAN_SID_SHIFT 0
#define ERSPAN_SID_BITS 0x000003ff

#define ERSPAN_V1_IDX_BITS 0x000fffff   /* Low bits of the second word. */

/* Third word of version 2. */
#define ERSPAN_V2_SGT_SHIFT 16
#define ERSPAN_V2_SGT_MASK 0xffff0000
#define ERSPAN_V2_P_MASK 0x00008000
#define ERSPAN_V2_FT_SHIFT 10
#define ERSPAN_V2_FT_MASK 0x00007c00
#define ERSPAN_V2_HWID_SHIFT 4
#define ERSPAN_V2_HWID_MASK 0x000003f0
#define ERSPAN_V2_DIR_SHIFT 3
#define ERSPAN_V2_DIR_MASK 0x00000008
#define ERSPAN_V2_GRA_SHIFT 1
#define ERSPAN_V2_GRA_MASK 0x00000006
#define ERSPAN_V2_O_MASK 0x00000001

#define ERSPAN_V1_LEN 8                 /* Type II header. */
#define ERSPAN_V2_LEN 12                /* Type III header without the
                                         * optional platform subheader. */
#define ERSPAN_V2_TS_OFFSET 4           /* Timestamp within the header. */
#define ERSPAN_V2_PLATFORM_LEN 8        /* Optional subheader, when O. */

/* Versions as they appear in the 'Ver' field and in tun_erspan_ver. */
enum erspan_version {
    ERSPAN_VERSION_I = 0,       /* Not on the wire; used for type I. */
    ERSPAN_VERSION_II = 1,
    ERSPAN_VERSION_III = 2,
};

static inline uint32_t
erspan_word_get(const void *p, size_t word)
{
    const ovs_16aligned_be32 *w = p;
    return ntohl(get_16aligned_be32(&w[word]));
}

static inline void
erspan_word_put(void *p, size_t word, uint32_t value)
{
    ovs_16aligned_be32 *w = p;
    put_16aligned_be32(&w[word], htonl(value));
}

#endif /* gre-wire.h */
