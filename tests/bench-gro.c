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

/* bench-gro: ovs-gre's GRO against DPDK's rte_gro on one batch of
 * decapsulated TCP/IPv4 segments (builds with DPDK only).
 *
 *   bench-gro [SEGMENTS [ITERATIONS [RUNS]]]
 *
 * Makes SEGMENTS (default 32, a whole receive batch; 2 to 32) in-order
 * segments of one TCP connection, as the pop leaves them: Ethernet, IPv4
 * (ids one apart) and TCP (ACK, no options) with 1460 bytes of payload,
 * checksums right.  Each iteration copies them into mbufs of an Open
 * vSwitch-like mempool, as a DPDK port receives them, and then, per
 * method (ITERATIONS times, default 20000):
 *
 *   copy in        nothing more: the mbufs are freed (the cost the other
 *                  rows share).
 *   ours           gre_offload_gro(), what ovs-vswitchd runs after the
 *                  pop: checks each segment's IPv4 and TCP checksums
 *                  as it copies its payload into one new buffer behind
 *                  the first segment's headers, writes the IPv4 length
 *                  and checksum and the TCP pseudo-header sum, and flags
 *                  the packet for TSO.
 *   rte_gro        rte_gro_reassemble_burst() for TCP/IPv4: chains the
 *                  mbufs, the payloads where they are; checks no checksum
 *                  and leaves the TCP checksum as it was.
 *   rte_gro+verify the same after checking each segment's IPv4 and TCP
 *                  checksums with DPDK's functions, as ovs-gre's rules
 *                  require (a segment with a bad checksum is not merged).
 *
 * Each is run RUNS times (default 5); prints, per method, the median and
 * range of the nanoseconds per batch, the median less that of "copy in",
 * per segment, and its speed against ovs-gre's (ovs-gre's time over its
 * time, both less "copy in": above 1 is faster).  ovs-gre makes one
 * packet of the batch; its packet and rte_gro's are checked once to hold
 * the same bytes but for the checksums rte_gro leaves, where rte_gro
 * makes one packet of the batch. */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_gro.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "csum.h"
#include "dp-packet.h"
#include "gre-offload.h"
#include "gre-bench-dpdk.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

#define MAX_SEGS 32
#define PAYLOAD 1460
#define FRAME_LEN (ETH_HEADER_LEN + IP_HEADER_LEN + TCP_HEADER_LEN + PAYLOAD)

/* The segments, as bytes, and how many of them a batch has. */
static uint8_t frames[MAX_SEGS][FRAME_LEN];
static size_t n_segs;

static struct rte_mempool *pool;

/* The packet each method made of the batch the first time, to compare. */
static struct dp_packet *ours_first;
static struct dp_packet *rte_first;
static uint16_t n_rte_out;      /* The number of packets rte_gro made. */

/* Writes into 'frames[i]' segment 'i' of the connection. */
static void
make_frame(size_t i)
{
    uint8_t *f = frames[i];
    struct eth_header *eth = (struct eth_header *) f;
    struct ip_header *ip = (struct ip_header *) (f + ETH_HEADER_LEN);
    struct tcp_header *tcp = (struct tcp_header *) (ip + 1);
    uint8_t *payload = (uint8_t *) (tcp + 1);
    uint32_t partial;

    memset(f, 0, ETH_HEADER_LEN + IP_HEADER_LEN + TCP_HEADER_LEN);
    eth->eth_dst = (struct eth_addr) ETH_ADDR_C(50,54,00,00,00,02);
    eth->eth_src = (struct eth_addr) ETH_ADDR_C(50,54,00,00,00,01);
    eth->eth_type = htons(ETH_TYPE_IP);

    ip->ip_ihl_ver = IP_IHL_VER(5, IP_VERSION);
    ip->ip_tot_len = htons(IP_HEADER_LEN + TCP_HEADER_LEN + PAYLOAD);
    ip->ip_id = htons(100 + i);
    ip->ip_ttl = 64;
    ip->ip_proto = IPPROTO_TCP;
    put_16aligned_be32(&ip->ip_src, htonl(0xc6336402));
    put_16aligned_be32(&ip->ip_dst, htonl(0xc6336401));
    ip->ip_csum = csum(ip, sizeof *ip);

    tcp->tcp_src = htons(5201);
    tcp->tcp_dst = htons(40000);
    put_16aligned_be32(&tcp->tcp_seq, htonl(1000 + i * PAYLOAD));
    put_16aligned_be32(&tcp->tcp_ack, htonl(2000));
    tcp->tcp_ctl = TCP_CTL(TCP_ACK, 5);
    tcp->tcp_winsz = htons(512);
    for (size_t j = 0; j < PAYLOAD; j++) {
        payload[j] = i + j;
    }
    partial = packet_csum_pseudoheader(ip);
    partial = csum_continue(partial, tcp, TCP_HEADER_LEN + PAYLOAD);
    tcp->tcp_csum = csum_finish(partial);
}

