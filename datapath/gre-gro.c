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

/* Receive coalescing (GRO) of decapsulated TCP segments.  See
 * gre-offload.h for what it merges and what it leaves alone. */

#include <config.h>

#include "gre-offload.h"

#include <netinet/in.h>
#include <netinet/ip6.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "gre-csum.h"
#include "netdev.h"
#include "packets.h"
#include "util.h"

/* Room in front of a merged packet for what the output port prepends. */
#define GRO_HEADROOM 128

/* The largest IP packet a merge may make (IPv4's length field). */
#define GRO_MAX_IP_LEN 65535

/* What one decapsulated packet of a batch is, for coalescing. */
struct gro_seg {
    struct dp_packet *p;
    struct gre_l4_geom g;
    uint32_t seq;               /* TCP sequence number. */
    uint32_t payload;           /* TCP payload bytes. */
    uint16_t ctl;               /* TCP flags. */
    bool tcp;                   /* A TCP segment: 'g' and the rest are
                                 * filled. */
    bool candidate;             /* Worth trying to merge. */
    int csum;                   /* 1 right, 0 wrong, -1 not checked. */
    bool counted;               /* Counted as a bad checksum. */
};

/* The TCP flags a merged segment may carry: ACK, and PSH on the last. */
#define GRO_TCP_FLAGS (TCP_ACK | TCP_PSH)

static const struct tcp_header *
seg_tcp(const struct gro_seg *s)
{
    return ALIGNED_CAST(const struct tcp_header *,
                        (const uint8_t *) dp_packet_data(s->p) + s->g.l4);
}

/* Fills 's' for packet 'p' and tells whether it may be merged: a TCP
 * segment with payload and only ACK (and perhaps PSH) set, of an IPv4
 * packet without options or an IPv6 packet, ending where the frame ends. */
static void
gro_seg_init(struct gro_seg *s, struct dp_packet *p)
{
    const struct tcp_header *tcp;

    s->p = p;
    s->candidate = false;
    s->csum = -1;
    s->counted = false;
    s->tcp = false;
    if (gre_l4_geom_parse(p, 0, p->packet_type == htonl(PT_ETH), &s->g)
        || s->g.proto != IPPROTO_TCP
        || s->g.end != dp_packet_size(p)
        || (!s->g.ipv6 && s->g.l4 - s->g.l3 != IP_HEADER_LEN)) {
        return;
    }
    s->tcp = true;
    tcp = seg_tcp(s);
    s->ctl = TCP_FLAGS(tcp->tcp_ctl);
    s->seq = ntohl(get_16aligned_be32(&tcp->tcp_seq));
    s->payload = s->g.end - s->g.hdr_len;
    /* An aggregate (see gre_offload_rx_aggregate()) is not merged
     * further, but it is of its connection: a run stops at it. */
    s->candidate = (!dp_packet_hwol_is_tso(p)
                    && s->payload > 0 && s->ctl & TCP_ACK
                    && !(s->ctl & ~GRO_TCP_FLAGS) && !tcp->tcp_urg);
}

/* Returns true if 'a' and 'b' belong to one connection: same port,
 * tunnel, packet type, link-layer header, IP addresses and TCP ports.
 * Segments of one connection are never reordered. */
static bool
gro_same_conn(const struct gro_seg *a, const struct gro_seg *b)
{
    const uint8_t *da = dp_packet_data(a->p);
    const uint8_t *db = dp_packet_data(b->p);
    size_t addr_ofs = a->g.ipv6 ? 8 : 12;

    return (a->tcp && b->tcp
            && a->g.l3 == b->g.l3 && a->g.l4 == b->g.l4
            && a->g.ipv6 == b->g.ipv6
            && a->p->packet_type == b->p->packet_type
            && a->p->md.in_port.odp_port == b->p->md.in_port.odp_port
            && !memcmp(&a->p->md.tunnel, &b->p->md.tunnel,
                       offsetof(struct flow_tnl, metadata))
            && !memcmp(da, db, a->g.l3)
            && !memcmp(da + a->g.l3 + addr_ofs, db + b->g.l3 + addr_ofs,
                       a->g.ipv6 ? 32 : 8)
            && !memcmp(da + a->g.l4, db + b->g.l4, 4));
}

/* Returns true if the headers of 'a' and 'b', of one connection, are
 * identical apart from the IP length, id and checksum and the TCP
 * sequence number, flags and checksum: same IP TOS or traffic class, flow
 * label, TTL or hop limit and fragment bits, same TCP acknowledgement,
 * window and options. */
