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

#ifndef GRE_OPTIONS_H
#define GRE_OPTIONS_H 1

/* The OVSDB Interface options of GRE-family ports.
 *
 * Every option OVS 3.1 accepts for gre, erspan, ip6gre and ip6erspan has
 * the same meaning, default, 'flow' value and error text here.  Where OVS
 * 3.1 only logs a warning and applies the rest (an unknown option, an
 * unparsable address or TOS), ovs-gre refuses the whole configuration
 * instead, with the same sentence, so that a typo never half-applies. */

#include "gre-type.h"
#include "netdev.h"

struct smap;

struct gre_options {
    /* What OVS's ofproto and xlate read through get_tunnel_config(). */
    struct netdev_tunnel_config tnl;

    /* ovs-gre's own receive checks (Linux's iseq and icsum). */
    bool in_seq;                /* Require and check sequence numbers. */
    bool in_csum;               /* Require GRE checksums. */
};

int gre_options_parse(const struct gre_type *, const char *name,
                      const struct smap *args, struct gre_options *,
                      char **errp);
void gre_options_format(const struct gre_type *, const struct gre_options *,
                        struct smap *args);
void gre_options_default(struct gre_options *);

#endif /* gre-options.h */
