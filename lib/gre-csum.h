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

#ifndef GRE_CSUM_H
#define GRE_CSUM_H 1

/* The Internet checksum (RFC 1071) for the push and pop fast paths.
 *
 * OVS's csum() adds one 16-bit word at a time.  These helpers add 32-bit
 * halves of 64-bit loads into a 64-bit accumulator, which RFC 1071 section
 * 2 allows (2**16 is 1 modulo 0xffff, so a sum of wider words folds to the
 * same one's complement sum), and fold once at the end.  The folded sum is
 * the unique value in [0, 0xffff] congruent to the sum modulo 0xffff that
 * is 0 only for all-zero data, exactly as OVS's csum_finish() computes it,
 * so gre_csum() returns bit for bit what csum() returns for the same bytes.
 *
 * Words are read in host byte order, like csum(); the result is in network
 * byte order because one's complement sums do not depend on byte order.
 * Needs nothing but the bytes: no alignment, any length up to 64 kB. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "openvswitch/types.h"

/* Adds the 'n' bytes at 'data' to the partial sum 'sum' and returns the
 * new partial sum.  An odd last byte counts as the first byte of a 16-bit
 * word padded with zero; so a partial sum may continue only after an even
 * number of bytes. */
static inline uint64_t
gre_csum_add(uint64_t sum, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t a = 0, b = 0;
    uint64_t w0, w1;
    uint32_t w32;
    uint16_t w16;

    /* Two accumulators, so that the additions of one 16-byte step do not
     * wait for each other.  Each adds at most 2**33 per step: no overflow
     * for any packet. */
    while (n >= 16) {
        memcpy(&w0, p, 8);
        memcpy(&w1, p + 8, 8);
        a += (w0 & UINT32_MAX) + (w0 >> 32);
        b += (w1 & UINT32_MAX) + (w1 >> 32);
        p += 16;
        n -= 16;
    }
    if (n >= 8) {
        memcpy(&w0, p, 8);
        a += (w0 & UINT32_MAX) + (w0 >> 32);
        p += 8;
        n -= 8;
    }
    if (n >= 4) {
        memcpy(&w32, p, 4);
        b += w32;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        memcpy(&w16, p, 2);
        a += w16;
        p += 2;
        n -= 2;
    }
    if (n) {
#ifdef WORDS_BIGENDIAN
        b += (uint64_t) *p << 8;
#else
        b += *p;
#endif
    }
    return sum + a + b;
}

/* Copies the 'n' bytes at 'src' to 'dst' (which must not overlap) and
 * returns 'sum' plus their sum, as gre_csum_add() would: one pass over the
 * bytes where a copy and a checksum would take two (the difference is in
 * Documentation/benchmarks-tso.rst). */
static inline uint64_t
gre_csum_copy(void *dst, const void *src, size_t n, uint64_t sum)
{
    const uint8_t *p = src;
    uint8_t *q = dst;
    uint64_t a = 0, b = 0;
    uint64_t w0, w1;

    while (n >= 16) {
        memcpy(&w0, p, 8);
        memcpy(&w1, p + 8, 8);
        memcpy(q, &w0, 8);
        memcpy(q + 8, &w1, 8);
        a += (w0 & UINT32_MAX) + (w0 >> 32);
        b += (w1 & UINT32_MAX) + (w1 >> 32);
        p += 16;
        q += 16;
        n -= 16;
    }
    memcpy(q, p, n);
    return gre_csum_add(sum + a + b, p, n);
}

/* Folds the partial sum 'sum' to 16 bits and returns its complement, the
 * checksum to write into a header, or 0 if the bytes summed already hold a
 * correct checksum. */
static inline ovs_be16
gre_csum_finish(uint64_t sum)
{
    sum = (sum & UINT32_MAX) + (sum >> 32);
    sum = (sum & UINT32_MAX) + (sum >> 32);
    sum = (sum & UINT16_MAX) + (sum >> 16);
    sum = (sum & UINT16_MAX) + (sum >> 16);
    return (OVS_FORCE ovs_be16) (uint16_t) ~sum;
}

/* Returns the Internet checksum of the 'n' bytes at 'data', the same value
 * as OVS's csum(data, n). */
static inline ovs_be16
gre_csum(const void *data, size_t n)
{
    return gre_csum_finish(gre_csum_add(0, data, n));
}

#endif /* gre-csum.h */
