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

/* bench-gso: ovs-gre's software GSO against DPDK's rte_gso on one
 * GRE-tunnelled TSO packet (builds with DPDK only).
 *
 *   bench-gso [PAYLOAD [ITERATIONS [RUNS]]]
 *
 * Makes an inner TCP/IPv4 TSO packet of PAYLOAD bytes (default 60000),
 * pushes it through a gre port with key 1 (outer IPv4, no checksum or
 * sequence numbers: the one case rte_gso handles), and then cuts the
 * tunnelled packet into segments for a 1500-byte underlay MTU ITERATIONS
 * times (default 2000) with each of:
 *
 *   ours copy     gre_offload_send(), the output path of ovs-vswitchd,
 *                 for a packet in malloc'd memory: copies every segment's
 *                 payload into a new buffer, computing the inner TCP
 *                 checksum on the way, and writes every header (outer and
 *                 inner IPv4 length, id and checksum, TCP sequence number
 *                 and flags).
 *   ours copy+mbuf  the same, and then each segment copied into an mbuf,
 *                 as OVS's netdev-dpdk copies a packet that is not in DPDK
 *                 memory before a DPDK port sends it.
 *   ours mbuf     gre_offload_send() for the same packet in an mbuf, as a
 *                 vhost-user port receives one (an mbuf of an Open
 *                 vSwitch mempool with an external buffer), to a port
 *                 that takes mbuf chains: a header mbuf per segment and
 *                 an indirect mbuf for its payload, which stays where it
 *                 is and is read once for the checksum; headers as above.
 *   rte_gso       rte_gso_segment() on an mbuf holding the same packet:
 *                 a header mbuf per segment and an indirect mbuf for its
 *                 payload, which stays where it is; no checksums (a port
 *                 with IPv4, outer IPv4 and TCP checksum offload computes
 *                 them).
 *   rte_gso+csum  rte_gso_segment(), then each segment's outer and inner
 *                 IPv4 header checksums and TCP checksum in software, as
 *                 ovs-gre writes them, for a port without those offloads.
 *
 * Each is run RUNS times (default 5); prints, per method, the median and
 * range of the nanoseconds per tunnelled TSO packet, the median per
 * segment, and its speed against ovs-gre's (ovs-gre's time over its
 * time: above 1 is faster).
 * All produce the same segments (checked once: same count, same bytes
 * but for the checksums rte_gso leaves). */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "csum.h"
#include "dp-packet.h"
#include "dummy.h"
#include "gre-bench-dpdk.h"
#include "gre-gso-mbuf.h"
#include "gre-offload.h"
#include "gre-options.h"
#include "gre-test-push.h"
#include "netdev-provider.h"
#include "netdev.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

/* The GRE header of the benchmark's tunnel: flags and protocol, and the
 * key. */
#define GRE_HLEN 8

/* The tunnelled TSO packet, as ovs-gre's push leaves it. */
static struct dp_packet *tunnelled;
static size_t n_segments;

/* The same packet in an mbuf, and rte_gso's context. */
static struct rte_mbuf *tso_mbuf;
static uint64_t tso_ol_flags;
static struct rte_gso_ctx gso_ctx;

/* The same packet as a dp_packet in an mbuf with an external buffer, and
 * the Open vSwitch-like mempool its mbufs come from. */
static struct rte_mbuf *ext_mbuf;
static struct rte_mempool *ovs_pool;

/* The segments ovs-gre made of the packet once, to compare: by copying,
 * and keeping the payload in the mbuf. */
#define MAX_SEGS 64
static struct dp_packet *first_ours[MAX_SEGS];
static size_t n_first_ours;
static struct dp_packet *first_mbuf[MAX_SEGS];
static size_t n_first_mbuf;

/* Builds an Ethernet + IPv4 + TCP (ACK, 20-byte header) packet carrying
 * 'payload' bytes, flagged for segmentation with its TCP checksum partial,
 * as a tap hands one to OVS. */