static bool
gro_same_headers(const struct gro_seg *a, const struct gro_seg *b)
{
    const uint8_t *da = dp_packet_data(a->p);
    const uint8_t *db = dp_packet_data(b->p);
    const struct tcp_header *ta = seg_tcp(a), *tb = seg_tcp(b);

    if (a->g.hdr_len != b->g.hdr_len) {
        return false;
    }
    if (a->g.ipv6) {
        /* Version, traffic class and flow label; next header and hop
         * limit. */
        if (memcmp(da + a->g.l3, db + b->g.l3, 4)
            || memcmp(da + a->g.l3 + 6, db + b->g.l3 + 6, 2)) {
            return false;
        }
    } else {
        const struct ip_header *ia = ALIGNED_CAST(const struct ip_header *,
                                                  da + a->g.l3);
        const struct ip_header *ib = ALIGNED_CAST(const struct ip_header *,
                                                  db + b->g.l3);

        if (ia->ip_tos != ib->ip_tos || ia->ip_ttl != ib->ip_ttl
            || ia->ip_frag_off != ib->ip_frag_off) {
            return false;
        }
    }
    return (!memcmp(&ta->tcp_ack, &tb->tcp_ack, sizeof ta->tcp_ack)
            && ta->tcp_winsz == tb->tcp_winsz
            && !memcmp(ta + 1, tb + 1,
                       a->g.hdr_len - a->g.l4 - TCP_HEADER_LEN));
}

/* Returns true if the IPv4 ids of 'prev' and 'next' follow one another, or
 * are equal in packets that must not be fragmented. */
static bool
gro_ids_follow(const struct gro_seg *prev, const struct gro_seg *next)
{
    const struct ip_header *ip, *nip;
    uint16_t id, nid;

    if (prev->g.ipv6) {
        return true;
    }
    ip = ALIGNED_CAST(const struct ip_header *,
                      (const uint8_t *) dp_packet_data(prev->p) + prev->g.l3);
    nip = ALIGNED_CAST(const struct ip_header *,
                       (const uint8_t *) dp_packet_data(next->p)
                       + next->g.l3);
    id = ntohs(ip->ip_id);
    nid = ntohs(nip->ip_id);
    return (nid == (uint16_t) (id + 1)
            || (nid == id && ip->ip_frag_off & htons(IP_DONT_FRAGMENT)));
}

/* Returns true if the TCP checksum (and the IPv4 header checksum) of 's'
 * are right: merging must not launder a corrupted segment into a packet
 * whose checksum the output computes anew.  If 'dst' is nonnull, copies
 * the segment's TCP payload there on the way (one pass over it for both),
 * unless the answer is false.  The answer is kept in 's'. */
static bool
gro_csum_check(struct gro_seg *s, uint8_t *dst)
{
    const uint8_t *d = dp_packet_data(s->p);
    const uint8_t *payload = d + s->g.hdr_len;
    uint64_t sum;

    if (s->csum >= 0) {
        if (s->csum && dst) {
            memcpy(dst, payload, s->payload);
        }
        return s->csum;
    }
    s->csum = 0;
    if (!s->g.ipv6 && gre_csum(d + s->g.l3, IP_HEADER_LEN)) {
        return false;
    }
    /* The TCP header is a whole number of 32-bit words: the payload's sum
     * continues it. */
    sum = gre_csum_add(gre_l4_pseudo_sum(d, &s->g), d + s->g.l4,
                       s->g.hdr_len - s->g.l4);
    sum = (dst
           ? gre_csum_copy(dst, payload, s->payload, sum)
           : gre_csum_add(sum, payload, s->payload));
    s->csum = !gre_csum_finish(sum);
    return s->csum;
}

/* Writes into the TCP checksum field of the packet that 'g' describes,
 * whose data starts at 'd', the sum over its pseudo-header, as a TSO
 * packet carries it for the output to complete. */
static void
tcp_csum_partial(uint8_t *d, const struct gre_l4_geom *g)
{
    struct tcp_header *tcp = ALIGNED_CAST(struct tcp_header *, d + g->l4);
    uint32_t partial = gre_l4_pseudo_sum(d, g);

    tcp->tcp_csum = (OVS_FORCE ovs_be16) ~csum_finish(partial);
}

/* Flags 'p', a TSO packet of the inner connection described by 'g', for
 * the output port to segment at 'segsz' bytes of payload (where the OVS
 * version has a segment size: 0 keeps the one it has) and checksum. */
