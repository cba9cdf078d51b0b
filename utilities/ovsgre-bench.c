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

/* ovsgre-bench: ovs-gre's push and pop against Open vSwitch 3.1's own, side
 * by side in one process.
 *
 * For each row (a port type and its options) and inner frame size, both
 * sides get the same batches of 32 packets through the datapath's entry
 * points: OVS's netdev_push_header() and netdev_pop_header() on a netdev of
 * OVS's built-in class (this program does not replace them), and ovs-gre's
 * gre_dp_push_batch() and gre_dp_pop_batch().  Before timing, the bytes
 * each side pushes and pops are compared.  Timed runs alternate between
 * the sides and are timed in the thread's CPU time; the median of the runs
 * is printed, in Mpps, with the ratio.
 * Both sides' figures include the same per-packet work to restore the
 * batch between iterations, so ratios understate the difference between
 * the push and pop code alone.
 *
 *   ovsgre-bench [--runs N] [--iterations N] [--row NAME]
 *   ovsgre-bench --callgrind --row NAME --size BYTES --dir push|pop
 *                --side ours|ovs [--iterations N]
 *
 * The second form runs one side a fixed number of iterations and nothing
 * else, for 'valgrind --tool=callgrind --toggle-collect=bench_run ...':
 * instructions per packet = Ir / (iterations * 32). */

#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csum.h"
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "gre-dp.h"
#include "gre-header.h"
#include "gre-options.h"
#include "gre-packet-ol.h"
#include "gre-port.h"
#include "gre-type.h"
#include "netdev.h"
#include "odp-netlink.h"
#include "openvswitch/flow.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "ovs-router.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

#define BATCH 32

struct row {
    const char *name;
    enum gre_type_index type;
    const char *options;        /* Space-separated key=value. */
    bool l3;                    /* Inner packets are IPv4, no Ethernet. */
};

static const struct row rows[] = {
    { "gre", GRE_TYPE_GRE, "remote_ip=192.0.2.2", false },
    { "gre key", GRE_TYPE_GRE, "remote_ip=192.0.2.2 key=42", false },
    { "gre key+csum", GRE_TYPE_GRE,
      "remote_ip=192.0.2.2 key=42 csum=true", false },
    { "gre key+seq", GRE_TYPE_GRE,
      "remote_ip=192.0.2.2 key=42 seq=true", false },
    { "gre legacy_l3", GRE_TYPE_GRE,
      "remote_ip=192.0.2.2 key=42 packet_type=legacy_l3", true },
    { "erspan v1", GRE_TYPE_ERSPAN,
      "remote_ip=192.0.2.2 key=42 erspan_ver=1 erspan_idx=3", false },
    { "erspan v2", GRE_TYPE_ERSPAN,
      "remote_ip=192.0.2.2 key=42 erspan_ver=2 erspan_hwid=7 erspan_dir=1",
      false },
    { "ip6gre", GRE_TYPE_IP6GRE, "remote_ip=2001:db8::2 key=42", false },
    { "ip6erspan v2", GRE_TYPE_IP6ERSPAN,
      "remote_ip=2001:db8::2 key=42 erspan_ver=2 erspan_hwid=7 erspan_dir=1",
      false },
};

static const int sizes[] = { 64, 512, 1500 };

enum side { OURS, OVS };
enum dir { PUSH, POP };

/* Everything one row needs on both sides. */
struct setup {
    const struct row *row;
    const struct gre_type *type;
    struct gre_port *port;              /* ovs-gre's side. */
    struct netdev *ovs_netdev;          /* OVS's built-in class. */
    struct ovs_action_push_tnl ovs_data;
    struct ovs_action_push_tnl our_data;
    int size;                           /* Inner frame, with Ethernet. */
    struct dp_packet *inner[BATCH];     /* Packets to push. */
    struct dp_packet *outer[BATCH];     /* Packets to pop. */
    uint8_t rx_header[512];             /* Saved outer header for pop. */
    size_t rx_hlen;
};

static void
parse_options(const char *s, struct smap *smap)
{
    char *copy = xstrdup(s), *save = NULL;

    for (char *kv = strtok_r(copy, " ", &save); kv;
         kv = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(kv, '=');

        *eq = '\0';
        smap_add(smap, kv, eq + 1);
    }
    free(copy);
}

/* Fills 'flow' with what xlate would have set for a packet sent through a
 * port configured as 'opts'. */