/* Copies the batch into new mbufs 'm[]', as a DPDK port receives it, and
 * describes each to rte_gro. */
static void
copy_in(struct rte_mbuf *m[])
{
    if (rte_pktmbuf_alloc_bulk(pool, m, n_segs)) {
        ovs_fatal(0, "mempool exhausted");
    }
    for (size_t i = 0; i < n_segs; i++) {
        struct dp_packet *p = CONTAINER_OF(m[i], struct dp_packet, mbuf);

        memcpy(rte_pktmbuf_append(m[i], FRAME_LEN), frames[i], FRAME_LEN);
        p->packet_type = htonl(PT_ETH);
        dp_packet_reset_offsets(p);
        dp_packet_reset_cutlen(p);
        m[i]->packet_type = (RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4
                             | RTE_PTYPE_L4_TCP);
        m[i]->l2_len = ETH_HEADER_LEN;
        m[i]->l3_len = IP_HEADER_LEN;
        m[i]->l4_len = TCP_HEADER_LEN;
    }
}

static void
run_copy_in(size_t n)
{
    struct rte_mbuf *m[MAX_SEGS];

    for (size_t i = 0; i < n; i++) {
        copy_in(m);
        rte_pktmbuf_free_bulk(m, n_segs);
    }
}

static void
run_ours(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct dp_packet_batch batch;
        struct rte_mbuf *m[MAX_SEGS];

        copy_in(m);
        dp_packet_batch_init(&batch);
        for (size_t j = 0; j < n_segs; j++) {
            dp_packet_batch_add(&batch,
                                CONTAINER_OF(m[j], struct dp_packet, mbuf));
        }
        gre_offload_gro(&batch);
        if (dp_packet_batch_size(&batch) != 1) {
            ovs_fatal(0, "ovs-gre's GRO made %"PRIuSIZE" packets",
                      dp_packet_batch_size(&batch));
        }
        if (!ours_first) {
            ours_first = dp_packet_clone(batch.packets[0]);
        }
        dp_packet_delete_batch(&batch, true);
    }
}

/* rte_gro: merges the batch 'n' times, checking each segment's checksums
 * first if 'verify'. */
static void
run_rte_gro__(size_t n, bool verify)
{
    const struct rte_gro_param param = {
        .gro_types = RTE_GRO_TCP_IPV4,
        .max_flow_num = 4,
        .max_item_per_flow = MAX_SEGS,
    };

    for (size_t i = 0; i < n; i++) {
        struct rte_mbuf *m[MAX_SEGS];
        uint16_t n_out;

        copy_in(m);
        if (verify) {
            for (size_t j = 0; j < n_segs; j++) {
                const struct rte_ipv4_hdr *ip;

                ip = rte_pktmbuf_mtod_offset(m[j], struct rte_ipv4_hdr *,
                                             ETH_HEADER_LEN);
                /* Over a right checksum, each sum comes to all ones,
                 * whose complement both functions return: 0. */
                if (rte_ipv4_cksum(ip) || rte_ipv4_udptcp_cksum(ip, ip + 1)) {
                    ovs_fatal(0, "segment %"PRIuSIZE": bad checksum", j);
                }
            }
        }
        n_out = rte_gro_reassemble_burst(m, n_segs, &param);
        if (!rte_first) {
            n_rte_out = n_out;
            rte_first = gre_bench_mbuf_copy(m[0]);
        }
        rte_pktmbuf_free_bulk(m, n_out);
    }
}

