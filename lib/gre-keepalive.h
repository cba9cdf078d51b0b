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

#ifndef GRE_KEEPALIVE_H
#define GRE_KEEPALIVE_H 1

/* GRE keepalives, as routers have sent them since Cisco IOS's "keepalive
 * PERIOD RETRIES".
 *
 * A keepalive is a GRE packet to the peer whose payload (GRE protocol
 * 0x0800, or 0x86DD over IPv6) is the peer's answer, ready made: an IP
 * packet from the peer's address to ours, protocol GRE, whose GRE header
 * has protocol 0 and the flags and key we receive with.  The peer only
 * decapsulates it and routes the inner packet, which comes back to us as
 * a GRE packet of protocol 0: the path works both ways.
 *
 * The answer we build carries a proof after its GRE header, so that a
 * reply cannot be forged or replayed (as OpenBSD's gre(4) does with
 * SipHash):
 *
 *   send time   8 bytes, milliseconds of the sender's monotonic clock
 *   counter     8 bytes, one more for each keepalive the port sends
 *   digest     16 bytes, HMAC-SHA-256 (OpenSSL), truncated, keyed with a
 *              random per-port secret, over the time, the counter, both
 *              endpoints (IPv4 mapped) and the key of the answer
 *
 * A reply counts only if its digest is the port's, it answers a keepalive
 * sent within the last RETRIES periods, and its counter is beyond that of
 * every reply accepted before.  After RETRIES periods without one, the
 * tunnel is down; the next reply brings it up.
 *
 * Threading: the state is the main thread's, except that
 * gre_keepalive_reply() runs in datapath threads; a mutex covers both. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "gre-stats.h"
#include "openvswitch/types.h"
#include "ovs-thread.h"

struct dp_packet;
struct gre_options;

/* The bytes of the proof, after the answer's GRE header. */
#define GRE_KEEPALIVE_PROOF_LEN 32

/* The answer's endpoints and key: the peer's address (the answer's
 * source), ours, and the key we receive with, if any. */
struct gre_keepalive_ends {
    struct in6_addr local;      /* IPv4 mapped for IPv4. */
    struct in6_addr remote;
    bool has_key;
    ovs_be32 key;
};

struct gre_keepalive {
    struct ovs_mutex mutex;
    uint8_t secret[32];

    /* Configuration: 0 for a port without keepalives. */
    long long int period OVS_GUARDED;     /* Milliseconds. */
    int retries OVS_GUARDED;

    uint64_t counter OVS_GUARDED;         /* Of the last one sent. */
    long long int next_send OVS_GUARDED;
    uint64_t reply_counter OVS_GUARDED;   /* Of the last reply taken. */
    long long int last_reply OVS_GUARDED; /* Or when keepalives began. */
    bool up OVS_GUARDED;
    bool changed OVS_GUARDED;             /* 'up' changed, unreported. */
    bool reconfigured OVS_GUARDED;        /* By gre_keepalive_configure(). */
    long long int changed_wall OVS_GUARDED;  /* time_wall_msec(), or 0. */
};

struct gre_keepalive *gre_keepalive_create(void);
void gre_keepalive_destroy(struct gre_keepalive *);
void gre_keepalive_configure(struct gre_keepalive *,
                             const struct gre_options *, long long int now);

bool gre_keepalive_due(struct gre_keepalive *, long long int now,
                       uint64_t *counter);
long long int gre_keepalive_next_wake(struct gre_keepalive *);
bool gre_keepalive_take_change(struct gre_keepalive *, bool *up,
                               bool *reconfigured);

/* What gre_keepalive_status() reports. */
struct gre_keepalive_status {
    bool enabled;
    bool up;
    long long int changed_wall;
    int period;                 /* Seconds. */
    int retries;
};
void gre_keepalive_status(struct gre_keepalive *,
                          struct gre_keepalive_status *);

size_t gre_keepalive_answer_len(bool ipv6, const struct gre_options *);
void gre_keepalive_put_answer(struct gre_keepalive *,
                              const struct gre_options *,
                              const struct gre_keepalive_ends *,
                              uint64_t counter, long long int now,
                              uint8_t *out);

enum gre_drop gre_keepalive_reply(struct gre_keepalive *,
                                  const struct gre_keepalive_ends *,
                                  const uint8_t *proof, size_t len,
                                  long long int now, bool *came_up);

bool gre_keepalive_reflectable(const uint8_t *inner, size_t len, bool ipv6,
                               const struct in6_addr *outer_src,
                               const struct in6_addr *outer_dst,
                               const struct gre_options *);
size_t gre_keepalive_forward(uint8_t *inner);

#endif /* gre-keepalive.h */
