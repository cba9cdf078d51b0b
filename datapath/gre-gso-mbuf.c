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

/* Segments whose payload stays in its mbuf; see gre-gso-mbuf.h. */

#include <config.h>

#include "gre-gso-mbuf.h"

#include <string.h>

#include <rte_mbuf.h>

#include "dp-packet.h"
#include "netdev-provider.h"
#include "util.h"

/* The classes of the ports that send mbuf chains: netdev-dpdk's "dpdk",
 * "dpdkvhostuser" and "dpdkvhostuserclient".  Written only while the
 * classes are registered, before any packet is sent. */
#define MAX_MBUF_CLASSES 4
static const struct netdev_class *mbuf_classes[MAX_MBUF_CLASSES];
static size_t n_mbuf_classes;

/* Records that the ports of 'class' hand mbuf chains to a PMD.  Called by
 * the main thread as the class is registered. */
void
gre_gso_mbuf_port_class(const struct netdev_class *class)
{
    ovs_assert(n_mbuf_classes < MAX_MBUF_CLASSES);
    mbuf_classes[n_mbuf_classes++] = class;
}

/* Returns true if 'netdev' may be given segments that
 * gre_gso_mbuf_segment() made. */
bool
gre_gso_mbuf_port(const struct netdev *netdev)
{
    for (size_t i = 0; i < n_mbuf_classes; i++) {
        if (netdev->netdev_class == mbuf_classes[i]) {
            return true;
        }
    }
    return false;
}

/* Returns true if 'p' is in DPDK memory, one mbuf, so that
 * gre_gso_mbuf_segment() can refer to its payload. */
bool
gre_gso_mbuf_usable(const struct dp_packet *p)
{
    return p->source == DPBUF_DPDK && rte_pktmbuf_is_contiguous(&p->mbuf);
}

/* Returns a new packet in DPDK memory of 'hdr_len' + 'len' bytes: a copy
 * of the first 'hdr_len' bytes of 'p' (which gre_gso_mbuf_usable() has
 * accepted), in a header mbuf of its own whose data the caller may
 * rewrite, followed by the 'len' bytes of 'p' that start 'ofs' bytes into
 * its data, which stay in 'p''s buffer and must not be written.  The new
 * packet has 'p''s packet type, no header offsets and no offload flags.
 * 'p' may be deleted at once: its buffer lives on until the last packet
 * that refers to it is deleted.  Returns NULL, with nothing allocated, if
 * 'p''s mempool is exhausted. */
struct dp_packet *
gre_gso_mbuf_segment(struct dp_packet *p, size_t hdr_len, size_t ofs,
                     size_t len)
{
    struct rte_mbuf *m = &p->mbuf;
    struct rte_mbuf *mbufs[2];
    struct rte_mbuf *hdr, *payload;
    struct dp_packet *seg;
    char *h;

    ovs_assert(ofs + len <= m->data_len && hdr_len <= m->data_len);
    if (rte_pktmbuf_alloc_bulk(m->pool, mbufs, ARRAY_SIZE(mbufs))) {
        return NULL;
    }
    hdr = mbufs[0];
    payload = mbufs[1];
    h = rte_pktmbuf_append(hdr, hdr_len);
    if (!h) {
        rte_pktmbuf_free_bulk(mbufs, ARRAY_SIZE(mbufs));
        return NULL;
    }
    memcpy(h, rte_pktmbuf_mtod(m, const char *), hdr_len);

    /* The payload mbuf points into 'p''s buffer at 'ofs', 'len' bytes
     * long, and carries none of 'p''s transmit requests: a PMD reads those
     * of the first mbuf of a chain only, but nothing should find them
     * elsewhere either. */
    rte_pktmbuf_attach(payload, m);
    payload->data_off += ofs;
    payload->data_len = len;
    payload->pkt_len = len;
    payload->ol_flags &= RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT;
    rte_pktmbuf_chain(hdr, payload);

    /* The header mbuf comes from an Open vSwitch mempool, whose every
     * mbuf is a struct dp_packet of DPDK source (see dp_packet_init_dpdk()
     * in OVS's lib/dp-packet.c).  rte_pktmbuf_alloc() cleared its offload
     * flags, which are the mbuf's; what a dp_packet holds beyond the mbuf
     * is whatever its last user left, and is reset here. */
    seg = CONTAINER_OF(hdr, struct dp_packet, mbuf);
    seg->packet_type = p->packet_type;
    dp_packet_reset_offsets(seg);
    dp_packet_reset_cutlen(seg);
    return seg;
}
