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

#ifndef GRE_VPORT_TNL_H
#define GRE_VPORT_TNL_H 1

/* Where Open vSwitch 3.1 keeps a vport's tunnel configuration, and what it
 * holds: the only part of the vport layer (vswitchd/gre-vport.c) that
 * differs between supported versions.  configure puts this directory on
 * the include path for OVS 3.1.x.  The includer has included OVS's
 * netdev-vport-private.h first (it cannot be included twice: its include
 * guard is misspelled).
 *
 * OVS 3.1 embeds 'struct netdev_tunnel_config' in 'struct netdev_vport'
 * ('tnl_cfg') and reads it in place, under the vport's mutex where it
 * locks at all; netdev_vport_construct() sets its defaults. */

#include "gre-options.h"
#include "netdev.h"

/* Returns the tunnel configuration OVS reads for 'vport'. */
static inline const struct netdev_tunnel_config *
gre_vport_tnl(const struct netdev_vport *vport)
{
    return &vport->tnl_cfg;
}

/* Makes 'tnl' the tunnel configuration of 'vport'. */
static inline void
gre_vport_tnl_replace(struct netdev_vport *vport,
                      const struct netdev_tunnel_config *tnl)
    OVS_REQUIRES(vport->mutex)
{
    vport->tnl_cfg = *tnl;
}

/* Releases the tunnel configuration of 'vport', being destroyed: nothing
 * to release, it is part of the vport. */
static inline void
gre_vport_tnl_release(struct netdev_vport *vport OVS_UNUSED)
{
}

/* How OVS 3.1 reads and reports options where versions differ: it is
 * the dialect lib/gre-options.c starts with. */
#define GRE_VPORT_OPTIONS_DIALECT {     \
    .report_csum_false = false,         \
    .srv6 = false,                      \
    .ipsec_prefix = false,              \
}

/* Returns what OVS 3.1's 'csum' member holds for a port configured as
 * 'opts': whether it sends GRE checksums. */
static inline bool
gre_vport_tnl_csum(const struct gre_options *opts)
{
    return opts->csum;
}

#endif /* gre-vport-tnl.h */
