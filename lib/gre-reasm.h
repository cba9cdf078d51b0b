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

#ifndef GRE_REASM_H
#define GRE_REASM_H 1

/* Reassembly of fragmented outer IPv4 and IPv6 packets addressed to a
 * tunnel endpoint, before the pop (RFC 791, RFC 815, RFC 8200 section
 * 4.5).
 *
 * Fragments of one datagram (same source, destination, protocol or next
 * header, and identification) are held until they cover it, in any order;
 * an exact duplicate of a fragment already held is dropped on its own; a
 * fragment that overlaps another differently drops the whole datagram (RFC
 * 5722, as Linux does).  A datagram above 65535 bytes (IPv4) or with a
 * payload above 65535 bytes (IPv6) or in more than GRE_REASM_MAX_FRAGS
 * fragments is dropped, and so is one left incomplete for
 * GRE_REASM_TIMEOUT_MS.  What is held is bounded: at most
 * GRE_REASM_MAX_BYTES in all (Linux's ipfrag_high_thresh),
 * GRE_REASM_MAX_PAIR_BYTES between one source and one destination (one
 * tunnel's endpoints: a port cannot take all of it) and
 * GRE_REASM_MAX_DGRAMS datagrams; to make room the oldest incomplete
 * datagrams are evicted first (between the same endpoints first, if that
 * pair's limit is reached), so that a flood of first fragments cannot keep
 * complete datagrams out.
 *
 * An IPv6 fragment's Fragment header must follow its IPv6 header, as the
 * push and Linux's ip6gre put it.
 *
 * Each dropped datagram counts once, with its reason, in the counters
 * given with its first fragment.  Thread safe. */

#include <stddef.h>

struct dp_packet;
struct gre_stats;

#define GRE_REASM_TIMEOUT_MS 30000
#define GRE_REASM_MAX_BYTES (4 * 1024 * 1024)
#define GRE_REASM_MAX_PAIR_BYTES (1024 * 1024)
#define GRE_REASM_MAX_DGRAMS 1024
#define GRE_REASM_MAX_FRAGS 64

struct dp_packet *gre_reasm(struct dp_packet *, struct gre_stats *,
                            long long int now);
void gre_reasm_expire(long long int now);
void gre_reasm_flush(void);

/* What is held, for tests and 'gre/show'. */
struct gre_reasm_usage {
    size_t n_dgrams;
    size_t n_bytes;
};
void gre_reasm_usage(struct gre_reasm_usage *);

#endif /* gre-reasm.h */
