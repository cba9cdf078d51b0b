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

#include "gre-type.h"

#include <string.h>

/* The datapath port names are those of OVS 3.1, so that 'dpif/show',
 * 'tnl/ports/show' and anything that names the shared port keep working. */
const struct gre_type gre_types[GRE_N_TYPES] = {
    [GRE_TYPE_GRE] = {
        .index = GRE_TYPE_GRE,
        .name = "gre",
        .dpif_port = "gre_sys",
        .kind = GRE_KIND_GRE,
        .has_csum = true,
        .has_seq = true,
        .can_l3 = true,
    },
    [GRE_TYPE_ERSPAN] = {
        .index = GRE_TYPE_ERSPAN,
        .name = "erspan",
        .dpif_port = "erspan_sys",
        .kind = GRE_KIND_ERSPAN,
    },
    [GRE_TYPE_IP6GRE] = {
        .index = GRE_TYPE_IP6GRE,
        .name = "ip6gre",
        .dpif_port = "ip6gre_sys",
        .kind = GRE_KIND_GRE,
        .ipv6 = true,
        .has_csum = true,
        .has_seq = true,
    },
    [GRE_TYPE_IP6ERSPAN] = {
        .index = GRE_TYPE_IP6ERSPAN,
        .name = "ip6erspan",
        .dpif_port = "ip6erspan_sys",
        .kind = GRE_KIND_ERSPAN,
        .ipv6 = true,
    },
};

/* Returns the descriptor of the port type called 'name', or NULL if ovs-gre
 * does not provide that type. */
const struct gre_type *
gre_type_from_name(const char *name)
{
    for (int i = 0; i < GRE_N_TYPES; i++) {
        if (!strcmp(name, gre_types[i].name)) {
            return &gre_types[i];
        }
    }
    return NULL;
}
