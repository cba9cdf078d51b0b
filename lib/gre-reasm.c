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

/* Outer IPv4 reassembly; see gre-reasm.h. */

#include <config.h>

#include "gre-reasm.h"

#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "gre-stats.h"
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "ovs-thread.h"
#include "packets.h"
#include "unaligned.h"
#include "util.h"

/* Room in front of a reassembled packet, as in a received one. */
#define REASM_HEADROOM 128

/* The largest IPv4 datagram. */
#define IP_MAX_LEN 65535

/* What identifies a datagram (RFC 791). */
struct reasm_key {
    ovs_be32 src;
    ovs_be32 dst;
    ovs_be16 id;
    uint8_t proto;
    uint8_t pad;
};

/* One fragment's payload, copied: the packet that carried it is freed at
 * once (it may be an mbuf of a port's pool). */
struct reasm_frag {
    uint16_t off;               /* Bytes from the start of the payload. */
    uint16_t len;
    uint8_t *data;
};

struct reasm_dgram {
    struct hmap_node node;      /* In 'dgrams', by key. */
    struct ovs_list lru;        /* In 'lru', oldest first. */
    struct reasm_key key;
    long long int expires;
    struct gre_stats *stats;    /* Where its drop counts. */

    /* The L2 and IPv4 header of the first fragment, once it came. */
    uint8_t *head;
    uint16_t l3;                /* Offset of the IPv4 header in 'head'. */
    uint16_t head_len;
    struct pkt_metadata md;     /* The metadata of the last fragment. */

    struct reasm_frag frags[GRE_REASM_MAX_FRAGS];
    size_t n_frags;
    int total;                  /* Payload length, from the last fragment,
                                 * or -1 until it came. */
    size_t have;                /* Payload bytes held. */
    size_t mem;                 /* Bytes held for it. */
};

static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct hmap dgrams OVS_GUARDED_BY(mutex)
    = HMAP_INITIALIZER(&dgrams);
static struct ovs_list lru OVS_GUARDED_BY(mutex)
    = OVS_LIST_INITIALIZER(&lru);
static size_t held_bytes OVS_GUARDED_BY(mutex);

static uint32_t
key_hash(const struct reasm_key *k)
{
    return hash_bytes(k, sizeof *k, 0);
}

static struct reasm_dgram *
dgram_find(const struct reasm_key *k, uint32_t hash)
    OVS_REQUIRES(mutex)
{
    struct reasm_dgram *d;

    HMAP_FOR_EACH_WITH_HASH (d, node, hash, &dgrams) {
        if (!memcmp(&d->key, k, sizeof *k)) {
            return d;
        }
    }
    return NULL;
}

static void
dgram_free(struct reasm_dgram *d)
    OVS_REQUIRES(mutex)
{
    hmap_remove(&dgrams, &d->node);
    ovs_list_remove(&d->lru);
    held_bytes -= d->mem;
    for (size_t i = 0; i < d->n_frags; i++) {
        free(d->frags[i].data);
    }
    free(d->head);
    free(d);
}

/* Drops datagram 'd' and counts it once as 'reason'. */
static void
dgram_drop(struct reasm_dgram *d, enum gre_drop reason)
    OVS_REQUIRES(mutex)
{
    gre_stats_add(&d->stats->drops[reason], 1);
    dgram_free(d);
}

/* Drops the incomplete datagrams that have timed out by 'now'. */
static void
expire__(long long int now)
    OVS_REQUIRES(mutex)
{
    struct reasm_dgram *d;

    LIST_FOR_EACH_SAFE (d, lru, &lru) {
        if (d->expires > now) {
            break;
        }
        dgram_drop(d, GRE_DROP_FRAG_TIMEOUT);
    }
}

/* Evicts the oldest datagrams, other than 'keep', until 'need' more bytes
 * and one more datagram fit within the limits. */
