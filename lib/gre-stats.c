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

#include "gre-stats.h"

#include "util.h"

static const char *const drop_names[GRE_N_DROPS] = {
#define GRE_DROP(ENUM, NAME, KIND, DESC) [GRE_DROP_##ENUM] = NAME,
    GRE_DROP_REASONS
#undef GRE_DROP
};

static const char *const drop_descriptions[GRE_N_DROPS] = {
#define GRE_DROP(ENUM, NAME, KIND, DESC) [GRE_DROP_##ENUM] = DESC,
    GRE_DROP_REASONS
#undef GRE_DROP
};

static const enum gre_drop_kind drop_kinds[GRE_N_DROPS] = {
#define GRE_DROP(ENUM, NAME, KIND, DESC) [GRE_DROP_##ENUM] = GRE_##KIND,
    GRE_DROP_REASONS
#undef GRE_DROP
};

static const char *const event_names[GRE_N_EVENTS] = {
#define GRE_EVENT(ENUM, NAME, DESC) [GRE_EVENT_##ENUM] = NAME,
    GRE_EVENTS
#undef GRE_EVENT
};

static const char *const event_descriptions[GRE_N_EVENTS] = {
#define GRE_EVENT(ENUM, NAME, DESC) [GRE_EVENT_##ENUM] = DESC,
    GRE_EVENTS
#undef GRE_EVENT
};

/* Returns the counter name of event 'event'. */
const char *
gre_event_name(enum gre_event event)
{
    ovs_assert(event < GRE_N_EVENTS);
    return event_names[event];
}

/* Returns a sentence that says when event 'event' is counted. */
const char *
gre_event_description(enum gre_event event)
{
    ovs_assert(event < GRE_N_EVENTS);
    return event_descriptions[event];
}

/* Returns the counter name of drop reason 'drop'. */
const char *
gre_drop_name(enum gre_drop drop)
{
    ovs_assert(drop < GRE_N_DROPS);
    return drop_names[drop];
}

/* Returns a sentence that says when drop reason 'drop' is counted. */
const char *
gre_drop_description(enum gre_drop drop)
{
    ovs_assert(drop < GRE_N_DROPS);
    return drop_descriptions[drop];
}

/* Returns the standard counter that drop reason 'drop' adds to. */
enum gre_drop_kind
gre_drop_kind(enum gre_drop drop)
{
    ovs_assert(drop < GRE_N_DROPS);
    return drop_kinds[drop];
}

/* Initializes every counter in 'stats' to zero. */
void
gre_stats_init(struct gre_stats *stats)
{
    atomic_init(&stats->tx_packets, 0);
    atomic_init(&stats->tx_bytes, 0);
    atomic_init(&stats->rx_packets, 0);
    atomic_init(&stats->rx_bytes, 0);
    for (int i = 0; i < GRE_N_DROPS; i++) {
        atomic_init(&stats->drops[i], 0);
    }
    for (int i = 0; i < GRE_N_EVENTS; i++) {
        atomic_init(&stats->events[i], 0);
    }
}

/* Copies the counters of 'stats' into 'snap'. */
void
gre_stats_read(const struct gre_stats *stats_, struct gre_stats_snapshot *snap)
{
    struct gre_stats *stats = CONST_CAST(struct gre_stats *, stats_);

    atomic_read_relaxed(&stats->tx_packets, &snap->tx_packets);
    atomic_read_relaxed(&stats->tx_bytes, &snap->tx_bytes);
    atomic_read_relaxed(&stats->rx_packets, &snap->rx_packets);
    atomic_read_relaxed(&stats->rx_bytes, &snap->rx_bytes);
    for (int i = 0; i < GRE_N_DROPS; i++) {
        atomic_read_relaxed(&stats->drops[i], &snap->drops[i]);
    }
    for (int i = 0; i < GRE_N_EVENTS; i++) {
        atomic_read_relaxed(&stats->events[i], &snap->events[i]);
    }
}

/* Returns the number of drops of 'kind' that 'snap' counts. */
uint64_t
gre_stats_count_kind(const struct gre_stats_snapshot *snap,
                     enum gre_drop_kind kind)
{
    uint64_t n = 0;

    for (int i = 0; i < GRE_N_DROPS; i++) {
        if (drop_kinds[i] == kind) {
            n += snap->drops[i];
        }
    }
    return n;
}
