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

#ifndef GRE_BENCH_DPDK_H
#define GRE_BENCH_DPDK_H 1

/* What the benchmark programs built with DPDK share (tests/bench-gso.c,
 * tests/bench-gro.c): DPDK started without hugepages, mempools whose
 * mbufs are dp_packets, as Open vSwitch's netdev-dpdk makes them, and the
 * timing of the methods they compare.  They exit with a message on any
 * error. */

#include <stddef.h>

struct dp_packet;
struct rte_mbuf;
struct rte_mempool;

void gre_bench_dpdk_init(const char *argv0);
struct rte_mempool *gre_bench_ovs_pool(const char *name, unsigned int n);
struct dp_packet *gre_bench_mbuf_copy(const struct rte_mbuf *);

#define GRE_BENCH_MAX_RUNS 15

/* One way of doing what a benchmark measures. */
struct gre_bench_method {
    const char *name;
    void (*run)(size_t n);      /* Does it 'n' times. */

    /* Filled by gre_bench_run(). */
    double ns[GRE_BENCH_MAX_RUNS]; /* Nanoseconds per time, one per run,
                                    * in increasing order. */
    double median;
};

void gre_bench_run(struct gre_bench_method[], size_t n_methods,
                   size_t iterations, int runs);

#endif /* gre-bench-dpdk.h */