static void
make_room(size_t need, const struct reasm_dgram *keep)
    OVS_REQUIRES(mutex)
{
    struct reasm_dgram *d;

    LIST_FOR_EACH_SAFE (d, lru, &lru) {
        if (held_bytes + need <= GRE_REASM_MAX_BYTES
            && hmap_count(&dgrams) < GRE_REASM_MAX_DGRAMS + (keep != NULL)) {
            break;
        }
        if (d != keep) {
            dgram_drop(d, GRE_DROP_FRAG_EVICTED);
        }
    }
}

/* Returns the reassembled packet of complete datagram 'd', which the
 * caller then frees. */
static struct dp_packet *
dgram_build(const struct reasm_dgram *d)
{
    size_t ihl = d->head_len - d->l3;
    struct dp_packet *p;
    struct ip_header *ip;
    uint8_t *payload;

    p = dp_packet_new_with_headroom(d->head_len + d->total, REASM_HEADROOM);
    dp_packet_put(p, d->head, d->head_len);
    payload = dp_packet_put_uninit(p, d->total);
    for (size_t i = 0; i < d->n_frags; i++) {
        memcpy(payload + d->frags[i].off, d->frags[i].data,
               d->frags[i].len);
    }

    ip = ALIGNED_CAST(struct ip_header *,
                      (uint8_t *) dp_packet_data(p) + d->l3);
    ip->ip_tot_len = htons(ihl + d->total);
    ip->ip_frag_off &= htons(IP_DONT_FRAGMENT);
    ip->ip_csum = 0;
    ip->ip_csum = csum(ip, ihl);

    p->md = d->md;
    p->packet_type = htonl(PT_ETH);
    dp_packet_set_l3(p, ip);
    dp_packet_set_l4(p, (uint8_t *) ip + ihl);
    return p;
}

/* Takes 'frag', an Ethernet frame whose l3 offset points to an IPv4
 * header that says it is a fragment, for reassembly.  'stats' counts what
 * happens to its datagram; 'now' is the time in milliseconds.
 *
 * Returns the reassembled datagram, a new packet with the metadata of the
 * last fragment, if 'frag' completed it.  Otherwise returns NULL: 'frag'
 * is held (its datagram is incomplete) or dropped (counted in 'stats').
 * Either way 'frag' itself is the caller's no more. */
