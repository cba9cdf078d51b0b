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

/* test-offload: ovs-gre's TSO, checksum offload and GRO paths on packets
 * given in hex, for tests/offload-ref.py to compare with its reference.
 *
 *   test-offload push TYPE [OPTION=VALUE...]
 *       Reads one batch of inner packets, a line "FLAGS HEX" each, pushes
 *       them through a port of TYPE configured with the options (local
 *       endpoint 192.0.2.1 or 2001:db8::1, next hop f8:bc:12:44:34:b6
 *       from aa:55:aa:55:00:00), then outputs them to a port without
 *       offloads and prints what that port sends.  The remote endpoint has no
 *       route, so tunnelled TSO packets are segmented for a 1500-byte path,
 *       unless the last option is icmp=HEX: an underlay ICMP error that
 *       the pop gets first, which teaches the port a path MTU.
 *
 *   test-offload pop TYPE [OPTION=VALUE...]
 *       Reads one batch of received tunnel frames, a line "HEX" or "FLAGS
 *       HEX" each ("tso": an aggregate the underlay's GRO made), pops them
 *       with userspace TSO on (so with GRO) and prints the result.
 *
 *   test-offload send MTU
 *       Reads one batch of packets, a line "FLAGS HEX" each, outputs them
 *       to a port of MTU without offloads and prints what it sends.
 *
 * FLAGS is "-" or a comma-separated list of "tso" (DP_PACKET_OL_TX_TCP_SEG)
 * and "csum" (DP_PACKET_OL_TX_TCP_CKSUM); a packet's type is Ethernet
 * unless its hex starts with an IPv4 or IPv6 header ("4" or "6") and the
 * port carries L3 packets.  Output: one line "FLAGS HEX" per packet, then
 * a line "offload" with the totals of gre-offload.h. */

#include <config.h>

#include <stdio.h>
#include <string.h>

#include "dp-packet.h"
#include "dummy.h"
#include "flow.h"
#include "gre-dp.h"
#include "gre-offload.h"
#include "gre-options.h"
#include "gre-pmtud.h"
#include "gre-port.h"
#include "gre-stats.h"
#include "gre-test-push.h"
#include "gre-type.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "userspace-tso.h"
#include "util.h"

/* Reads the lines of stdin into a batch: "FLAGS HEX" if 'with_flags',
 * otherwise "HEX" or "FLAGS HEX".  If 'l3', packets that start with an
 * IPv4 or IPv6 header get that packet type. */
static void
read_batch(struct dp_packet_batch *batch, bool with_flags, bool l3)
{
    char line[1 << 18];

    dp_packet_batch_init(batch);
    while (fgets(line, sizeof line, stdin)) {
        char *flags = NULL, *hex = line;
        struct dp_packet *p = dp_packet_new(0);

        line[strcspn(line, "\n")] = '\0';
        if (!line[0]) {
            continue;
        }
        if (with_flags || strchr(line, ' ')) {
            flags = line;
            hex = strchr(line, ' ');
            if (!hex) {
                ovs_fatal(0, "expected \"FLAGS HEX\": %s", line);
            }
            *hex++ = '\0';
        }
        if (dp_packet_put_hex(p, hex, NULL)[0] != '\0') {
            ovs_fatal(0, "bad hex: %s", hex);
        }
        if (l3) {
            uint8_t v = *(uint8_t *) dp_packet_data(p) >> 4;

            p->packet_type = PACKET_TYPE_BE(OFPHTN_ETHERTYPE,
                                            v == 6 ? ETH_TYPE_IPV6
                                            : ETH_TYPE_IP);
        }
        if (flags && strstr(flags, "tso")) {
            dp_packet_hwol_set_tcp_seg(p);
        }
        if (flags && strstr(flags, "csum")) {
            dp_packet_hwol_set_csum_tcp(p);
        }
        if (dp_packet_batch_is_full(batch)) {
            ovs_fatal(0, "more than %d packets", NETDEV_MAX_BURST);
        }
        dp_packet_batch_add(batch, p);
    }
}

static void
print_packet(const struct dp_packet *p)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const uint8_t *d = dp_packet_data(p);
    bool tso = dp_packet_hwol_is_tso(p);
    bool csum = dp_packet_hwol_l4_is_tcp(p);

    ds_put_format(&s, "%s%s%s ", tso ? "tso" : "", tso && csum ? "," : "",
                  csum ? "csum" : tso ? "" : "-");
    for (size_t i = 0; i < dp_packet_size(p); i++) {
        ds_put_format(&s, "%02x", d[i]);
    }
    puts(ds_cstr(&s));
    ds_destroy(&s);
}

static void
print_batch(struct dp_packet_batch *batch)
{
    struct dp_packet *p;

    DP_PACKET_BATCH_FOR_EACH (i, p, batch) {
        print_packet(p);
    }
}

