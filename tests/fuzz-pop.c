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

/* libFuzzer target for ovs-gre's whole receive path.
 *
 * Each input is an Ethernet frame.  It goes through what the datapath does
 * before and during tnl_pop: flow extraction (which sets the header
 * offsets), then ovs-gre's batch pop for the shared port of every type,
 * with a port table that holds ports of every type and every receive check
 * (keys, flow-based endpoints, in_seq, in_csum, legacy_l3, ptap).  The
 * same frame is also parsed with the offsets flow extraction would not
 * have chosen, so that the parser is exercised on inputs the datapath
 * filters out.  Last, the batch pop's same-header path is checked against
 * the full path: a batch of the frame and a variant of it (one byte
 * changed, the tail cut, both taken from the input) must give the same
 * verdicts, bytes and tunnel metadata as the two popped in batches of
 * their own.  Built and run by 'make check-fuzz'. */

#include <config.h>

#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "gre-header.h"
#include "gre-dp.h"
#include "gre-ka.h"
#include "gre-options.h"
#include "gre-pmtud.h"
#include "gre-reasm.h"
#include "gre-port.h"
#include "gre-type.h"
#include "netdev.h"
#include "openvswitch/flow.h"
#include "ovs-router.h"
#include "seq.h"
#include "ovs-rcu.h"
#include "smap.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The ports with per-packet state (receive sequence numbers), and their
 * options, so that the state can be reset between runs. */
static struct gre_port *seq_ports[8];
static struct gre_options seq_opts[8];
static size_t n_seq_ports;

/* Adds a configured port NAME of TYPE with the options in ARGS
 * ("key=value" strings). */
static void
add_port(const char *name, enum gre_type_index type, const char *args[])
{
    struct smap smap = SMAP_INITIALIZER(&smap);
    struct gre_options opts;
    struct gre_port *port;
    char *error = NULL;

    for (size_t i = 0; args[i]; i++) {
        const char *eq = strchr(args[i], '=');

        smap_add_nocopy(&smap, xmemdup0(args[i], eq - args[i]),
                        xstrdup(eq + 1));
    }
    if (gre_options_parse(&gre_types[type], name, &smap, &opts, &error)) {
        ovs_fatal(0, "fuzz-pop: %s", error);
    }
    port = gre_port_create(name, &gre_types[type]);
    gre_port_configure(port, &opts);
    smap_destroy(&smap);
    if (opts.in_seq && n_seq_ports < ARRAY_SIZE(seq_ports)) {
        seq_ports[n_seq_ports] = port;
        seq_opts[n_seq_ports++] = opts;
    }
}

/* Forgets the receive sequence state of every port, the fragments held
 * for reassembly and the path MTUs learned. */
static void
reset_seq(void)
{
    gre_reasm_flush();
    gre_pmtud_forget();
    for (size_t i = 0; i < n_seq_ports; i++) {
        gre_port_configure(seq_ports[i], &seq_opts[i]);
    }
}

/* Returns a copy of the 'size' bytes at 'data', flow-extracted. */
static struct dp_packet *
make_frame(const uint8_t *data, size_t size)
{
    struct dp_packet *packet = dp_packet_clone_data(data, size);
    struct flow flow;

    flow_extract(packet, &flow);
    return packet;
}

/* Aborts unless 'a' and 'b', popped by different paths, are both NULL or
 * equal in bytes, packet type and tunnel metadata. */
static void
check_same(const struct dp_packet *a, const struct dp_packet *b)
{
    if (!a != !b) {
        ovs_abort(0, "fuzz-pop: the paths disagree on dropping a packet");
    }
    if (a && (dp_packet_size(a) != dp_packet_size(b)
              || memcmp(dp_packet_data(a), dp_packet_data(b),
                        dp_packet_size(a))
              || a->packet_type != b->packet_type
              || a->md.orig_in_port != b->md.orig_in_port
              || memcmp(&a->md.tunnel, &b->md.tunnel,
                        offsetof(struct flow_tnl, metadata.opts)))) {
        ovs_abort(0, "fuzz-pop: the paths pop a packet differently");
    }
}

/* Pops 'packet' alone in a batch of type 'type'; returns it or NULL. */
static struct dp_packet *
pop_alone(int type, struct dp_packet *packet)
{
    struct dp_packet_batch batch;

    dp_packet_batch_init_packet(&batch, packet);
    gre_dp_pop_batch(&gre_types[type], &batch);
    return dp_packet_batch_size(&batch) ? batch.packets[0] : NULL;
}

/* Checks that the frame 'data' followed by a variant of it pops the same in
 * one batch as in two. */
