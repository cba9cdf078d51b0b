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

#include "gre-keepalive.h"

#include <netinet/ip6.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "csum.h"
#include "gre-options.h"
#include "gre-wire.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "random.h"
#include "timeval.h"
#include "unaligned.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(gre_keepalive);

/* The TTL (hop limit) of the answers we build, as Cisco IOS sets it. */
#define ANSWER_TTL 255

#define DIGEST_LEN 16

/* Returns a new keepalive state, off until configured. */
struct gre_keepalive *
gre_keepalive_create(void)
{
    struct gre_keepalive *ka = xzalloc(sizeof *ka);

    ovs_mutex_init(&ka->mutex);
    if (RAND_bytes(ka->secret, sizeof ka->secret) != 1) {
        /* Still unpredictable enough to tell ports apart, not to resist
         * a forger: say so. */
        VLOG_ERR("OpenSSL has no random bytes for a keepalive secret: "
                 "replies to this port's keepalives could be forged");
        random_bytes(ka->secret, sizeof ka->secret);
    }
    return ka;
}

void
gre_keepalive_destroy(struct gre_keepalive *ka)
{
    if (ka) {
        ovs_mutex_destroy(&ka->mutex);
        free(ka);
    }
}

/* Applies the keepalive options of 'opts' at time 'now'.  A port whose
 * keepalives are turned on, or whose period or retries change, starts up
 * with its first keepalive due at once and RETRIES periods to hear a
 * reply; turning them off leaves the tunnel up. */
void
gre_keepalive_configure(struct gre_keepalive *ka,
                        const struct gre_options *opts, long long int now)
{
    long long int period = opts->keepalive * 1000LL;

    ovs_mutex_lock(&ka->mutex);
    if (period != ka->period || opts->keepalive_retries != ka->retries) {
        if (!ka->up && ka->period) {
            ka->changed = true;
            ka->reconfigured = true;
            ka->changed_wall = time_wall_msec();
        }
        ka->period = period;
        ka->retries = opts->keepalive_retries;
        ka->next_send = now;
        ka->last_reply = now;
        ka->up = true;
    }
    ovs_mutex_unlock(&ka->mutex);
}

/* Tells whether a keepalive is due at 'now'.  If so, returns true with
 * its counter in '*counter' and counts it as sent.  Takes the tunnel down
 * if RETRIES periods have passed without a reply. */
bool
gre_keepalive_due(struct gre_keepalive *ka, long long int now,
                  uint64_t *counter)
{
    bool due = false;

    ovs_mutex_lock(&ka->mutex);
    if (ka->period) {
        if (ka->up && now - ka->last_reply >= ka->retries * ka->period) {
            ka->up = false;
            ka->changed = true;
            ka->reconfigured = false;
            ka->changed_wall = time_wall_msec();
        }
        if (now >= ka->next_send) {
            *counter = ++ka->counter;
            ka->next_send = now + ka->period;
            due = true;
        }
    }
    ovs_mutex_unlock(&ka->mutex);
    return due;
}

/* Returns when gre_keepalive_due() next has something to do, or LLONG_MAX
 * for a port without keepalives. */
long long int
gre_keepalive_next_wake(struct gre_keepalive *ka)
{
    long long int wake = LLONG_MAX;

    ovs_mutex_lock(&ka->mutex);
    if (ka->period) {
        wake = ka->next_send;
        if (ka->up) {
            wake = MIN(wake, ka->last_reply + ka->retries * ka->period);
        }
    }
    ovs_mutex_unlock(&ka->mutex);
    return wake;
}

/* Returns true, with the state in '*up', if the state changed since the
 * last call; '*reconfigured' tells whether the last change came from the
 * configuration rather than from replies. */
bool
gre_keepalive_take_change(struct gre_keepalive *ka, bool *up,
                          bool *reconfigured)
{
    bool changed;

    ovs_mutex_lock(&ka->mutex);
    changed = ka->changed;
    *reconfigured = ka->reconfigured;
    ka->changed = false;
    ka->reconfigured = false;
    *up = ka->up || !ka->period;
    ovs_mutex_unlock(&ka->mutex);
    return changed;
}

void
gre_keepalive_status(struct gre_keepalive *ka,
                     struct gre_keepalive_status *s)
{
    ovs_mutex_lock(&ka->mutex);
    s->enabled = ka->period != 0;
    s->up = ka->up || !ka->period;
    s->changed_wall = ka->changed_wall;
    s->period = ka->period / 1000;
    s->retries = ka->retries;
    ovs_mutex_unlock(&ka->mutex);
}