static void
tunnel_flow(const struct row *row, const struct gre_options *opts,
            struct flow *flow)
{
    memset(flow, 0, sizeof *flow);
    flow->packet_type = (row->l3 ? PACKET_TYPE_BE(OFPHTN_ETHERTYPE,
                                                  ETH_TYPE_IP)
                         : htonl(PT_ETH));
    if (IN6_IS_ADDR_V4MAPPED(&opts->remote_ip)) {
        flow->tunnel.ip_dst = in6_addr_get_mapped_ipv4(&opts->remote_ip);
    } else {
        flow->tunnel.ipv6_dst = opts->remote_ip;
    }
    flow->tunnel.tun_id = opts->out_key.value;
    flow->tunnel.ip_ttl = opts->ttl;
    flow->tunnel.flags = (FLOW_TNL_F_DONT_FRAGMENT
                          | (opts->out_key.present ? FLOW_TNL_F_KEY : 0)
                          | (opts->csum ? FLOW_TNL_F_CSUM : 0));
    flow->tunnel.erspan_ver = opts->erspan_ver.value;
    flow->tunnel.erspan_idx = opts->erspan_idx.value;
    flow->tunnel.erspan_dir = opts->erspan_dir.value;
    flow->tunnel.erspan_hwid = opts->erspan_hwid.value;
}

/* Returns a packet holding an inner frame of 'size' bytes (an Ethernet
 * frame with IPv4 and UDP, or just the IPv4 packet for L3 rows). */
static struct dp_packet *
make_inner(const struct row *row, int size)
{
    struct dp_packet *p = dp_packet_new_with_headroom(size, 256);
    uint8_t *b = dp_packet_put_zeros(p, size);
    struct eth_header *eth = ALIGNED_CAST(struct eth_header *, b);
    struct ip_header *ip;

    eth->eth_dst = (struct eth_addr) ETH_ADDR_C(50,54,00,00,00,02);
    eth->eth_src = (struct eth_addr) ETH_ADDR_C(50,54,00,00,00,01);
    eth->eth_type = htons(ETH_TYPE_IP);
    ip = ALIGNED_CAST(struct ip_header *, b + ETH_HEADER_LEN);
    ip->ip_ihl_ver = IP_IHL_VER(5, 4);
    ip->ip_tot_len = htons(size - ETH_HEADER_LEN);
    ip->ip_ttl = 64;
    ip->ip_proto = IPPROTO_UDP;
    put_16aligned_be32(&ip->ip_src, htonl(0xc6336401));
    put_16aligned_be32(&ip->ip_dst, htonl(0xc6336402));
    ip->ip_csum = csum(ip, IP_HEADER_LEN);
    if (row->l3) {
        dp_packet_pull(p, ETH_HEADER_LEN);
        p->packet_type = PACKET_TYPE_BE(OFPHTN_ETHERTYPE, ETH_TYPE_IP);
    }
    return p;
}

static void
build_batch(struct dp_packet_batch *batch, struct dp_packet **packets)
{
    dp_packet_batch_init(batch);
    for (int i = 0; i < BATCH; i++) {
        dp_packet_batch_add(batch, packets[i]);
    }
}

/* Puts the pushed packets in 'batch' back as they were before the push. */
static void
unpush(const struct setup *s, struct dp_packet_batch *batch, size_t hlen)
{
    struct dp_packet *p;

    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        dp_packet_reset_packet(p, hlen);
        if (s->row->l3) {
            p->packet_type = PACKET_TYPE_BE(OFPHTN_ETHERTYPE, ETH_TYPE_IP);
        }
    }
}

/* Puts the popped packets in 'batch' back as they were before the pop. */
static void
unpop(const struct setup *s, struct dp_packet_batch *batch)
{
    struct dp_packet *p;

    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        memcpy(dp_packet_push_uninit(p, s->rx_hlen), s->rx_header,
               s->rx_hlen);
        p->packet_type = htonl(PT_ETH);
        p->l3_ofs = ETH_HEADER_LEN;
        p->l4_ofs = (s->type->index == GRE_TYPE_IP6GRE
                     || s->type->index == GRE_TYPE_IP6ERSPAN
                     ? ETH_HEADER_LEN + IPV6_HEADER_LEN
                     : ETH_HEADER_LEN + IP_HEADER_LEN);
    }
}

/* OVS's side of the push: OVS's tnl_push, and what OVS's output does in
 * software for a port that offloads no checksum (gre-packet-ol.h): OVS
 * 3.5 writes the outer IPv4 checksum there, not at the push. */
static void
ovs_push(struct setup *s, struct dp_packet_batch *batch)
{
    struct dp_packet *p;

    netdev_push_header(s->ovs_netdev, batch, &s->ovs_data);
    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        gre_packet_ovs_push_finish(p);
    }
}