static void
check_same_header_path(const uint8_t *data, size_t size)
{
    uint8_t *variant;
    size_t cut, pos;

    if (size < 4) {
        return;
    }
    cut = data[size - 1] % 8;
    if (size < 4 + cut) {
        return;
    }
    variant = xmemdup(data, size);
    pos = (data[size - 2] | data[size - 3] << 8) % (size - cut);
    variant[pos] ^= data[size - 4];

    for (int i = 0; i < GRE_N_TYPES; i++) {
        struct dp_packet *ref[2], *out[2] = { NULL, NULL };
        struct dp_packet_batch batch;
        struct dp_packet *p;
        size_t n = 0;

        reset_seq();
        ref[0] = pop_alone(i, make_frame(data, size));
        ref[1] = pop_alone(i, make_frame(variant, size - cut));

        reset_seq();
        dp_packet_batch_init(&batch);
        dp_packet_batch_add(&batch, make_frame(data, size));
        dp_packet_batch_add(&batch, make_frame(variant, size - cut));
        gre_dp_pop_batch(&gre_types[i], &batch);
        /* The batch keeps the order; a dropped packet leaves no gap. */
        DP_PACKET_BATCH_FOR_EACH (j, p, &batch) {
            while (n < 2 && !ref[n]) {
                n++;
            }
            if (n < 2) {
                out[n++] = p;
            }
        }
        if (dp_packet_batch_size(&batch) != !!ref[0] + !!ref[1]) {
            ovs_abort(0, "fuzz-pop: the paths keep different numbers of "
                      "packets");
        }
        check_same(ref[0], out[0]);
        check_same(ref[1], out[1]);
        dp_packet_delete(ref[0]);
        dp_packet_delete(ref[1]);
        dp_packet_delete_batch(&batch, true);
    }
    free(variant);
}

static void
init_ports(void)
{
    /* The pop looks up routes for the ICMP errors it learns from.  The
     * route table's exit hook signals the tunnel configuration's seq, which
     * the datapath would have made. */
    if (!tnl_conf_seq) {
        tnl_conf_seq = seq_create();
    }
    ovs_router_disable_system_routing_table();
    ovs_router_init();
    add_port("g1", GRE_TYPE_GRE, (const char *[]) {
        "remote_ip=192.0.2.2", "key=42", "in_seq=true", "in_csum=true",
        NULL });
    add_port("g2", GRE_TYPE_GRE, (const char *[]) {
        "remote_ip=flow", "key=flow", "packet_type=legacy_l3", NULL });
    add_port("g3", GRE_TYPE_GRE, (const char *[]) {
        "remote_ip=192.0.2.3", "packet_type=ptap", NULL });
    /* Keepalive replies (GRE protocol 0) and peers' keepalives. */
    add_port("k1", GRE_TYPE_GRE, (const char *[]) {
        "remote_ip=192.0.2.4", "key=5", "keepalive=10", NULL });
    add_port("k3", GRE_TYPE_GRE, (const char *[]) {
        "remote_ip=192.0.2.5", "key=5", "keepalive=10",
        "packet_type=legacy_l3", NULL });
    add_port("k6", GRE_TYPE_IP6GRE, (const char *[]) {
        "remote_ip=2001:db8::4", "key=5", "keepalive=10", NULL });
    add_port("e1", GRE_TYPE_ERSPAN, (const char *[]) {
        "remote_ip=192.0.2.2", "key=flow", "erspan_ver=flow", "in_seq=true",
        NULL });
    add_port("g6", GRE_TYPE_IP6GRE, (const char *[]) {
        "remote_ip=2001:db8::2", "key=flow", NULL });
    add_port("e6", GRE_TYPE_IP6ERSPAN, (const char *[]) {
        "remote_ip=flow", "key=7", "erspan_ver=2", NULL });
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;

    if (!initialized) {
        initialized = true;
        init_ports();
    }

    for (int i = 0; i < GRE_N_TYPES; i++) {
        struct dp_packet_batch batch;
        struct dp_packet *packet;
        struct flow flow;

        packet = dp_packet_clone_data(data, size);
        flow_extract(packet, &flow);
        dp_packet_batch_init_packet(&batch, packet);
        gre_dp_pop_batch(&gre_types[i], &batch);
        dp_packet_delete_batch(&batch, true);
    }

    /* The parser alone, with the outer IP header assumed right after an
     * Ethernet header and no l4 offset. */
    if (size > ETH_HEADER_LEN) {
        struct dp_packet *packet = dp_packet_clone_data(data, size);
        struct gre_rx_info info;
        struct flow_tnl tnl;

        memset(&tnl, 0, sizeof tnl);
        dp_packet_reset_offsets(packet);
        packet->l3_ofs = ETH_HEADER_LEN;
        gre_parse_packet(packet, &tnl, &info);
        dp_packet_delete(packet);
    }

    check_same_header_path(data, size);

    /* What the main thread would have sent on. */
    for (struct dp_packet *p; (p = gre_ka_next_reflection()); ) {
        dp_packet_delete(p);
    }
    for (struct dp_packet *p; (p = gre_pmtud_next_icmp()); ) {
        dp_packet_delete(p);
    }

    /* Let postponed frees run, as a datapath thread's quiescing would. */
    ovsrcu_quiesce();
    return 0;
}
