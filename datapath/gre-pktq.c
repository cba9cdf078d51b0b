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

#include "gre-pktq.h"

#include "dp-packet.h"
#include "openvswitch/poll-loop.h"
#include "seq.h"

/* Changes when any queue gets a packet, or on gre_pktq_notify(). */
static struct seq *
pktq_seq(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    static struct seq *seq;

    if (ovsthread_once_start(&once)) {
        seq = seq_create();
        ovsthread_once_done(&once);
    }
    return seq;
}

/* Queues 'packet' for the main thread.  Returns false, and deletes it, if
 * the queue is full.  Any thread. */
bool
gre_pktq_put(struct gre_pktq *q, struct dp_packet *packet)
{
    bool queued = false;

    ovs_mutex_lock(&q->mutex);
    if (q->count < GRE_PKTQ_MAX) {
        q->packets[(q->head + q->count++) % GRE_PKTQ_MAX] = packet;
        queued = true;
    }
    ovs_mutex_unlock(&q->mutex);

    if (queued) {
        seq_change(pktq_seq());
    } else {
        dp_packet_delete(packet);
    }
    return queued;
}

/* Returns the oldest packet in 'q', which the caller then owns, or NULL if
 * it is empty. */
struct dp_packet *
gre_pktq_get(struct gre_pktq *q)
{
    struct dp_packet *packet = NULL;

    ovs_mutex_lock(&q->mutex);
    if (q->count) {
        packet = q->packets[q->head];
        q->head = (q->head + 1) % GRE_PKTQ_MAX;
        q->count--;
    }
    ovs_mutex_unlock(&q->mutex);
    return packet;
}

/* Returns the number to give gre_pktq_wait() after looking at the queues
 * and at what gre_pktq_notify() is about. */
uint64_t
gre_pktq_seqno(void)
{
    return seq_read(pktq_seq());
}

/* Wakes the main loop, for something other than a packet. */
void
gre_pktq_notify(void)
{
    seq_change(pktq_seq());
}

/* Makes the main loop wake up when 'q' has a packet, or when a packet was
 * queued or gre_pktq_notify() called after gre_pktq_seqno() returned
 * 'seqno'. */
void
gre_pktq_wait(struct gre_pktq *q, uint64_t seqno)
{
    size_t n;

    ovs_mutex_lock(&q->mutex);
    n = q->count;
    ovs_mutex_unlock(&q->mutex);
    if (n) {
        poll_immediate_wake();
    } else {
        seq_wait(pktq_seq(), seqno);
    }
}