static struct dp_packet *
make_inner(size_t payload)
{
    size_t l4 = ETH_HEADER_LEN + IP_HEADER_LEN;
    struct dp_packet *p = dp_packet_new(l4 + TCP_HEADER_LEN + payload);
    struct tcp_header *tcp;
    struct ip_header *ip;
    struct eth_header *eth;
    uint8_t *data;

    eth = dp_packet_put_zeros(p, sizeof *eth);
    eth->eth_dst = (struct eth_addr) ETH_ADDR_C(f8,bc,12,44,34,b7);
    eth->eth_src = (struct eth_addr) ETH_ADDR_C(aa,55,aa,55,00,01);
    eth->eth_type = htons(ETH_TYPE_IP);

    ip = dp_packet_put_zeros(p, sizeof *ip);
    ip->ip_ihl_ver = IP_IHL_VER(5, IP_VERSION);
    ip->ip_tot_len = htons(IP_HEADER_LEN + TCP_HEADER_LEN + payload);
    ip->ip_ttl = 64;
    ip->ip_proto = IPPROTO_TCP;
    put_16aligned_be32(&ip->ip_src, htonl(0xc6336401));
    put_16aligned_be32(&ip->ip_dst, htonl(0xc6336402));
    ip->ip_csum = csum(ip, sizeof *ip);

    tcp = dp_packet_put_zeros(p, sizeof *tcp);
    tcp->tcp_src = htons(40000);
    tcp->tcp_dst = htons(5201);
    put_16aligned_be32(&tcp->tcp_seq, htonl(1000));
    put_16aligned_be32(&tcp->tcp_ack, htonl(2000));
    tcp->tcp_ctl = TCP_CTL(TCP_ACK, 5);
    tcp->tcp_winsz = htons(512);

    data = dp_packet_put_uninit(p, payload);
    for (size_t i = 0; i < payload; i++) {
        data[i] = i;
    }
    tcp->tcp_csum = ~csum_finish(packet_csum_pseudoheader(ip));

    p->l3_ofs = ETH_HEADER_LEN;
    p->l4_ofs = l4;
    dp_packet_hwol_set_tcp_seg(p);
    dp_packet_hwol_set_csum_tcp(p);
    dp_packet_hwol_set_tx_ipv4(p);
    return p;
}

/* Pushes 'inner' through a gre port with key 1 from 192.0.2.1 to
 * 192.0.2.2 and returns the tunnelled packet. */
static struct dp_packet *
push(struct dp_packet *inner)
{
    char *args[] = { "remote_ip=192.0.2.2", "key=1" };
    const struct gre_type *type;
    struct dp_packet_batch batch;
    struct gre_options opts;

    gre_test_make_port("gre", ARRAY_SIZE(args), args, &type, &opts);
    dp_packet_batch_init_packet(&batch, inner);
    gre_test_push(type, &opts, &batch);
    if (dp_packet_batch_size(&batch) != 1
        || !dp_packet_hwol_is_tso(batch.packets[0])) {
        ovs_fatal(0, "the push did not leave one TSO packet");
    }
    return batch.packets[0];
}

/* A netdev_send() that counts and deletes what it is given, keeping a
 * copy of what it is given in 'keep' (of '*n_keep' packets so far), if
 * nonnull.  A packet in DPDK memory may be a chain of mbufs. */
static struct dp_packet **keep;
static size_t *n_keep;
static size_t n_sent;

static int
count_send(struct netdev *netdev OVS_UNUSED, int qid OVS_UNUSED,
           struct dp_packet_batch *batch, bool concurrent OVS_UNUSED)
{
    struct dp_packet *p;

    n_sent += dp_packet_batch_size(batch);
    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        struct dp_packet *copy;

        if (!keep) {
            break;
        }
        if (*n_keep >= MAX_SEGS) {
            ovs_fatal(0, "more than %d segments", MAX_SEGS);
        }
        copy = (p->source == DPBUF_DPDK
                ? gre_bench_mbuf_copy(&p->mbuf)
                : dp_packet_clone(p));
        copy->l4_ofs = p->l4_ofs;
        keep[(*n_keep)++] = copy;
    }
    dp_packet_delete_batch(batch, true);
    return 0;
}

static struct netdev *out_netdev;

/* A netdev_send() that does what OVS's netdev-dpdk does with packets that
 * are not in DPDK memory before it hands them to the PMD: copies each
 * into an mbuf of 'ovs_pool' (dpdk_copy_batch_to_mbuf() in OVS's
 * lib/netdev-dpdk.c), then frees it as a PMD would once sent. */
static int
mbuf_copy_send(struct netdev *netdev OVS_UNUSED, int qid OVS_UNUSED,
               struct dp_packet_batch *batch, bool concurrent OVS_UNUSED)
{
    struct dp_packet *p;

    n_sent += dp_packet_batch_size(batch);
    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        struct rte_mbuf *m = rte_pktmbuf_alloc(ovs_pool);
        uint32_t len = dp_packet_size(p);
        char *d = m ? rte_pktmbuf_append(m, len) : NULL;