/* The answer's GRE flags: those the port receives with. */
static uint16_t
answer_gre_flags(const struct gre_options *opts)
{
    return ((opts->in_key.present ? GRE_KEY : 0)
            | (opts->in_csum ? GRE_CSUM : 0)
            | (opts->in_seq ? GRE_SEQ : 0));
}

/* Returns the length of the answer a port configured as 'opts' builds:
 * its IP header, GRE header and proof. */
size_t
gre_keepalive_answer_len(bool ipv6, const struct gre_options *opts)
{
    return ((ipv6 ? IPV6_HEADER_LEN : IP_HEADER_LEN)
            + gre_calc_hlen(answer_gre_flags(opts))
            + GRE_KEEPALIVE_PROOF_LEN);
}

/* Computes HMAC-SHA-256 of the 'n' bytes at 'msg' with the 32-byte key
 * 'key' into 'mac' (EVP_MAX_MD_SIZE bytes), with its length in '*mac_len'.
 * Returns true if OpenSSL could.  Any thread: the MAC implementation is
 * fetched once and shared, each call has its own context. */
static bool
hmac_sha256(const uint8_t key[32], const uint8_t *msg, size_t n,
            uint8_t *mac, size_t *mac_len)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    static EVP_MAC *hmac;
    OSSL_PARAM params[2];
    EVP_MAC_CTX *ctx;
    bool ok;

    if (ovsthread_once_start(&once)) {
        hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
        ovsthread_once_done(&once);
    }
    if (!hmac) {
        return false;
    }
    ctx = EVP_MAC_CTX_new(hmac);
    if (!ctx) {
        return false;
    }
    params[0] = OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    ok = (EVP_MAC_init(ctx, key, 32, params)
          && EVP_MAC_update(ctx, msg, n)
          && EVP_MAC_final(ctx, mac, mac_len, EVP_MAX_MD_SIZE));
    EVP_MAC_CTX_free(ctx);
    return ok;
}

/* Computes into 'digest' the digest of a proof with 'time' and 'counter'
 * for an answer with 'ends'. */
static void
compute_digest(const uint8_t secret[32], uint64_t time, uint64_t counter,
               const struct gre_keepalive_ends *ends,
               uint8_t digest[DIGEST_LEN])
{
    uint8_t msg[8 + 8 + 16 + 16 + 1 + 4];
    uint8_t mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    ovs_be64 t = htonll(time), c = htonll(counter);

    memcpy(msg, &t, 8);
    memcpy(msg + 8, &c, 8);
    memcpy(msg + 16, &ends->local, 16);
    memcpy(msg + 32, &ends->remote, 16);
    msg[48] = ends->has_key;
    memcpy(msg + 49, ends->has_key ? &ends->key : &(ovs_be32) { 0 }, 4);

    if (!hmac_sha256(secret, msg, sizeof msg, mac, &mac_len)
        || mac_len < DIGEST_LEN) {
        /* Nothing will match it: no reply is taken. */
        VLOG_ERR_ONCE("OpenSSL cannot compute HMAC-SHA-256: keepalive "
                      "replies cannot be checked");
        random_bytes(digest, DIGEST_LEN);
        return;
    }
    memcpy(digest, mac, DIGEST_LEN);
}

/* Writes at 'out' (gre_keepalive_answer_len() bytes) the answer for a
 * keepalive with 'counter' sent at 'now' by a port configured as 'opts'
 * whose endpoints and receive key are 'ends'. */
