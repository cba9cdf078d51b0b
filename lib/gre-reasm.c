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

/* Outer IPv4 and IPv6 reassembly; see gre-reasm.h. */

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

/* The largest IPv4 datagram, and the largest IPv6 payload. */
#define IP_MAX_LEN 65535

/* What identifies a datagram (RFC 791, RFC 8200 section 4.5): IPv4
 * addresses are mapped. */
struct reasm_key {
    struct in6_addr src;
    struct in6_addr dst;
    ovs_be32 id;
    uint8_t proto;              /* IPv4 protocol, IPv6 next header. */
    uint8_t ip_version;
    uint8_t pad[2];
};

/* What the datagrams between two endpoints hold, for the limit per
 * pair. */
struct reasm_pair {
    struct hmap_node node;      /* In 'pairs', by addresses. */
    struct in6_addr src;
    struct in6_addr dst;
    size_t mem;                 /* Bytes held for its datagrams. */
    size_t n_dgrams;
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
    struct reasm_pair *pair;
    long long int expires;
    struct gre_stats *stats;    /* Where its drop counts. */

    /* The L2 and IP header of the first fragment, once it came: for IPv6
     * the IPv6 header without the Fragment header, and the Fragment
     * header's next header in 'key.proto'. */
    uint8_t *head;
    uint16_t l3;                /* Offset of the IP header in 'head'. */
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
static struct hmap pairs OVS_GUARDED_BY(mutex) = HMAP_INITIALIZER(&pairs);
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

static uint32_t
pair_hash(const struct in6_addr *src, const struct in6_addr *dst)
{
    return hash_bytes(dst, sizeof *dst, hash_bytes(src, sizeof *src, 0));
}

/* Returns the pair of 'k''s endpoints, made if there is none yet. */
static struct reasm_pair *
pair_get(const struct reasm_key *k)
    OVS_REQUIRES(mutex)
{
    uint32_t hash = pair_hash(&k->src, &k->dst);
    struct reasm_pair *pair;

    HMAP_FOR_EACH_WITH_HASH (pair, node, hash, &pairs) {
        if (ipv6_addr_equals(&pair->src, &k->src)
            && ipv6_addr_equals(&pair->dst, &k->dst)) {
            return pair;
        }
    }
    pair = xzalloc(sizeof *pair);
    pair->src = k->src;
    pair->dst = k->dst;
    hmap_insert(&pairs, &pair->node, hash);
    return pair;
}

/* Adds 'n' bytes to what 'd' holds. */
static void
dgram_hold(struct reasm_dgram *d, size_t n)
    OVS_REQUIRES(mutex)
{
    d->mem += n;
    d->pair->mem += n;
    held_bytes += n;
}

static void
dgram_free(struct reasm_dgram *d)
    OVS_REQUIRES(mutex)
{
    hmap_remove(&dgrams, &d->node);
    ovs_list_remove(&d->lru);
    held_bytes -= d->mem;
    d->pair->mem -= d->mem;
    if (!--d->pair->n_dgrams) {
        hmap_remove(&pairs, &d->pair->node);
        free(d->pair);
    }
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

/* Evicts the oldest datagrams other than 'keep', which is in the table,
 * until 'need' more bytes for 'keep' fit within the limits: those of its
 * pair of endpoints, then those of the whole table. */
static void
make_room(size_t need, const struct reasm_dgram *keep)
    OVS_REQUIRES(mutex)
{
    const struct reasm_pair *pair = keep->pair;
    struct reasm_dgram *d;

    if (pair->mem + need > GRE_REASM_MAX_PAIR_BYTES) {
        LIST_FOR_EACH_SAFE (d, lru, &lru) {
            if (pair->mem + need <= GRE_REASM_MAX_PAIR_BYTES) {
                break;
            }
            if (d != keep && d->pair == pair) {
                dgram_drop(d, GRE_DROP_FRAG_EVICTED);
            }
        }
    }
    LIST_FOR_EACH_SAFE (d, lru, &lru) {
        if (held_bytes + need <= GRE_REASM_MAX_BYTES
            && hmap_count(&dgrams) <= GRE_REASM_MAX_DGRAMS) {
            break;
        }
        if (d != keep) {
            dgram_drop(d, GRE_DROP_FRAG_EVICTED);
        }
    }
}

/* What a fragment says of itself. */
struct frag_info {
    struct reasm_key key;
    size_t l3;                  /* Offset of its IP header. */
    size_t hlen;                /* Bytes of IP header a datagram keeps. */
    size_t skip;                /* Bytes from the IP header to its piece. */
    size_t off;                 /* Its piece's offset in the payload. */
    size_t len;                 /* Its piece's length. */
    size_t max;                 /* The longest payload its datagram has. */
    bool last;
};

/* Reads the IPv4 fragment whose header is 'ip', 'avail' bytes long, into
 * 'fi'.  Returns false if it is malformed. */
static bool
parse_ipv4(const struct ip_header *ip, size_t avail, struct frag_info *fi)
{
    size_t ihl = IP_IHL(ip->ip_ihl_ver) * 4;
    size_t tot_len = ntohs(ip->ip_tot_len);
    uint16_t frag_off = ntohs(ip->ip_frag_off);

    if (ihl < IP_HEADER_LEN || tot_len < ihl || tot_len > avail) {
        return false;
    }
    in6_addr_set_mapped_ipv4(&fi->key.src, get_16aligned_be32(&ip->ip_src));
    in6_addr_set_mapped_ipv4(&fi->key.dst, get_16aligned_be32(&ip->ip_dst));
    fi->key.id = htonl(ntohs(ip->ip_id));
    fi->key.proto = ip->ip_proto;
    fi->key.ip_version = 4;
    fi->hlen = fi->skip = ihl;
    fi->off = (frag_off & IP_FRAG_OFF_MASK) * 8;
    fi->len = tot_len - ihl;
    fi->last = !(frag_off & IP_MORE_FRAGMENTS);
    fi->max = IP_MAX_LEN - ihl;
    return true;
}

/* Reads the IPv6 fragment whose header is 'ip6', 'avail' bytes long, into
 * 'fi': its Fragment header must follow the IPv6 header.  Returns false if
 * it is malformed. */
static bool
parse_ipv6(const struct ovs_16aligned_ip6_hdr *ip6, size_t avail,
           struct frag_info *fi)
{
    const struct ovs_16aligned_ip6_frag *fh;
    size_t plen = ntohs(ip6->ip6_plen);
    uint16_t offlg;

    if (avail < IPV6_HEADER_LEN + sizeof *fh
        || ip6->ip6_nxt != IPPROTO_FRAGMENT
        || plen < sizeof *fh || plen > avail - IPV6_HEADER_LEN) {
        return false;
    }
    fh = ALIGNED_CAST(const struct ovs_16aligned_ip6_frag *, ip6 + 1);
    offlg = ntohs(fh->ip6f_offlg);
    memcpy(&fi->key.src, &ip6->ip6_src, sizeof fi->key.src);
    memcpy(&fi->key.dst, &ip6->ip6_dst, sizeof fi->key.dst);
    fi->key.id = get_16aligned_be32(&fh->ip6f_ident);
    fi->key.proto = fh->ip6f_nxt;
    fi->key.ip_version = 6;
    fi->hlen = IPV6_HEADER_LEN;
    fi->skip = IPV6_HEADER_LEN + sizeof *fh;
    fi->off = offlg & 0xfff8;
    fi->len = plen - sizeof *fh;
    fi->last = !(offlg & 1);
    fi->max = IP_MAX_LEN;
    return true;
}

/* Returns the reassembled packet of complete datagram 'd', which the
 * caller then frees. */
static struct dp_packet *
dgram_build(const struct reasm_dgram *d)
{
    size_t hlen = d->head_len - d->l3;
    struct dp_packet *p;
    uint8_t *payload, *l3;

    p = dp_packet_new_with_headroom(d->head_len + d->total, REASM_HEADROOM);
    dp_packet_put(p, d->head, d->head_len);
    payload = dp_packet_put_uninit(p, d->total);
    for (size_t i = 0; i < d->n_frags; i++) {
        memcpy(payload + d->frags[i].off, d->frags[i].data,
               d->frags[i].len);
    }

    l3 = (uint8_t *) dp_packet_data(p) + d->l3;
    if (d->key.ip_version == 4) {
        struct ip_header *ip = ALIGNED_CAST(struct ip_header *, l3);

        ip->ip_tot_len = htons(hlen + d->total);
        ip->ip_frag_off &= htons(IP_DONT_FRAGMENT);
        ip->ip_csum = 0;
        ip->ip_csum = csum(ip, hlen);
    } else {
        struct ovs_16aligned_ip6_hdr *ip6
            = ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, l3);

        ip6->ip6_nxt = d->key.proto;
        ip6->ip6_plen = htons(d->total);
    }

    p->md = d->md;
    p->packet_type = htonl(PT_ETH);
    dp_packet_set_l3(p, l3);
    dp_packet_set_l4(p, l3 + hlen);
    return p;
}

/* Takes 'frag', an Ethernet frame whose l3 offset points to an IPv4 header
 * that says it is a fragment or to an IPv6 header followed by a Fragment
 * header, for reassembly.  'stats' counts what happens to its datagram;
 * 'now' is the time in milliseconds.
 *
 * Returns the reassembled datagram, a new packet with the metadata of the
 * last fragment, if 'frag' completed it.  Otherwise returns NULL: 'frag'
 * is held (its datagram is incomplete) or dropped (counted in 'stats').
 * Either way 'frag' itself is the caller's no more. */
struct dp_packet *
gre_reasm(struct dp_packet *frag, struct gre_stats *stats, long long int now)
{
    const uint8_t *data = dp_packet_data(frag);
    size_t size = dp_packet_size(frag);
    struct reasm_dgram *d;
    struct dp_packet *done = NULL;
    struct frag_info fi;
    const uint8_t *piece;
    uint32_t hash;
    bool ok;

    memset(&fi, 0, sizeof fi);
    fi.l3 = frag->l3_ofs;
    if (fi.l3 == UINT16_MAX || fi.l3 >= size) {
        ok = false;
    } else if (data[fi.l3] >> 4 == 4 && size - fi.l3 >= IP_HEADER_LEN) {
        ok = parse_ipv4(ALIGNED_CAST(const struct ip_header *,
                                     data + fi.l3), size - fi.l3, &fi);
    } else if (data[fi.l3] >> 4 == 6 && size - fi.l3 >= IPV6_HEADER_LEN) {
        ok = parse_ipv6(ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *,
                                     data + fi.l3), size - fi.l3, &fi);
    } else {
        ok = false;
    }
    if (!ok || (!fi.last && (fi.len % 8 || !fi.len))) {
        gre_stats_add(&stats->drops[GRE_DROP_FRAG_BAD], 1);
        dp_packet_delete(frag);
        return NULL;
    }
    if (fi.key.proto != IPPROTO_GRE) {
        /* An IPv6 fragment after the first that came for its source. */
        gre_stats_add(&stats->drops[GRE_DROP_NOT_GRE], 1);
        dp_packet_delete(frag);
        return NULL;
    }
    piece = data + fi.l3 + fi.skip;
    hash = key_hash(&fi.key);