/* A netdev_send() that prints what it is given. */
static int
print_send(struct netdev *netdev OVS_UNUSED, int qid OVS_UNUSED,
           struct dp_packet_batch *batch, bool concurrent OVS_UNUSED)
{
    print_batch(batch);
    dp_packet_delete_batch(batch, true);
    return 0;
}

/* Prints the totals of gre-offload.h and the port's drops. */
static void
print_totals(const struct gre_port *port)
{
    struct gre_stats_snapshot snap;
    struct gre_offload_stats o;

    gre_offload_stats_read(&o);
    printf("offload resolved=%"PRIu64" gso=%"PRIu64"/%"PRIu64
           " dropped=%"PRIu64" gro=%"PRIu64"/%"PRIu64" bad=%"PRIu64
           " agg=%"PRIu64,
           o.tx_resolved, o.gso_packets, o.gso_segments, o.gso_dropped,
           o.gro_segments, o.gro_packets, o.gro_csum_bad, o.rx_aggregates);
    if (port) {
        gre_stats_read(&port->stats, &snap);
        for (int i = 0; i < GRE_N_DROPS; i++) {
            if (snap.drops[i]) {
                printf(" %s=%"PRIu64, gre_drop_name(i), snap.drops[i]);
            }
        }
    }
    putchar('\n');
}

/* Outputs 'batch' to a port of 'mtu' without offloads. */
static void
output(struct dp_packet_batch *batch, int mtu)
{
    struct netdev *netdev;

    netdev_dummy_register(DUMMY_OVERRIDE_NONE);
    if (netdev_open("out0", "dummy", &netdev)
        || netdev_set_mtu(netdev, mtu)) {
        ovs_fatal(0, "cannot open a dummy port");
    }
    gre_offload_send(netdev, 0, batch, false, print_send);
    netdev_close(netdev);
}

static struct gre_port *
do_push(const char *type_name, int argc, char *argv[])
{
    const struct gre_type *type;
    struct dp_packet_batch batch;
    struct gre_options opts;
    struct gre_port *port;
    const char *icmp = NULL;

    if (argc && !strncmp(argv[argc - 1], "icmp=", 5)) {
        icmp = argv[--argc] + 5;
    }
    port = gre_test_make_port(type_name, argc, argv, &type, &opts);
    if (icmp) {
        /* An underlay ICMP error, as the tunnel port map sends it to the
         * pop: the path MTU it teaches sizes the segments. */
        struct dp_packet *p = dp_packet_new(0);
        struct flow flow;

        if (dp_packet_put_hex(p, icmp, NULL)[0] != '\0') {
            ovs_fatal(0, "icmp: bad hex");
        }
        flow_extract(p, &flow);
        gre_pmtud_rx_icmp(p, gre_type_stats(type));
    }
    read_batch(&batch, true, opts.pt_mode == NETDEV_PT_LEGACY_L3);
    gre_test_push(type, &opts, &batch);
    output(&batch, 1500);
    return port;
}

static struct gre_port *
do_pop(const char *type_name, int argc, char *argv[])
{
    struct smap cfg = SMAP_INITIALIZER(&cfg);
    const struct gre_type *type;
    struct dp_packet_batch batch;
    struct gre_options opts;
    struct gre_port *port;
    struct dp_packet *p;

    smap_add(&cfg, "userspace-tso-enable", "true");
    userspace_tso_init(&cfg);
    smap_destroy(&cfg);

    port = gre_test_make_port(type_name, argc, argv, &type, &opts);
    read_batch(&batch, false, false);
    DP_PACKET_BATCH_FOR_EACH (i, p, &batch) {
        struct flow flow;

        flow_extract(p, &flow);
        p->md.in_port.odp_port = u32_to_odp(1);
    }
    gre_dp_pop_batch(type, &batch);
    print_batch(&batch);
    dp_packet_delete_batch(&batch, true);
    return port;
}

int
main(int argc, char *argv[])
{
    struct gre_port *port = NULL;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    /* No routes: tunnelled TSO packets are segmented for a 1500-byte
     * path. */
    gre_test_no_routes();

    if (argc >= 3 && !strcmp(argv[1], "push")) {
        port = do_push(argv[2], argc - 3, argv + 3);
    } else if (argc >= 3 && !strcmp(argv[1], "pop")) {
        port = do_pop(argv[2], argc - 3, argv + 3);
    } else if (argc == 3 && !strcmp(argv[1], "send")) {
        struct dp_packet_batch batch;

        read_batch(&batch, true, false);
        output(&batch, atoi(argv[2]));
    } else {
        ovs_fatal(0, "usage: %s push|pop TYPE [OPTION=VALUE...] "
                  "| send MTU", argv[0]);
    }
    print_totals(port);
    return 0;
}