void
gre_keepalive_put_answer(struct gre_keepalive *ka,
                         const struct gre_options *opts,
                         const struct gre_keepalive_ends *ends,
                         uint64_t counter, long long int now, uint8_t *out)
{
    bool ipv6 = !IN6_IS_ADDR_V4MAPPED(&ends->remote);
    uint16_t flags = answer_gre_flags(opts);
    size_t l3_len = gre_keepalive_answer_len(ipv6, opts);
    size_t ip_len = ipv6 ? IPV6_HEADER_LEN : IP_HEADER_LEN;
    uint8_t *greh = out + ip_len;
    uint8_t *proof = greh + gre_calc_hlen(flags);
    struct gre_base_hdr *base = ALIGNED_CAST(struct gre_base_hdr *, greh);
    ovs_be64 t = htonll(now), c = htonll(counter);

    memset(out, 0, l3_len);
    if (ipv6) {
        struct ovs_16aligned_ip6_hdr *ip6
            = ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, out);

        put_16aligned_be32(&ip6->ip6_flow, htonl(6 << 28));
        ip6->ip6_plen = htons(l3_len - IPV6_HEADER_LEN);
        ip6->ip6_nxt = IPPROTO_GRE;
        ip6->ip6_hlim = ANSWER_TTL;
        memcpy(&ip6->ip6_src, &ends->remote, sizeof ip6->ip6_src);
        memcpy(&ip6->ip6_dst, &ends->local, sizeof ip6->ip6_dst);
    } else {
        struct ip_header *ip = ALIGNED_CAST(struct ip_header *, out);

        ip->ip_ihl_ver = IP_IHL_VER(5, 4);
        ip->ip_tot_len = htons(l3_len);
        ip->ip_ttl = ANSWER_TTL;
        ip->ip_proto = IPPROTO_GRE;
        put_16aligned_be32(&ip->ip_src,
                           in6_addr_get_mapped_ipv4(&ends->remote));
        put_16aligned_be32(&ip->ip_dst,
                           in6_addr_get_mapped_ipv4(&ends->local));
        ip->ip_csum = csum(ip, IP_HEADER_LEN);
    }

    base->flags = htons(flags);
    base->protocol = htons(0);
    if (flags & GRE_KEY) {
        put_16aligned_be32(ALIGNED_CAST(ovs_16aligned_be32 *,
                                        greh + gre_key_offset(flags)),
                           ends->key);
    }
    if (flags & GRE_SEQ) {
        put_16aligned_be32(ALIGNED_CAST(ovs_16aligned_be32 *,
                                        greh + gre_seq_offset(flags)),
                           htonl(counter));
    }

    memcpy(proof, &t, 8);
    memcpy(proof + 8, &c, 8);
    compute_digest(ka->secret, now, counter, ends, proof + 16);

    if (flags & GRE_CSUM) {
        ovs_be16 *sum = ALIGNED_CAST(ovs_be16 *, greh + GRE_BASE_LEN);

        *sum = csum(greh, l3_len - ip_len);
    }
}

/* Judges 'proof' ('len' bytes after the GRE header of a GRE packet of
 * protocol 0 that a port received, whose endpoints and key are 'ends') as
 * a reply to one of that port's keepalives at time 'now'.  Returns
 * GRE_DROP_NONE if it is one, setting '*came_up' if it brought the tunnel
 * up, otherwise the reason to drop it.  Any thread. */
enum gre_drop
gre_keepalive_reply(struct gre_keepalive *ka,
                    const struct gre_keepalive_ends *ends,
                    const uint8_t *proof, size_t len, long long int now,
                    bool *came_up)
{
    uint8_t digest[DIGEST_LEN];
    enum gre_drop reason;
    ovs_be64 t_be, c_be;
    uint64_t t, c;

    *came_up = false;
    if (len < GRE_KEEPALIVE_PROOF_LEN) {
        return GRE_DROP_KEEPALIVE_FORGED;
    }
    memcpy(&t_be, proof, 8);
    memcpy(&c_be, proof + 8, 8);
    t = ntohll(t_be);
    c = ntohll(c_be);
    compute_digest(ka->secret, t, c, ends, digest);
    if (CRYPTO_memcmp(digest, proof + 16, DIGEST_LEN)) {
        return GRE_DROP_KEEPALIVE_FORGED;
    }

    ovs_mutex_lock(&ka->mutex);
    if (!ka->period || t > (uint64_t) now
        || now - (long long int) t > ka->retries * ka->period
        || c > ka->counter) {
        reason = GRE_DROP_KEEPALIVE_STALE;
    } else if (c <= ka->reply_counter) {
        reason = GRE_DROP_KEEPALIVE_REPLAYED;
    } else {
        ka->reply_counter = c;
        ka->last_reply = now;
        if (!ka->up) {
            ka->up = true;
            ka->changed = true;
            ka->reconfigured = false;
            ka->changed_wall = time_wall_msec();
            *came_up = true;
        }
        reason = GRE_DROP_NONE;
    }
    ovs_mutex_unlock(&ka->mutex);
    return reason;
}

/* Returns true if the GRE header at 'greh' ('len' bytes to the end of the
 * packet) has protocol 0 and, as key, 'opts''s out_key if it has one, or
 * none. */