        if (!d) {
            ovs_fatal(0, "no mbuf for a %"PRIu32"-byte segment", len);
        }
        memcpy(d, dp_packet_data(p), len);
        rte_pktmbuf_free(m);
    }
    dp_packet_delete_batch(batch, true);
    return 0;
}

/* ovs-gre: segments a copy-free view of 'tunnelled' 'n' times and sends
 * the segments through 'send'.  The view is a dp_packet whose data is
 * 'tunnelled''s (the segmentation reads it and deletes only the
 * struct). */
static void
run_ours__(size_t n, int (*send)(struct netdev *, int,
                                 struct dp_packet_batch *, bool))
{
    for (size_t i = 0; i < n; i++) {
        struct dp_packet *view = xmalloc(sizeof *view);
        struct dp_packet_batch batch;

        *view = *tunnelled;
        dp_packet_use_stub(view, dp_packet_base(tunnelled),
                           dp_packet_get_allocated(tunnelled));
        dp_packet_set_data(view, dp_packet_data(tunnelled));
        dp_packet_set_size(view, dp_packet_size(tunnelled));
        view->l3_ofs = tunnelled->l3_ofs;
        view->l4_ofs = tunnelled->l4_ofs;
        *dp_packet_ol_flags_ptr(view) = *dp_packet_ol_flags_ptr(tunnelled);
        dp_packet_batch_init_packet(&batch, view);
        gre_offload_send(out_netdev, 0, &batch, false, send);
    }
}

static void
run_ours(size_t n)
{
    run_ours__(n, count_send);
}

static void
run_ours_to_mbuf(size_t n)
{
    run_ours__(n, mbuf_copy_send);
}

/* ovs-gre, the payload kept in place: segments 'n' times a dp_packet
 * attached to 'ext_mbuf''s buffer, as a vhost-user port receives a TSO
 * packet.  The segmentation deletes each; the buffer outlives them. */
static void
run_ours_mbuf(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct rte_mbuf *m = rte_pktmbuf_alloc(ovs_pool);
        struct dp_packet_batch batch;
        struct dp_packet *p;

        if (!m) {
            ovs_fatal(0, "mempool exhausted");
        }
        rte_pktmbuf_attach(m, ext_mbuf);
        p = CONTAINER_OF(m, struct dp_packet, mbuf);
        p->packet_type = htonl(PT_ETH);
        dp_packet_reset_offsets(p);
        dp_packet_reset_cutlen(p);
        *dp_packet_ol_flags_ptr(p) |= *dp_packet_ol_flags_ptr(tunnelled);
        dp_packet_batch_init_packet(&batch, p);
        gre_offload_send(out_netdev, 0, &batch, false, count_send);
    }
}

/* Does nothing: 'ext_mbuf''s buffer lives until the program exits. */
static void
ext_free(void *addr OVS_UNUSED, void *aux OVS_UNUSED)
{
}

/* Copies 'tunnelled' into 'ext_mbuf', an mbuf of 'ovs_pool' (an Open
 * vSwitch-like mempool, of 2 kB buffers) with an external buffer for the
 * whole packet, as a vhost-user port receives a TSO packet. */
static void
make_ext_mbuf(void)
{
    size_t len = dp_packet_size(tunnelled);
    struct rte_mbuf_ext_shared_info *shinfo;
    uint16_t buf_len;
    void *buf;

    ovs_pool = gre_bench_ovs_pool("bench-ovs", 8192);

    buf_len = RTE_PKTMBUF_HEADROOM + len + sizeof *shinfo + 8;
    buf = xmalloc_cacheline(buf_len);
    shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &buf_len, ext_free,
                                                NULL);
    ext_mbuf = rte_pktmbuf_alloc(ovs_pool);
    if (!shinfo || !ext_mbuf) {
        ovs_fatal(0, "cannot make an mbuf with an external buffer");
    }
    rte_pktmbuf_attach_extbuf(ext_mbuf, buf, 0, buf_len, shinfo);
    rte_pktmbuf_reset_headroom(ext_mbuf);
    memcpy(rte_pktmbuf_append(ext_mbuf, len), dp_packet_data(tunnelled),
           len);
}

/* rte_gso: segments 'tso_mbuf' 'n' times, computing each segment's TCP
 * checksum in software if 'csum'. */
