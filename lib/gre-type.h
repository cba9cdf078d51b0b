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

#ifndef GRE_TYPE_H
#define GRE_TYPE_H 1

/* The four port types ovs-gre provides, as descriptors chosen once when a
 * netdev is created.  Code that varies by type reads a descriptor field;
 * nothing compares type strings on a packet path. */

#include <stdbool.h>

/* What follows the GRE header. */
enum gre_kind {
    GRE_KIND_GRE,               /* Ethernet (TEB) or an L3 payload. */
    GRE_KIND_ERSPAN,            /* An ERSPAN header and a mirrored frame. */
};

enum gre_type_index {
    GRE_TYPE_GRE,
    GRE_TYPE_ERSPAN,
    GRE_TYPE_IP6GRE,
    GRE_TYPE_IP6ERSPAN,
    GRE_N_TYPES
};

struct gre_type {
    enum gre_type_index index;
    const char *name;           /* OVSDB Interface type, e.g. "gre". */
    const char *dpif_port;      /* Shared datapath port, e.g. "gre_sys". */
    enum gre_kind kind;
    bool ipv6;                  /* Outer IPv6 unless remote_ip is IPv4. */
    bool has_csum;              /* Accepts options:csum. */
    bool has_seq;               /* Accepts options:seq. */
    bool can_l3;                /* Accepts packet_type=legacy_l3. */
};

extern const struct gre_type gre_types[GRE_N_TYPES];

const struct gre_type *gre_type_from_name(const char *name);

#endif /* gre-type.h */
