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

/* Where Open vSwitch 3.5 keeps a vport's tunnel configuration, and what it
 * holds: the only part of the vport layer (vswitchd/gre-vport.c) that
 * differs between supported versions.  configure puts this directory on
 * the include path for OVS 3.5.x.  The includer has included OVS's
 * netdev-vport-private.h first (it cannot be included twice: its include
 * guard is misspelled).
 *
 * OVS 3.5 points 'struct netdev_vport' at an immutable 'struct
 * netdev_tunnel_config' under RCU ('tnl_cfg'): handler threads read it
 * without a lock (tnl_port_send(), the route-change code), so a
 * configuration is replaced by publishing a new copy and freeing the old
 * one after a grace period.  netdev_vport_construct() allocates the
 * first; the class's destruct must free the last. */

#include "gre-options.h"
#include "netdev.h"
#include "ovs-rcu.h"
#include "util.h"

/* Returns the tunnel configuration OVS reads for 'vport'. */
static inline const struct netdev_tunnel_config *
gre_vport_tnl(const struct netdev_vport *vport)
{
    return ovsrcu_get(const struct netdev_tunnel_config *, &vport->tnl_cfg);
}

/* Makes a copy of 'tnl' the tunnel configuration of 'vport'. */
static inline void
gre_vport_tnl_replace(struct netdev_vport *vport,
                      const struct netdev_tunnel_config *tnl)
    OVS_REQUIRES(vport->mutex)
{
    const struct netdev_tunnel_config *old = gre_vport_tnl(vport);

    ovsrcu_set(&vport->tnl_cfg, xmemdup(tnl, sizeof *tnl));
    ovsrcu_postpone(free, CONST_CAST(struct netdev_tunnel_config *, old));
}

/* Releases the tunnel configuration of 'vport', being destroyed, once no
 * reader can be using it (as OVS 3.5's netdev_vport_destruct() does). */
static inline void
gre_vport_tnl_release(struct netdev_vport *vport)
{
    const struct netdev_tunnel_config *old = gre_vport_tnl(vport);

    ovsrcu_set(&vport->tnl_cfg, NULL);
    ovsrcu_postpone(free, CONST_CAST(struct netdev_tunnel_config *, old));
}

/* How OVS 3.5 reads and reports options where versions differ: it
 * reports an explicit "csum=false", accepts srv6_segs and srv6_flowlabel
 * for every tunnel type and ignores every "ipsec_*" option. */
#define GRE_VPORT_OPTIONS_DIALECT {     \
    .report_csum_false = true,          \
    .srv6 = true,                       \
    .ipsec_prefix = true,               \
}

/* Returns what OVS 3.5's 'csum' member holds for a port configured as
 * 'opts'.  As OVS 3.5 stores it for these types: enabled or disabled when
 * the option is given, otherwise "no checksum by default", which unlike
 * NETDEV_TNL_CSUM_DEFAULT does not turn checksums on for IPv6 remotes in
 * tnl_port_send(). */
static inline enum netdev_tnl_csum
gre_vport_tnl_csum(const struct gre_options *opts)
{
    return (opts->csum ? NETDEV_TNL_CSUM_ENABLED
            : opts->csum_given ? NETDEV_TNL_CSUM_DISABLED
            : NETDEV_TNL_DEFAULT_NO_CSUM);
}

#endif /* gre-vport-tnl.h */