static void
run_rte_gso__(size_t n, bool csum)
{
    struct rte_mbuf *segs[64];

    for (size_t i = 0; i < n; i++) {
        int n_segs;

        tso_mbuf->ol_flags = tso_ol_flags;
        n_segs = rte_gso_segment(tso_mbuf, &gso_ctx, segs, ARRAY_SIZE(segs));
        if (n_segs <= 0) {
            ovs_fatal(0, "rte_gso_segment() returned %d", n_segs);
        }
        if (csum) {
            for (int j = 0; j < n_segs; j++) {
                struct rte_mbuf *m = segs[j];
                uint16_t l3 = m->outer_l2_len + m->outer_l3_len + m->l2_len;
                struct rte_ipv4_hdr *outer, *ip;
                struct rte_tcp_hdr *tcp;
                uint16_t raw = 0;
                uint32_t sum;

                outer = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
                                                m->outer_l2_len);
                outer->hdr_checksum = 0;
                outer->hdr_checksum = rte_ipv4_cksum(outer);
                ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3);
                ip->hdr_checksum = 0;
                ip->hdr_checksum = rte_ipv4_cksum(ip);
                tcp = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *,
                                              l3 + m->l3_len);
                tcp->cksum = 0;
                rte_raw_cksum_mbuf(m, l3 + m->l3_len,
                                   rte_pktmbuf_pkt_len(m) - l3 - m->l3_len,
                                   &raw);
                sum = rte_ipv4_phdr_cksum(ip, 0) + raw;
                sum = (sum & 0xffff) + (sum >> 16);
                tcp->cksum = ~((sum & 0xffff) + (sum >> 16));
            }
        }
        n_sent += n_segs;
        rte_pktmbuf_free_bulk(segs, n_segs);
    }
}

static void
run_rte_gso(size_t n)
{
    run_rte_gso__(n, false);
}

static void
run_rte_gso_csum(size_t n)
{
    run_rte_gso__(n, true);
}

/* Copies 'tunnelled' into an mbuf and describes it to rte_gso. */
static void
make_mbuf(void)
{
    struct rte_mempool *big, *small;
    size_t len = dp_packet_size(tunnelled);

    big = rte_pktmbuf_pool_create("bench-big", 8, 0, 0,
                                  RTE_PKTMBUF_HEADROOM + len, SOCKET_ID_ANY);
    small = rte_pktmbuf_pool_create("bench-small", 4096, 256, 0,
                                    RTE_MBUF_DEFAULT_BUF_SIZE,
                                    SOCKET_ID_ANY);
    if (!big || !small) {
        ovs_fatal(0, "cannot create mbuf pools");
    }
    tso_mbuf = rte_pktmbuf_alloc(big);
    memcpy(rte_pktmbuf_append(tso_mbuf, len), dp_packet_data(tunnelled),
           len);

    /* The outer Ethernet and IPv4 headers, then the GRE header with the
     * inner Ethernet header as rte_gso's "l2", the inner IPv4 and TCP
     * headers. */
    tso_mbuf->outer_l2_len = ETH_HEADER_LEN;
    tso_mbuf->outer_l3_len = IP_HEADER_LEN;
    tso_mbuf->l2_len = GRE_HLEN + ETH_HEADER_LEN;
    tso_mbuf->l3_len = IP_HEADER_LEN;
    tso_mbuf->l4_len = TCP_HEADER_LEN;
    tso_ol_flags = (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4
                    | RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_TUNNEL_GRE);

    gso_ctx.direct_pool = small;
    gso_ctx.indirect_pool = small;
    gso_ctx.gso_types = (RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO
                         | RTE_ETH_TX_OFFLOAD_TCP_TSO);
    gso_ctx.flag = 0;
}

/* Copies into 'dst' the 2 bytes at 'ofs' of 'src'. */
static void
copy_field(uint8_t *dst, const uint8_t *src, size_t ofs)
{
    memcpy(dst + ofs, src + ofs, 2);
}

/* Checks that ovs-gre makes the same segments with the payload kept in
 * its mbuf as by copying, that rte_gso makes them too (kept in
 * 'first_ours'), but for the checksums it leaves, and sets the segment
 * size rte_gso is asked for from them. */
