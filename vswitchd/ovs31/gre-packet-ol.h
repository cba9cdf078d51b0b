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

#ifndef GRE_PACKET_OL_H
#define GRE_PACKET_OL_H 1

/* What ovs-gre's offloads (datapath/gre-offload.h) need to know of the
 * packet metadata of Open vSwitch 3.1: GRE_OFFLOAD_OVS_INIT initializes the
 * 'struct gre_offload_ovs' the seam gives the datapath at start-up. */

#include "dp-packet.h"
#include "gre-offload.h"

/* OVS 3.1: no IPv4 checksum request, no segment size (TSO packets are cut
 * to fit the output port's MTU), a netdev_send() that drops what a port
 * cannot offload, and no way to give a port a GRE-tunnelled TSO packet
 * (see "Limitations" in gre-offload.h). */
#define GRE_OFFLOAD_OVS_INIT {                  \
    .tx_ip_csum = 0,                            \
    .get_segsz = NULL,                          \
    .set_segsz = NULL,                          \
    .send_all = true,                           \
    .tnl_tso = NULL,                            \
}

/* Does to a packet that OVS's own push has just encapsulated what OVS's
 * output does to it in software for a port that offloads no checksum:
 * nothing, since OVS 3.1 writes every checksum at the push.  For
 * utilities/ovsgre-bench, which compares and times both sides' packets
 * as they leave. */
static inline void
gre_packet_ovs_push_finish(struct dp_packet *p OVS_UNUSED)
{
}

#endif /* gre-packet-ol.h */
