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

/* test-gre: runs ovs-gre's receive parser on frames given in hex.
 *
 *   test-gre parse [HEX...]
 *
 * Parses each frame (from the arguments, or one per line on standard input)
 * as the datapath would: flow extraction sets the header offsets, then
 * gre_parse_packet() reads the tunnel headers.  Prints one line per frame:
 *
 *   ok KIND key=KEY seq=SEQ csum=yes|no erspan_ver=V payload=TYPE hlen=N
 *   drop REASON
 *
 * A frame that flow extraction does not take for GRE over IP never reaches
 * the datapath's pop; if its Ethernet type is IPv4 or IPv6, it is parsed
 * anyway with the IP header right after the Ethernet header (and no l4
 * offset), prefixed "raw", to show that the parser refuses it on its own.
 * Other frames print "skip not-ip". */

#include <config.h>

#include <stdio.h>
#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "gre-header.h"
#include "gre-stats.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/flow.h"
#include "packets.h"
#include "util.h"

static void
print_verdict(const char *hex)
{
    struct dp_packet *packet;
    struct gre_rx_info info;
    struct flow_tnl tnl;
    struct flow flow;
    const char *error;
    const char *prefix = "";
    int hlen;

    error = eth_from_hex(hex, &packet);
    if (error) {
        ovs_fatal(0, "bad hex frame: %s", error);
    }
    flow_extract(packet, &flow);
    if (!dl_type_is_ip_any(flow.dl_type) || flow.nw_proto != IPPROTO_GRE) {
        const struct eth_header *eth = dp_packet_data(packet);

        if (dp_packet_size(packet) < ETH_HEADER_LEN
            || (eth->eth_type != htons(ETH_TYPE_IP)
                && eth->eth_type != htons(ETH_TYPE_IPV6))) {
            printf("skip not-ip\n");
            dp_packet_delete(packet);
            return;
        }
        dp_packet_reset_offsets(packet);
        packet->l3_ofs = ETH_HEADER_LEN;
        prefix = "raw ";
    }

    memset(&tnl, 0, sizeof tnl);
    hlen = gre_parse_packet(packet, &tnl, &info);
    if (hlen < 0) {
        printf("%sdrop %s\n", prefix, gre_drop_name(info.drop));
    } else {
        struct ds s = DS_EMPTY_INITIALIZER;

        ds_put_format(&s, "%sok %s", prefix,
                      info.lay.kind == GRE_KIND_ERSPAN ? "erspan" : "gre");
        if (info.has_key) {
            ds_put_format(&s, " key=%#"PRIx32, ntohl(info.key));
        } else {
            ds_put_cstr(&s, " key=none");
        }
        if (info.has_seq) {
            ds_put_format(&s, " seq=%"PRIu32, info.seq);
        } else {
            ds_put_cstr(&s, " seq=none");
        }
        ds_put_format(&s, " csum=%s erspan_ver=%d", info.has_csum ? "yes"
                      : "no", tnl.erspan_ver);
        if (info.packet_type == htonl(PT_ETH)) {
            ds_put_cstr(&s, " payload=eth");
        } else {
            ds_put_format(&s, " payload=%#06"PRIx16,
                          pt_ns_type(info.packet_type));
        }
        ds_put_format(&s, " hlen=%d", hlen);
        puts(ds_cstr(&s));
        ds_destroy(&s);
    }
    dp_packet_delete(packet);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc < 2 || strcmp(argv[1], "parse")) {
        ovs_fatal(0, "usage: %s parse [HEX...]", argv[0]);
    }

    if (argc > 2) {
        for (int i = 2; i < argc; i++) {
            print_verdict(argv[i]);
        }
    } else {
        struct ds line = DS_EMPTY_INITIALIZER;

        while (!ds_get_line(&line, stdin)) {
            if (line.length) {
                print_verdict(ds_cstr(&line));
            }
        }
        ds_destroy(&line);
    }
    return 0;
}
