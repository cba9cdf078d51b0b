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

#include <config.h>

#include "gre-bench-dpdk.h"

#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "dp-packet.h"
#include "timeval.h"
#include "util.h"

/* Starts DPDK on one core, without hugepages, PCI or shared files, so that
 * a benchmark needs neither root nor a reserve of hugepages. */
void
gre_bench_dpdk_init(const char *argv0)
{
    char *eal_argv[] = {
        CONST_CAST(char *, argv0), "--no-huge", "-m", "512",
        "--no-pci", "--no-shconf", "-l", "0", "--log-level=*:error", NULL
    };

    if (rte_eal_init(ARRAY_SIZE(eal_argv) - 1, eal_argv) < 0) {
        ovs_fatal(0, "cannot initialize DPDK");
    }
}

/* rte_mempool_obj_cb_t: makes mbuf 'obj' a dp_packet in DPDK memory, as
 * netdev-dpdk does for each mbuf of its mempools. */
static void
init_dp_packet(struct rte_mempool *mp OVS_UNUSED, void *aux OVS_UNUSED,
               void *obj, unsigned int idx OVS_UNUSED)
{
    dp_packet_init_dpdk(obj);
}

/* Returns a new mempool 'name' of 'n' mbufs of 2 kB buffers, each a
 * dp_packet, as netdev-dpdk's are for a 1500-byte MTU. */
struct rte_mempool *
gre_bench_ovs_pool(const char *name, unsigned int n)
{
    struct rte_mempool *mp;

    mp = rte_pktmbuf_pool_create(
        name, n, 256,
        ROUND_UP(sizeof(struct dp_packet) - sizeof(struct rte_mbuf),
                 RTE_MBUF_PRIV_ALIGN),
        RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
    if (!mp) {
        ovs_fatal(0, "cannot create mempool %s", name);
    }
    rte_mempool_obj_iter(mp, init_dp_packet, NULL);
    return mp;
}

/* Returns a new malloc'd packet holding the bytes of the packet that
 * starts with mbuf 'm', a chain of mbufs or one. */
struct dp_packet *
gre_bench_mbuf_copy(const struct rte_mbuf *m)
{
    uint32_t len = rte_pktmbuf_pkt_len(m);
    struct dp_packet *copy = dp_packet_new(len);
    void *data = dp_packet_put_uninit(copy, len);
    const void *bytes = rte_pktmbuf_read(m, 0, len, data);

    if (bytes != data) {
        /* One mbuf: rte_pktmbuf_read() points into it. */
        memcpy(data, bytes, len);
    }
    return copy;
}

static int
compare_doubles(const void *a_, const void *b_)
{
    const double *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Runs each of the 'n_methods' 'methods' 'iterations' times per run,
 * 'runs' times (at most GRE_BENCH_MAX_RUNS), the methods taking turns,
 * and fills in their times: per iteration, each run's in increasing
 * order, and the median. */
void
gre_bench_run(struct gre_bench_method methods[], size_t n_methods,
              size_t iterations, int runs)
{
    ovs_assert(runs >= 1 && runs <= GRE_BENCH_MAX_RUNS && iterations);
    for (int r = 0; r < runs; r++) {
        for (size_t m = 0; m < n_methods; m++) {
            long long int start = time_usec();

            methods[m].run(iterations);
            methods[m].ns[r] = (time_usec() - start) * 1e3 / iterations;
        }
    }
    for (size_t m = 0; m < n_methods; m++) {
        double *ns = methods[m].ns;

        qsort(ns, runs, sizeof *ns, compare_doubles);
        methods[m].median = (runs % 2 ? ns[runs / 2]
                             : (ns[runs / 2 - 1] + ns[runs / 2]) / 2);
    }
}