/* Returns true if the header templates of both sides in 's' are the same,
 * but for the outer IPv4 checksum, which OVS 3.5 leaves to the output. */
static bool
same_templates(const struct setup *s)
{
    uint8_t a[sizeof s->our_data.header], b[sizeof s->ovs_data.header];
    size_t len = s->our_data.header_len;

    if (len != s->ovs_data.header_len
        || s->our_data.tnl_type != s->ovs_data.tnl_type) {
        return false;
    }
    memcpy(a, s->our_data.header, len);
    memcpy(b, s->ovs_data.header, len);
    if (a[ETH_HEADER_LEN] >> 4 == 4) {
        size_t csum = ETH_HEADER_LEN + offsetof(struct ip_header, ip_csum);

        memset(a + csum, 0, 2);
        memset(b + csum, 0, 2);
    }
    return !memcmp(a, b, len);
}

/* The timed loop: 'iterations' batches through one side in one direction.
 * Not static, so that callgrind can collect it alone. */
void bench_run(struct setup *, enum side, enum dir, long iterations);

void __attribute__((__noinline__))
bench_run(struct setup *s, enum side side, enum dir dir, long iterations)
{
    struct dp_packet_batch batch;

    build_batch(&batch, dir == PUSH ? s->inner : s->outer);
    for (long it = 0; it < iterations; it++) {
        if (dir == PUSH) {
            if (side == OURS) {
                gre_dp_push_batch(s->type, "bench", &batch, &s->our_data);
                unpush(s, &batch, s->our_data.header_len);
            } else {
                ovs_push(s, &batch);
                unpush(s, &batch, s->ovs_data.header_len);
            }
        } else {
            if (side == OURS) {
                gre_dp_pop_batch(s->type, &batch);
            } else {
                netdev_pop_header(s->ovs_netdev, &batch);
            }
            if (dp_packet_batch_size(&batch) != BATCH) {
                ovs_fatal(0, "%s: the %s pop dropped packets", s->row->name,
                          side == OURS ? "ovs-gre" : "OVS");
            }
            unpop(s, &batch);
        }
    }
}

/* Returns the offset of the ERSPAN type III timestamp in a pushed packet
 * of 's', or 0 if it has none. */
static size_t
timestamp_offset(const struct setup *s)
{
    const struct gre_base_hdr *greh;
    size_t gre_ofs;

    if (s->type->kind != GRE_KIND_ERSPAN) {
        return 0;
    }
    gre_ofs = ETH_HEADER_LEN + (s->type->index == GRE_TYPE_IP6ERSPAN
                                ? IPV6_HEADER_LEN : IP_HEADER_LEN);
    greh = ALIGNED_CAST(const struct gre_base_hdr *,
                        (const uint8_t *) s->our_data.header + gre_ofs);
    return (greh->protocol == htons(ETH_TYPE_ERSPAN2)
            ? gre_ofs + 8 + 4 : 0);
}

/* Checks that both sides build the same header, push the same bytes and
 * pop the same packet with the same tunnel metadata. */
static void
compare_sides(struct setup *s)
{
    struct dp_packet *a = dp_packet_clone(s->inner[0]);
    struct dp_packet *b = dp_packet_clone(s->inner[0]);
    struct dp_packet_batch ba, bb;
    size_t ts = timestamp_offset(s);

    if (!same_templates(s)) {
        ovs_fatal(0, "%s: the header templates differ", s->row->name);
    }

    dp_packet_batch_init_packet(&ba, a);
    dp_packet_batch_init_packet(&bb, b);
    gre_dp_push_batch(s->type, "bench", &ba, &s->our_data);
    ovs_push(s, &bb);
    if (ts) {
        /* The ERSPAN type III timestamp is the time of the push. */
        memset((uint8_t *) dp_packet_data(a) + ts, 0, 4);
        memset((uint8_t *) dp_packet_data(b) + ts, 0, 4);
    }
    if (dp_packet_size(a) != dp_packet_size(b)
        || memcmp(dp_packet_data(a), dp_packet_data(b), dp_packet_size(a))) {
        ovs_fatal(0, "%s: the pushed packets differ", s->row->name);
    }
    dp_packet_delete(a);
    dp_packet_delete(b);

    a = dp_packet_clone(s->outer[0]);
    b = dp_packet_clone(s->outer[0]);
    a->l3_ofs = b->l3_ofs = s->outer[0]->l3_ofs;
    a->l4_ofs = b->l4_ofs = s->outer[0]->l4_ofs;
    dp_packet_batch_init_packet(&ba, a);
    dp_packet_batch_init_packet(&bb, b);
    gre_dp_pop_batch(s->type, &ba);
    netdev_pop_header(s->ovs_netdev, &bb);
    if (dp_packet_batch_size(&ba) != 1 || dp_packet_batch_size(&bb) != 1) {
        ovs_fatal(0, "%s: a side dropped the packet to pop", s->row->name);
    }
    if (dp_packet_size(a) != dp_packet_size(b)
        || memcmp(dp_packet_data(a), dp_packet_data(b), dp_packet_size(a))
        || a->md.tunnel.tun_id != b->md.tunnel.tun_id
        || a->md.tunnel.ip_src != b->md.tunnel.ip_src
        || !ipv6_addr_equals(&a->md.tunnel.ipv6_src,
                             &b->md.tunnel.ipv6_src)
        || a->md.tunnel.erspan_ver != b->md.tunnel.erspan_ver
        || a->packet_type != b->packet_type) {
        ovs_fatal(0, "%s: the popped packets differ", s->row->name);
    }
    dp_packet_delete(a);
    dp_packet_delete(b);
}