static void
tso_flag(struct dp_packet *p, const struct gre_l4_geom *g, uint16_t segsz)
{
    const struct gre_offload_ovs *ovs = gre_offload_get_ovs();

    if (segsz && ovs->set_segsz) {
        ovs->set_segsz(p, segsz);
    }
    p->l3_ofs = g->l3;
    p->l4_ofs = g->l4;
    dp_packet_hwol_set_tcp_seg(p);
    dp_packet_hwol_set_csum_tcp(p);
    if (g->ipv6) {
        dp_packet_hwol_set_tx_ipv6(p);
    } else {
        dp_packet_hwol_set_tx_ipv4(p);
    }
}

/* Takes 'p', just decapsulated, which arrived flagged for segmentation: an
 * aggregate that the kernel's GRO made on the underlay interface of
 * segments whose checksums it checked, its lengths those of the whole.
 * Flags it as a TSO packet for the output, its TCP checksum the
 * pseudo-header sum (which it writes: the flag says only that the sum is
 * still to be completed).  Returns false, leaving the packet to be
 * dropped, if it is not TCP over IPv4 or IPv6 ending where it ends, or if
 * its IPv4 header checksum is wrong. */
bool
gre_offload_rx_aggregate(struct dp_packet *p)
{
    struct gre_l4_geom g;

    dp_packet_reset_offload(p);
    if (gre_l4_geom_parse(p, 0, p->packet_type == htonl(PT_ETH), &g)
        || g.proto != IPPROTO_TCP || g.end != dp_packet_size(p)) {
        return false;
    }
    if (!g.ipv6) {
        struct ip_header *ip = ALIGNED_CAST(struct ip_header *,
                                            (uint8_t *) dp_packet_data(p)
                                            + g.l3);

        /* GRO rewrote the length and fixed the checksum; a header that
         * still does not add up was not made by it. */
        if (gre_csum(ip, g.l4 - g.l3)) {
            return false;
        }
    }
    tcp_csum_partial(dp_packet_data(p), &g);
    tso_flag(p, &g, 0);
    return true;
}

/* Appends to 'm' the TCP payload of segment 's' if the segment's
 * checksums are right (see gro_csum_check()) and returns true; otherwise
 * leaves 'm' as it was and returns false. */
static bool
gro_append_checked(struct dp_packet *m, struct gro_seg *s)
{
    if (!gro_csum_check(s, dp_packet_put_uninit(m, s->payload))) {
        dp_packet_set_size(m, dp_packet_size(m) - s->payload);
        return false;
    }
    return true;
}

/* Counts in '*n_bad' segment 's', whose checksum is wrong, unless it was
 * counted already. */
static void
gro_count_bad(struct gro_seg *s, uint32_t *n_bad)
{
    if (!s->counted) {
        s->counted = true;
        (*n_bad)++;
    }
}

/* Merges the segments at the start of 'run[0...n - 1]' (of one flow, in
 * order) whose checksums are right into one TSO packet, which it returns,
 * deleting them and storing their number in '*n_merged'; the first
 * segment with a wrong checksum, counted in '*n_bad' (once), ends the
 * merge.  Returns NULL, leaving every segment as it was, if fewer than
 * two have right checksums.  The merged packet keeps the first segment's
 * metadata; its IP length and checksum are right and its TCP checksum
 * holds the pseudo-header sum, flagged for the output to complete. */
static struct dp_packet *
gro_merge(struct gro_seg *run[], size_t n, size_t *n_merged,
          uint32_t *n_bad)
{
    const struct gro_seg *head = run[0];
    uint32_t total = head->g.hdr_len;
    struct dp_packet *m;
    struct tcp_header *tcp;
    size_t good;
    uint8_t *d;

    if (!gro_csum_check(run[0], NULL)) {
        gro_count_bad(run[0], n_bad);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        total += run[i]->payload;
    }
    m = dp_packet_clone_with_headroom(head->p, GRO_HEADROOM);
    dp_packet_prealloc_tailroom(m, total - dp_packet_size(head->p));
    for (good = 1; good < n; good++) {
        if (!gro_append_checked(m, run[good])) {
            gro_count_bad(run[good], n_bad);
            break;
        }
    }
    if (good < 2) {
        dp_packet_delete(m);
        return NULL;
    }
    total = dp_packet_size(m);

    d = dp_packet_data(m);
    gre_ip_fix(d + head->g.l3, head->g.ipv6, total - head->g.l3,
               IP_HEADER_LEN, 0);

    tcp = ALIGNED_CAST(struct tcp_header *, d + head->g.l4);
    tcp->tcp_ctl = htons((ntohs(tcp->tcp_ctl) & ~TCP_PSH)
                         | (run[good - 1]->ctl & TCP_PSH));
    tcp_csum_partial(d, &head->g);
    tso_flag(m, &head->g, head->payload);

    for (size_t i = 0; i < good; i++) {
        dp_packet_delete(run[i]->p);
    }
    *n_merged = good;
    return m;
}