static void
check_same(void)
{
    struct rte_mbuf *segs[64];
    int n_segs;

    if (n_first_mbuf != n_first_ours) {
        ovs_fatal(0, "%"PRIuSIZE" segments in mbufs, %"PRIuSIZE" copied",
                  n_first_mbuf, n_first_ours);
    }
    for (size_t i = 0; i < n_first_ours; i++) {
        if (!dp_packet_equal(first_mbuf[i], first_ours[i])) {
            ovs_fatal(0, "segment %"PRIuSIZE" in mbufs differs", i);
        }
    }

    gso_ctx.gso_size = dp_packet_size(first_ours[0]);
    tso_mbuf->ol_flags = tso_ol_flags;
    n_segs = rte_gso_segment(tso_mbuf, &gso_ctx, segs, ARRAY_SIZE(segs));
    if (n_segs != (int) n_first_ours) {
        ovs_fatal(0, "rte_gso made %d segments, ovs-gre %"PRIuSIZE,
                  n_segs, n_first_ours);
    }
    for (int i = 0; i < n_segs; i++) {
        const struct dp_packet *p = first_ours[i];
        const uint8_t *ours = dp_packet_data(p);
        size_t inner_l3 = p->l4_ofs + GRE_HLEN + ETH_HEADER_LEN;
        size_t len = dp_packet_size(p);
        struct dp_packet *copy = gre_bench_mbuf_copy(segs[i]);
        uint8_t *theirs = dp_packet_data(copy);

        if (dp_packet_size(copy) != len) {
            ovs_fatal(0, "segment %d: %"PRIu32" bytes, ovs-gre's %"PRIuSIZE,
                      i, dp_packet_size(copy), len);
        }
        copy_field(theirs, ours, ETH_HEADER_LEN + 10);
        copy_field(theirs, ours, inner_l3 + 10);
        copy_field(theirs, ours, inner_l3 + IP_HEADER_LEN + 16);
        if (memcmp(theirs, ours, len)) {
            ovs_fatal(0, "segment %d differs", i);
        }
        dp_packet_delete(copy);
    }
    rte_pktmbuf_free_bulk(segs, n_segs);
    n_segments = n_segs;
}

int
main(int argc, char *argv[])
{
    size_t payload = argc > 1 ? atoi(argv[1]) : 60000;
    size_t iterations = argc > 2 ? atoi(argv[2]) : 2000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    struct gre_bench_method methods[] = {
        { .name = "ours copy", .run = run_ours },
        { .name = "ours copy+mbuf", .run = run_ours_to_mbuf },
        { .name = "ours mbuf", .run = run_ours_mbuf },
        { .name = "rte_gso", .run = run_rte_gso },
        { .name = "rte_gso+csum", .run = run_rte_gso_csum },
    };

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    if (payload < 2000 || payload > 64000 || !iterations
        || runs < 1 || runs > GRE_BENCH_MAX_RUNS) {
        ovs_fatal(0, "usage: %s [PAYLOAD (2000-64000) [ITERATIONS "
                  "[RUNS (1-%d)]]]", argv[0], GRE_BENCH_MAX_RUNS);
    }
    gre_bench_dpdk_init(argv[0]);

    /* No routes: the tunnel's segments are cut for a 1500-byte path. */
    gre_test_no_routes();
    netdev_dummy_register(DUMMY_OVERRIDE_NONE);
    if (netdev_open("out0", "dummy", &out_netdev)) {
        ovs_fatal(0, "cannot open a dummy port");
    }

    /* The dummy port stands for a DPDK port: it takes mbuf chains. */
    gre_gso_mbuf_port_class(out_netdev->netdev_class);

    tunnelled = push(make_inner(payload));
    make_mbuf();
    make_ext_mbuf();
    keep = first_ours;
    n_keep = &n_first_ours;
    run_ours(1);
    keep = first_mbuf;
    n_keep = &n_first_mbuf;
    run_ours_mbuf(1);
    keep = NULL;
    check_same();

    gre_bench_run(methods, ARRAY_SIZE(methods), iterations, runs);

    printf("%"PRIuSIZE"-byte payload, %"PRIuSIZE" segments of at most %"
           PRIu16" bytes, %"PRIuSIZE" packets per run, %d runs\n",
           payload, n_segments, gso_ctx.gso_size, iterations, runs);
    printf("%-14s %9s %17s %8s %6s\n", "method", "ns/packet", "range",
           "ns/seg", "speed");
    for (size_t m = 0; m < ARRAY_SIZE(methods); m++) {
        const double *ns = methods[m].ns;
        double med = methods[m].median;

        printf("%-14s %9.0f %8.0f-%-8.0f %8.1f %5.2fx\n", methods[m].name,
               med, ns[0], ns[runs - 1], med / n_segments,
               methods[0].median / med);
    }
    for (size_t i = 0; i < n_first_ours; i++) {
        dp_packet_delete(first_ours[i]);
        dp_packet_delete(first_mbuf[i]);
    }
    return 0;
}