/* Swaps the outer addresses (and MACs) of the pushed packet 'p' so that it
 * reads as received from the remote endpoint. */
static void
reverse_outer(struct dp_packet *p, bool ipv6)
{
    uint8_t *h = dp_packet_data(p);
    uint8_t tmp[16];

    memcpy(tmp, h, 6);
    memmove(h, h + 6, 6);
    memcpy(h + 6, tmp, 6);
    if (ipv6) {
        uint8_t *src = h + ETH_HEADER_LEN + 8;

        memcpy(tmp, src, 16);
        memmove(src, src + 16, 16);
        memcpy(src + 16, tmp, 16);
    } else {
        uint8_t *src = h + ETH_HEADER_LEN + 12;

        /* The checksum covers the sum of both, which does not change. */
        memcpy(tmp, src, 4);
        memmove(src, src + 4, 4);
        memcpy(src + 4, tmp, 4);
    }
}

static void
setup_row(struct setup *s, const struct row *row, int size, int index)
{
    struct netdev_tnl_build_header_params params;
    struct smap args = SMAP_INITIALIZER(&args);
    struct gre_push_plan plan;
    const struct gre_type *type = &gre_types[row->type];
    struct gre_options opts;
    struct in6_addr local;
    struct gre_port *port;
    struct flow flow;
    char *error = NULL;
    char name[32];
    bool ipv6;

    memset(s, 0, sizeof *s);
    s->row = row;
    s->type = type;
    s->size = size;
    parse_options(row->options, &args);

    /* ovs-gre's side: a configured port in the table. */
    snprintf(name, sizeof name, "ours%d", index);
    if (gre_options_parse(type, name, &args, &opts, &error)) {
        ovs_fatal(0, "%s", error);
    }
    port = gre_port_create(name, type);
    gre_port_configure(port, &opts);
    s->port = port;

    /* OVS's side: a netdev of OVS's own class. */
    snprintf(name, sizeof name, "ovs%d", index);
    if (netdev_open(name, type->name, &s->ovs_netdev)
        || netdev_set_config(s->ovs_netdev, &args, NULL)) {
        ovs_fatal(0, "cannot open OVS's %s netdev", type->name);
    }
    smap_destroy(&args);

    ipv6 = !IN6_IS_ADDR_V4MAPPED(&opts.remote_ip);
    if (ipv6) {
        inet_pton(AF_INET6, "2001:db8::1", &local);
    } else {
        in6_addr_set_mapped_ipv4(&local, htonl(0xc0000201));
    }
    tunnel_flow(row, &opts, &flow);
    netdev_init_tnl_build_header_params(
        &params, &flow, &local,
        (struct eth_addr) ETH_ADDR_C(f8,bc,12,44,34,b6),
        (struct eth_addr) ETH_ADDR_C(aa,55,aa,55,00,00));
    if (gre_build_header(type->kind, &opts, &s->our_data, &params)
        || netdev_build_header(s->ovs_netdev, &s->ovs_data, &params)) {
        ovs_fatal(0, "%s: cannot build the header", row->name);
    }

    gre_push_plan_init(&plan, &s->our_data);
    for (int i = 0; i < BATCH; i++) {
        struct dp_packet *p;

        s->inner[i] = make_inner(row, size);
        p = make_inner(row, size);
        gre_push_header(p, &s->our_data, &plan, i, 0);
        reverse_outer(p, ipv6);
        s->outer[i] = p;
    }
    s->rx_hlen = s->our_data.header_len;
    memcpy(s->rx_header, dp_packet_data(s->outer[0]), s->rx_hlen);

    /* The pop needs to find the port: a remote-to-local packet of ours. */
    compare_sides(s);
}