struct dp_packet *
gre_reasm_ipv4(struct dp_packet *frag, struct gre_stats *stats,
               long long int now)
{
    const uint8_t *data = dp_packet_data(frag);
    size_t size = dp_packet_size(frag);
    size_t l3 = frag->l3_ofs;
    const struct ip_header *ip;
    struct reasm_dgram *d;
    struct dp_packet *done = NULL;
    struct reasm_key key;
    size_t ihl, tot_len, off, len;
    uint16_t frag_off;
    uint32_t hash;
    bool last;

    if (l3 == UINT16_MAX || l3 > size || size - l3 < IP_HEADER_LEN) {
        gre_stats_add(&stats->drops[GRE_DROP_FRAG_BAD], 1);
        dp_packet_delete(frag);
        return NULL;
    }
    ip = ALIGNED_CAST(const struct ip_header *, data + l3);
    ihl = IP_IHL(ip->ip_ihl_ver) * 4;
    tot_len = ntohs(ip->ip_tot_len);
    frag_off = ntohs(ip->ip_frag_off);
    off = (frag_off & IP_FRAG_OFF_MASK) * 8;
    last = !(frag_off & IP_MORE_FRAGMENTS);
    len = tot_len - ihl;
    if (ihl < IP_HEADER_LEN || tot_len < ihl || tot_len > size - l3
        || (!last && (len % 8 || !len))) {
        gre_stats_add(&stats->drops[GRE_DROP_FRAG_BAD], 1);
        dp_packet_delete(frag);
        return NULL;
    }

    memset(&key, 0, sizeof key);
    key.src = get_16aligned_be32(&ip->ip_src);
    key.dst = get_16aligned_be32(&ip->ip_dst);
    key.id = ip->ip_id;
    key.proto = ip->ip_proto;
    hash = key_hash(&key);

    ovs_mutex_lock(&mutex);
    expire__(now);
    d = dgram_find(&key, hash);
    if (off + len > IP_MAX_LEN - ihl) {
        if (d) {
            dgram_drop(d, GRE_DROP_FRAG_TOO_BIG);
        } else {
            gre_stats_add(&stats->drops[GRE_DROP_FRAG_TOO_BIG], 1);
        }
        goto out;
    }
    if (!d) {
        make_room(len + (off ? 0 : l3 + ihl), NULL);
        d = xzalloc(sizeof *d);
        d->key = key;
        d->expires = now + GRE_REASM_TIMEOUT_MS;
        d->stats = stats;
        d->total = -1;
        hmap_insert(&dgrams, &d->node, hash);
        ovs_list_push_back(&lru, &d->lru);
    } else {
        make_room(len + (off ? 0 : l3 + ihl), d);
    }

    /* Consistent with what is held? */
    for (size_t i = 0; i < d->n_frags; i++) {
        const struct reasm_frag *f = &d->frags[i];

        if (f->off == off && f->len == len
            && !memcmp(f->data, data + l3 + ihl, len)) {
            /* An exact duplicate. */
            goto out;
        }
        if (off < f->off + f->len && f->off < off + len) {
            dgram_drop(d, GRE_DROP_FRAG_OVERLAP);
            goto out;
        }
    }
    if ((last && d->total >= 0 && d->total != off + len)
        || (d->total >= 0 && off + len > d->total)) {
        dgram_drop(d, GRE_DROP_FRAG_OVERLAP);
        goto out;
    }
    if (last) {
        for (size_t i = 0; i < d->n_frags; i++) {
            if (d->frags[i].off + d->frags[i].len > off + len) {
                dgram_drop(d, GRE_DROP_FRAG_OVERLAP);
                goto out;
            }
        }
        d->total = off + len;
    }
    if (d->n_frags >= GRE_REASM_MAX_FRAGS) {
        dgram_drop(d, GRE_DROP_FRAG_TOO_MANY);
        goto out;
    }

    d->frags[d->n_frags].off = off;
    d->frags[d->n_frags].len = len;
    d->frags[d->n_frags].data = xmemdup(data + l3 + ihl, len);
    d->n_frags++;
    d->have += len;
    d->mem += len;
    held_bytes += len;
    if (!off) {
        d->head = xmemdup(data, l3 + ihl);
        d->l3 = l3;
        d->head_len = l3 + ihl;
        d->mem += l3 + ihl;
        held_bytes += l3 + ihl;
    }
    d->md = frag->md;

    if (d->total >= 0 && d->have == d->total && d->head) {
        done = dgram_build(d);
        gre_stats_add(&stats->events[GRE_EVENT_REASSEMBLED], 1);
        dgram_free(d);
    }

out:
    ovs_mutex_unlock(&mutex);
    dp_packet_delete(frag);
    return done;
}

/* Drops the incomplete datagrams that have timed out by 'now'. */
void
gre_reasm_expire(long long int now)
{
    ovs_mutex_lock(&mutex);
    expire__(now);
    ovs_mutex_unlock(&mutex);
}

/* Forgets every datagram held, without counting them: for tests that
 * compare runs from the same starting state. */
void
gre_reasm_flush(void)
{
    struct reasm_dgram *d;

    ovs_mutex_lock(&mutex);
    LIST_FOR_EACH_SAFE (d, lru, &lru) {
        dgram_free(d);
    }
    ovs_mutex_unlock(&mutex);
}

/* Reports what is held now. */
void
gre_reasm_usage(struct gre_reasm_usage *u)
{
    ovs_mutex_lock(&mutex);
    u->n_dgrams = hmap_count(&dgrams);
    u->n_bytes = held_bytes;
    ovs_mutex_unlock(&mutex);
}