    ovs_mutex_lock(&mutex);
    expire__(now);
    d = dgram_find(&fi.key, hash);
    if (fi.off + fi.len > fi.max) {
        if (d) {
            dgram_drop(d, GRE_DROP_FRAG_TOO_BIG);
        } else {
            gre_stats_add(&stats->drops[GRE_DROP_FRAG_TOO_BIG], 1);
        }
        goto out;
    }
    if (!d) {
        d = xzalloc(sizeof *d);
        d->key = fi.key;
        d->pair = pair_get(&fi.key);
        d->pair->n_dgrams++;
        d->expires = now + GRE_REASM_TIMEOUT_MS;
        d->stats = stats;
        d->total = -1;
        hmap_insert(&dgrams, &d->node, hash);
        ovs_list_push_back(&lru, &d->lru);
    }
    make_room(fi.len + (fi.off ? 0 : fi.l3 + fi.hlen), d);

    /* Consistent with what is held? */
    for (size_t i = 0; i < d->n_frags; i++) {
        const struct reasm_frag *f = &d->frags[i];

        if (f->off == fi.off && f->len == fi.len
            && !memcmp(f->data, piece, fi.len)) {
            /* An exact duplicate. */
            goto out;
        }
        if (fi.off < f->off + f->len && f->off < fi.off + fi.len) {
            dgram_drop(d, GRE_DROP_FRAG_OVERLAP);
            goto out;
        }
    }
    if ((fi.last && d->total >= 0 && d->total != fi.off + fi.len)
        || (d->total >= 0 && fi.off + fi.len > d->total)) {
        dgram_drop(d, GRE_DROP_FRAG_OVERLAP);
        goto out;
    }
    if (fi.last) {
        for (size_t i = 0; i < d->n_frags; i++) {
            if (d->frags[i].off + d->frags[i].len > fi.off + fi.len) {
                dgram_drop(d, GRE_DROP_FRAG_OVERLAP);
                goto out;
            }
        }
        d->total = fi.off + fi.len;
    }
    if (d->n_frags >= GRE_REASM_MAX_FRAGS) {
        dgram_drop(d, GRE_DROP_FRAG_TOO_MANY);
        goto out;
    }

    d->frags[d->n_frags].off = fi.off;
    d->frags[d->n_frags].len = fi.len;
    d->frags[d->n_frags].data = xmemdup(piece, fi.len);
    d->n_frags++;
    d->have += fi.len;
    dgram_hold(d, fi.len);
    if (!fi.off) {
        d->head = xmemdup(data, fi.l3 + fi.hlen);
        d->l3 = fi.l3;
        d->head_len = fi.l3 + fi.hlen;
        dgram_hold(d, fi.l3 + fi.hlen);
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