/* Releases what setup_row() set up. */
static void
teardown_row(struct setup *s)
{
    gre_port_destroy(s->port);
    netdev_close(s->ovs_netdev);
    for (int i = 0; i < BATCH; i++) {
        dp_packet_delete(s->inner[i]);
        dp_packet_delete(s->outer[i]);
    }
    ovsrcu_quiesce();
}

/* Returns the CPU time this thread has used, in seconds.  CPU time rather
 * than wall-clock time, so that the time the thread spends preempted by
 * other work on a shared machine counts for neither side. */
static double
now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;

    return a < b ? -1 : a > b;
}

/* Returns the median Mpps of 'runs' timed runs of 'side'. */
static double
median_mpps(const double *mpps, int runs)
{
    double sorted[64];

    memcpy(sorted, mpps, runs * sizeof *mpps);
    qsort(sorted, runs, sizeof *sorted, compare_doubles);
    return sorted[runs / 2];
}

static void
usage(void)
{
    printf("usage: ovsgre-bench [--runs N] [--iterations N] [--row NAME]\n"
           "       ovsgre-bench --callgrind --row NAME --size BYTES "
           "--dir push|pop --side ours|ovs [--iterations N]\n");
    exit(EXIT_SUCCESS);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"runs", required_argument, NULL, 'r'},
        {"iterations", required_argument, NULL, 'i'},
        {"callgrind", no_argument, NULL, 'c'},
        {"row", required_argument, NULL, 'R'},
        {"size", required_argument, NULL, 's'},
        {"dir", required_argument, NULL, 'd'},
        {"side", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *row_name = NULL, *dir_name = "push", *side_name = "ours";
    long iterations = 20000;
    bool callgrind = false;
    int runs = 5, size = 64;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);

    /* What OVS's tunnel netdevs expect to exist: the datapath layer (its
     * tunnel configuration sequence) and the routing table, without the
     * host's routes: a route to a remote endpoint would give ovs-gre's
     * push an MTU to fragment for, which OVS's push ignores. */
    struct sset dp_types = SSET_INITIALIZER(&dp_types);
    ovs_router_disable_system_routing_table();
    dp_enumerate_types(&dp_types);
    sset_destroy(&dp_types);
    ovs_router_init();
    for (;;) {
        int c = getopt_long(argc, argv, "", long_options, NULL);

        if (c == -1) {
            break;
        }
        switch (c) {
        case 'r': runs = MIN(MAX(atoi(optarg), 1), 63); break;
        case 'i': iterations = MAX(atol(optarg), 1); break;
        case 'c': callgrind = true; break;
        case 'R': row_name = optarg; break;
        case 's': size = atoi(optarg); break;
        case 'd': dir_name = optarg; break;
        case 'S': side_name = optarg; break;
        case 'h': usage(); break;
        default: exit(EXIT_FAILURE);
        }
    }

    if (callgrind) {
        struct setup s;

        for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
            if (row_name && !strcmp(row_name, rows[i].name)) {
                setup_row(&s, &rows[i], size, i);
                bench_run(&s, !strcmp(side_name, "ovs") ? OVS : OURS,
                          !strcmp(dir_name, "pop") ? POP : PUSH, iterations);
                return 0;
            }
        }
        ovs_fatal(0, "--callgrind needs --row with one of the row names");
    }

    printf("%-14s %5s %4s  %9s %9s %6s\n", "row", "bytes", "dir",
           "OVS Mpps", "ours Mpps", "ratio");
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        if (row_name && strcmp(row_name, rows[i].name)) {
            continue;
        }
        for (size_t j = 0; j < ARRAY_SIZE(sizes); j++) {
            struct setup s;

            setup_row(&s, &rows[i], sizes[j], i * 10 + j);
            for (int dir = PUSH; dir <= POP; dir++) {
                double mpps[2][64];

                for (int r = 0; r < runs; r++) {
                    for (int side = OURS; side <= OVS; side++) {
                        double t0 = now_sec();

                        bench_run(&s, side, dir, iterations);
                        mpps[side][r] = (iterations * BATCH
                                         / (now_sec() - t0) / 1e6);
                    }
                    ovsrcu_quiesce();
                }
                double ours = median_mpps(mpps[OURS], runs);
                double ovs = median_mpps(mpps[OVS], runs);
                printf("%-14s %5d %4s  %9.2f %9.2f %5.2fx\n", rows[i].name,
                       sizes[j], dir == PUSH ? "push" : "pop", ovs, ours,
                       ours / ovs);
                fflush(stdout);
            }
            teardown_row(&s);
        }
    }
    return 0;
}