/* Returns true if 's', a segment of the connection of the run that starts
 * with 'head' and ends so far with 'last', may be appended to the run: a
 * candidate with the same headers, the next in sequence, after a segment
 * of the head's size and no larger itself, and within the largest packet
 * a merge may make. */
static bool
gro_can_append(const struct gro_seg *head, const struct gro_seg *last,
               const struct gro_seg *s)
{
    uint32_t ip_len = (head->g.hdr_len - head->g.l3
                       + (s->seq - head->seq) + s->payload);

    return (s->candidate
            && gro_same_headers(head, s)
            && s->seq == last->seq + last->payload
            && last->payload == head->payload
            && s->payload <= head->payload
            && gro_ids_follow(last, s)
            && ip_len <= GRO_MAX_IP_LEN);
}

/* Collects into 'run' the segments of 'segs[0...size - 1]' that can be
 * merged with 'segs[i]', which starts the run: the following segments of
 * its connection not 'taken' yet, up to the first that cannot be appended
 * (or that ends the run: with PSH, or shorter than the head).  Returns how
 * many segments the run has, the head included. */
static size_t
gro_collect_run(struct gro_seg segs[], size_t size, size_t i,
                const bool taken[], struct gro_seg *run[])
{
    struct gro_seg *head = &segs[i];
    size_t n = 0;

    run[n++] = head;
    for (size_t j = i + 1; j < size; j++) {
        struct gro_seg *s = &segs[j];

        if (taken[j] || !gro_same_conn(head, s)) {
            continue;
        }
        if (!gro_can_append(head, run[n - 1], s)) {
            break;
        }
        run[n++] = s;
        if (s->ctl & TCP_PSH || s->payload < head->payload) {
            break;
        }
    }
    return n;
}

/* Coalesces the decapsulated TCP segments in 'batch': each run of
 * segments of one flow that follow one another (by TCP sequence number
 * and IPv4 id, all but the last of the first's size, the last perhaps with
 * PSH) becomes one TSO packet in the place of the run's first segment.
 * Packets of other flows may sit between the segments of a run; a packet
 * of the flow that cannot be appended ends the run, so that no flow is
 * reordered.  Everything else stays as it is, in order. */
void
gre_offload_gro(struct dp_packet_batch *batch)
{
    size_t size = dp_packet_batch_size(batch);
    struct gro_seg segs[NETDEV_MAX_BURST];
    struct dp_packet *out[NETDEV_MAX_BURST];
    bool taken[NETDEV_MAX_BURST] = { false };
    uint32_t n_merged = 0, n_made = 0, n_bad = 0;
    size_t n_out = 0, n_candidates = 0;

    if (size < 2) {
        return;
    }
    for (size_t i = 0; i < size; i++) {
        gro_seg_init(&segs[i], batch->packets[i]);
        n_candidates += segs[i].candidate;
    }
    if (n_candidates < 2) {
        return;
    }

    for (size_t i = 0; i < size; i++) {
        struct gro_seg *run[NETDEV_MAX_BURST];
        struct dp_packet *m;
        size_t n, good;

        if (taken[i]) {
            continue;
        }
        taken[i] = true;
        if (!segs[i].candidate || segs[i].ctl & TCP_PSH) {
            out[n_out++] = segs[i].p;
            continue;
        }

        n = gro_collect_run(segs, size, i, taken, run);
        m = n > 1 ? gro_merge(run, n, &good, &n_bad) : NULL;
        if (m) {
            for (size_t k = 1; k < good; k++) {
                taken[run[k] - segs] = true;
            }
            out[n_out++] = m;
            n_merged += good;
            n_made++;
        } else {
            out[n_out++] = segs[i].p;
        }
    }

    for (size_t i = 0; i < n_out; i++) {
        batch->packets[i] = out[i];
    }
    batch->count = n_out;
    gre_offload_count(GRE_OFFLOAD_GRO_SEGMENTS, n_merged);
    gre_offload_count(GRE_OFFLOAD_GRO_PACKETS, n_made);
    gre_offload_count(GRE_OFFLOAD_GRO_CSUM_BAD, n_bad);
}
