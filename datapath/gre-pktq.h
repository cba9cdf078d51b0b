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

#ifndef GRE_PKTQ_H
#define GRE_PKTQ_H 1

/* A bounded queue of packets that datapath threads hand to the main
 * thread (ICMP errors to run into a bridge, peers' keepalives to send
 * back), which wakes the main loop when it fills. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ovs-thread.h"

struct dp_packet;

#define GRE_PKTQ_MAX 64

struct gre_pktq {
    struct ovs_mutex mutex;
    struct dp_packet *packets[GRE_PKTQ_MAX] OVS_GUARDED;
    size_t head OVS_GUARDED;
    size_t count OVS_GUARDED;
};

#define GRE_PKTQ_INITIALIZER { .mutex = OVS_MUTEX_INITIALIZER }

bool gre_pktq_put(struct gre_pktq *, struct dp_packet *);
struct dp_packet *gre_pktq_get(struct gre_pktq *);
uint64_t gre_pktq_seqno(void);
void gre_pktq_notify(void);
void gre_pktq_wait(struct gre_pktq *, uint64_t seqno);

#endif /* gre-pktq.h */