static bool
answer_gre_ok(const uint8_t *greh, size_t len,
              const struct gre_options *opts)
{
    const struct gre_base_hdr *base;
    uint16_t flags;

    if (len < GRE_BASE_LEN) {
        return false;
    }
    base = ALIGNED_CAST(const struct gre_base_hdr *, greh);
    flags = ntohs(base->flags);
    if (flags & (GRE_VERSION | GRE_ROUTING) || base->protocol
        || gre_calc_hlen(flags) > len) {
        return false;
    }
    if (!(flags & GRE_KEY) != !opts->out_key.present) {
        return false;
    }
    return (!(flags & GRE_KEY)
            || (get_16aligned_be32(ALIGNED_CAST(const ovs_16aligned_be32 *,
                                                greh + gre_key_offset(flags)))
                == be64_to_be32(opts->out_key.value)));
}

/* Returns true if 'inner' ('len' bytes, an IPv6 packet if 'ipv6',
 * otherwise IPv4), decapsulated from a packet from 'outer_src' to
 * 'outer_dst' by a port configured as 'opts', is a peer's keepalive
 * answer that we may send back: IP (no options, not a fragment, TTL above
 * 1, right checksum) from 'outer_dst' (our endpoint) to 'outer_src' (the
 * peer, who must be the port's remote_ip if it has one), protocol GRE,
 * whose GRE header has protocol 0 and the port's out_key.  Nothing else
 * is ever reflected. */
bool
gre_keepalive_reflectable(const uint8_t *inner, size_t len, bool ipv6,
                          const struct in6_addr *outer_src,
                          const struct in6_addr *outer_dst,
                          const struct gre_options *opts)
{
    struct in6_addr src, dst;
    size_t ip_len, total;

    if (ipv6) {
        const struct ovs_16aligned_ip6_hdr *ip6;

        if (len < IPV6_HEADER_LEN || inner[0] >> 4 != 6) {
            return false;
        }
        ip6 = ALIGNED_CAST(const struct ovs_16aligned_ip6_hdr *, inner);
        total = IPV6_HEADER_LEN + ntohs(ip6->ip6_plen);
        if (ip6->ip6_nxt != IPPROTO_GRE || ip6->ip6_hlim <= 1
            || total > len) {
            return false;
        }
        memcpy(&src, &ip6->ip6_src, sizeof src);
        memcpy(&dst, &ip6->ip6_dst, sizeof dst);
        ip_len = IPV6_HEADER_LEN;
    } else {
        const struct ip_header *ip;

        if (len < IP_HEADER_LEN || inner[0] != IP_IHL_VER(5, 4)) {
            return false;
        }
        ip = ALIGNED_CAST(const struct ip_header *, inner);
        total = ntohs(ip->ip_tot_len);
        if (ip->ip_proto != IPPROTO_GRE || ip->ip_ttl <= 1
            || IP_IS_FRAGMENT(ip->ip_frag_off)
            || total > len || total < IP_HEADER_LEN
            || csum(ip, IP_HEADER_LEN)) {
            return false;
        }
        in6_addr_set_mapped_ipv4(&src, get_16aligned_be32(&ip->ip_src));
        in6_addr_set_mapped_ipv4(&dst, get_16aligned_be32(&ip->ip_dst));
        ip_len = IP_HEADER_LEN;
    }

    if (!ipv6_addr_equals(&src, outer_dst)
        || !ipv6_addr_equals(&dst, outer_src)
        || (ipv6_addr_is_set(&opts->remote_ip)
            && !ipv6_addr_equals(&dst, &opts->remote_ip))) {
        return false;
    }
    return answer_gre_ok(inner + ip_len, total - ip_len, opts);
}

/* Forwards the answer at 'inner', which gre_keepalive_reflectable()
 * accepted, as a router does: one hop less, and for IPv4 the header
 * checksum updated.  Returns the length of the IP packet, without any
 * padding that followed it. */
size_t
gre_keepalive_forward(uint8_t *inner)
{
    if (inner[0] >> 4 == 6) {
        struct ovs_16aligned_ip6_hdr *ip6
            = ALIGNED_CAST(struct ovs_16aligned_ip6_hdr *, inner);

        ip6->ip6_hlim--;
        return IPV6_HEADER_LEN + ntohs(ip6->ip6_plen);
    } else {
        struct ip_header *ip = ALIGNED_CAST(struct ip_header *, inner);
        ovs_be16 old = htons(ip->ip_ttl << 8 | ip->ip_proto);

        ip->ip_ttl--;
        ip->ip_csum = recalc_csum16(ip->ip_csum, old,
                                    htons(ip->ip_ttl << 8 | ip->ip_proto));
        return ntohs(ip->ip_tot_len);
    }
}