static void
run_rte_gro(size_t n)
{
    run_rte_gro__(n, false);
}

static void
run_rte_gro_verify(size_t n)
{
    run_rte_gro__(n, true);
}

/* Checks that ovs-gre's packet carries the whole payload and, if rte_gro
 * made one packet too, that both hold the same bytes but for the IPv4 and
 * TCP checksums.  (DPDK 24.11's rte_gro chains at most 20 segments into
 * one packet: it makes two of a longer batch.) */
static void
check_same(void)
{
    const size_t ip_csum = ETH_HEADER_LEN + 10;
    const size_t tcp_csum = ETH_HEADER_LEN + IP_HEADER_LEN + 16;
    uint8_t *ours = dp_packet_data(ours_first);
    size_t len = dp_packet_size(ours_first);
    uint8_t *theirs;

    if (len != ETH_HEADER_LEN + IP_HEADER_LEN + TCP_HEADER_LEN
               + n_segs * PAYLOAD) {
        ovs_fatal(0, "ovs-gre's packet is %"PRIuSIZE" bytes", len);
    }
    if (n_rte_out != 1) {
        return;
    }
    if (dp_packet_size(rte_first) != len) {
        ovs_fatal(0, "rte_gro's packet is %"PRIu32" bytes, ovs-gre's "
                  "%"PRIuSIZE, dp_packet_size(rte_first), len);
    }
    theirs = dp_packet_data(rte_first);
    memcpy(theirs + ip_csum, ours + ip_csum, 2);
    memcpy(theirs + tcp_csum, ours + tcp_csum, 2);
    if (memcmp(theirs, ours, len)) {
        ovs_fatal(0, "rte_gro's packet differs from ovs-gre's");
    }
}

int
main(int argc, char *argv[])
{
    size_t iterations = argc > 2 ? atoi(argv[2]) : 20000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    struct gre_bench_method methods[] = {
        { .name = "copy in", .run = run_copy_in },
        { .name = "ours", .run = run_ours },
        { .name = "rte_gro", .run = run_rte_gro },
        { .name = "rte_gro+verify", .run = run_rte_gro_verify },
    };
    double base, ours;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    n_segs = argc > 1 ? atoi(argv[1]) : MAX_SEGS;
    if (n_segs < 2 || n_segs > MAX_SEGS || !iterations
        || runs < 1 || runs > GRE_BENCH_MAX_RUNS) {
        ovs_fatal(0, "usage: %s [SEGMENTS (2-%d) [ITERATIONS [RUNS (1-%d)]]]",
                  argv[0], MAX_SEGS, GRE_BENCH_MAX_RUNS);
    }
    gre_bench_dpdk_init(argv[0]);
    pool = gre_bench_ovs_pool("bench-gro", 4096);
    for (size_t i = 0; i < n_segs; i++) {
        make_frame(i);
    }

    run_ours(1);
    run_rte_gro(1);
    check_same();

    gre_bench_run(methods, ARRAY_SIZE(methods), iterations, runs);

    printf("%"PRIuSIZE" segments of %d bytes of payload, %"PRIuSIZE
           " batches per run, %d runs; rte_gro makes %"PRIu16" packet%s of "
           "them\n", n_segs, PAYLOAD, iterations, runs, n_rte_out,
           n_rte_out == 1 ? "" : "s");
    printf("%-15s %9s %17s %9s %8s %6s\n", "method", "ns/batch", "range",
           "less copy", "ns/seg", "speed");
    base = methods[0].median;
    ours = methods[1].median - base;
    for (size_t m = 0; m < ARRAY_SIZE(methods); m++) {
        const double *ns = methods[m].ns;
        double net = methods[m].median - base;

        printf("%-15s %9.0f %8.0f-%-8.0f %9.0f %8.1f", methods[m].name,
               methods[m].median, ns[0], ns[runs - 1], net, net / n_segs);
        if (m) {
            printf(" %5.2fx", ours / net);
        }
        putchar('\n');
    }
    dp_packet_delete(ours_first);
    dp_packet_delete(rte_first);
    return 0;
}
