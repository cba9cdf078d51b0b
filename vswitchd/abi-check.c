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

/* What ovs-gre's objects and Open vSwitch's must agree on.
 *
 * This file is not part of any program.  The build compiles it twice, with
 * OVS's compile command and with ours, and compares the sizes of the
 * symbols below in the two objects (see ABI_STAMP in Makefile.am): each
 * symbol's size is one more than a number about the packet layout the
 * datapath shares with OVS, so a difference in compiler flags that moves a
 * member (with DPDK: of the rte_mbuf inside struct dp_packet) stops the
 * build instead of making our code read the wrong bytes. */

#include <config.h>
#include <stddef.h>
#include "dp-packet.h"

#define OVSGRE_ABI(NAME, VALUE) \
    extern const char ovsgre_abi_##NAME[(VALUE) + 1]; \
    const char ovsgre_abi_##NAME[(VALUE) + 1] = { 1 }

OVSGRE_ABI(dp_packet_size, sizeof (struct dp_packet));
OVSGRE_ABI(dp_packet_md, offsetof(struct dp_packet, md));
OVSGRE_ABI(dp_packet_packet_type, offsetof(struct dp_packet, packet_type));
OVSGRE_ABI(dp_packet_l3_ofs, offsetof(struct dp_packet, l3_ofs));
OVSGRE_ABI(dp_packet_l4_ofs, offsetof(struct dp_packet, l4_ofs));
OVSGRE_ABI(pkt_metadata_size, sizeof (struct pkt_metadata));
OVSGRE_ABI(flow_tnl_size, sizeof (struct flow_tnl));
#ifdef DPDK_NETDEV
OVSGRE_ABI(rte_mbuf_size, sizeof (struct rte_mbuf));
OVSGRE_ABI(rte_mbuf_ol_flags, offsetof(struct rte_mbuf, ol_flags));
OVSGRE_ABI(rte_mbuf_tx_offload, offsetof(struct rte_mbuf, tx_offload));
#endif
