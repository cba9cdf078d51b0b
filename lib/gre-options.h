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

#ifndef GRE_OPTIONS_H
#define GRE_OPTIONS_H 1

/* The OVSDB Interface options of GRE-family ports.
 *
 * Every option the Open vSwitch version in use (3.1 or 3.5) accepts for
 * gre, erspan, ip6gre and ip6erspan has the same meaning, default, 'flow'
 * value and error text here.  Where OVS only logs a warning and applies
 * the rest (an unknown option, an unparsable address or TOS), ovs-gre
 * refuses the whole configuration instead, with the same sentence, so
 * that a typo never half-applies.
 *
 * 'struct gre_options' is ovs-gre's own: it does not depend on the layout
 * of OVS's 'struct netdev_tunnel_config', which changes between OVS
 * versions.  The seam under vswitchd/ translates it into the tunnel
 * configuration that its OVS version's ofproto reads. */

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "gre-type.h"
#include "netdev.h"
#include "openvswitch/types.h"

struct smap;

/* An ERSPAN header field a port sends: a value, or the flow's. */
struct gre_erspan_field {
    bool flow;                  /* Taken from the flow's tunnel metadata. */
    uint32_t value;             /* Otherwise. */
};

/* One direction's GRE key (the ERSPAN session ID for ERSPAN types). */
struct gre_key_option {
    bool present;               /* Packets carry a key. */
    bool flow;                  /* Taken from or given to the flow. */
    ovs_be64 value;             /* When 'present' and not 'flow'. */
};

struct gre_options {
    /* Endpoints: IPv4 addresses are IPv4-mapped.  An address is all-zero
     * when it is not configured or is "flow". */
    struct in6_addr remote_ip;
    bool remote_ip_flow;
    struct in6_addr local_ip;
    bool local_ip_flow;

    struct gre_key_option in_key;
    struct gre_key_option out_key;

    /* The outer IP header. */
    uint8_t ttl;
    bool ttl_inherit;
    uint8_t tos;
    bool tos_inherit;
    bool df_default;            /* Set DF in the outer IPv4 header. */
    uint32_t egress_pkt_mark;
    bool egress_pkt_mark_set;

    enum netdev_pt_mode pt_mode;

    /* GRE header options sent. */
    bool csum;
    bool csum_given;            /* csum was "true" or "false". */
    bool seq;

    /* ovs-gre's own receive checks (Linux's iseq and icsum). */
    bool in_seq;                /* Require and check sequence numbers. */
    bool in_csum;               /* Require GRE checksums. */

    /* Path MTU (see gre-mtu.h).  'pmtud': a packet too big for the
     * tunnel that may not be fragmented is answered with an ICMP error
     * (otherwise it is sent whole, as Open vSwitch sends it).
     * 'mss_clamp': the largest TCP MSS a SYN entering the tunnel may
     * announce, 0 for none; with 'mss_clamp_auto' it follows the tunnel
     * MTU. */
    bool pmtud;
    bool mss_clamp_auto;
    uint16_t mss_clamp;

    /* Keepalives (see gre-keepalive.h): one every 'keepalive' seconds, 0
     * for none; the tunnel is down after 'keepalive_retries' periods
     * without a reply. */
    uint16_t keepalive;
    uint8_t keepalive_retries;

    /* ERSPAN: the version (1 for type II, 2 for type III), the type II
     * index, the type III direction and hardware ID. */
    struct gre_erspan_field erspan_ver;
    struct gre_erspan_field erspan_idx;
    struct gre_erspan_field erspan_dir;
    struct gre_erspan_field erspan_hwid;
};

/* Where Open vSwitch versions differ in reading and reporting these
 * options.  The seam under vswitchd/ sets the one of the version ovs-gre
 * runs in (gre_options_set_dialect()); until then, all are false, which
 * is Open vSwitch 3.1. */
struct gre_options_dialect {
    bool report_csum_false;     /* get_config reports "csum=false". */
    bool srv6;                  /* srv6_segs and srv6_flowlabel are
                                 * accepted, and do nothing for these
                                 * types. */
    bool ipsec_prefix;          /* Every "ipsec_*" option is accepted and
                                 * ignored, for ovs-monitor-ipsec. */
};

void gre_options_set_dialect(const struct gre_options_dialect *);

int gre_options_parse(const struct gre_type *, const char *name,
                      const struct smap *args, struct gre_options *,
                      char **errp);
void gre_options_format(const struct gre_type *, const struct gre_options *,
                        struct smap *args);
void gre_options_default(struct gre_options *);
bool gre_options_has_remote(const struct gre_options *);

#endif /* gre-options.h */
