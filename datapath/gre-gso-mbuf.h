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

#ifndef GRE_GSO_MBUF_H
#define GRE_GSO_MBUF_H 1

/* Software segmentation without a payload copy, for packets in DPDK
 * memory that leave by a DPDK port (builds with DPDK only).
 *
 * A TSO packet that a DPDK port received (from a vhost-user guest, say)
 * is one mbuf, and a DPDK port sends chains of mbufs.  Each segment of it
 * is then two mbufs from the packet's own mempool, as DPDK's rte_gso makes
 * them: a header mbuf, holding a copy of the packet's headers for the
 * segmentation to rewrite, chained to an indirect mbuf attached to the
 * packet's buffer at the segment's payload.  The payload stays where it
 * is (gre-gso.c reads it once, for the checksums) and its buffer is freed
 * with the last segment that refers to it.
 *
 * Only ports that hand mbuf chains to a PMD may be given such segments:
 * every other port reads a packet's data as one run of bytes.  The seam
 * names the classes of those ports with gre_gso_mbuf_port_class(). */

#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"

struct dp_packet;
struct netdev;
struct netdev_class;

#ifdef DPDK_NETDEV
void gre_gso_mbuf_port_class(const struct netdev_class *);
bool gre_gso_mbuf_port(const struct netdev *);
bool gre_gso_mbuf_usable(const struct dp_packet *);
struct dp_packet *gre_gso_mbuf_segment(struct dp_packet *, size_t hdr_len,
                                       size_t ofs, size_t len);
#else
/* Without DPDK, no port takes mbuf chains. */
static inline bool
gre_gso_mbuf_port(const struct netdev *netdev OVS_UNUSED)
{
    return false;
}

static inline bool
gre_gso_mbuf_usable(const struct dp_packet *p OVS_UNUSED)
{
    return false;
}

static inline struct dp_packet *
gre_gso_mbuf_segment(struct dp_packet *p OVS_UNUSED,
                     size_t hdr_len OVS_UNUSED, size_t ofs OVS_UNUSED,
                     size_t len OVS_UNUSED)
{
    return NULL;
}
#endif

#endif /* gre-gso-mbuf.h */
