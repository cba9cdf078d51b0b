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

#include "gre-options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "gre-wire.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "smap.h"
#include "util.h"

#define GRE_DEFAULT_TTL 64
#define GRE_DEFAULT_KEEPALIVE_RETRIES 3

/* The dialect of the Open vSwitch version in use.  Set once, by the main
 * thread, before any port is configured. */
static struct gre_options_dialect dialect;

/* Makes 'd' the way options are read and reported from now on. */
void
gre_options_set_dialect(const struct gre_options_dialect *d)
{
    dialect = *d;
}

/* The key options: "key" sets both directions, "in_key" and "out_key" one
 * each and win over "key". */
enum key_option { KEY_BOTH, KEY_IN, KEY_OUT, N_KEY_OPTIONS };

/* The state of one parse: options are read into 'opts', complaints are
 * collected in 'errors', one sentence a line. */
struct parse_ctx {
    const struct gre_type *type;
    const char *name;
    struct gre_options *opts;
    struct ds errors;
    int remote_family;          /* AF_INET or AF_INET6 of remote_ip, or 0
                                 * if it is "flow" or not given. */
    int local_family;           /* The same for local_ip. */
    struct gre_key_option keys[N_KEY_OPTIONS];
};

static void OVS_PRINTF_FORMAT(2, 3)
complain(struct parse_ctx *ctx, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    ds_put_format(&ctx->errors, "%s: ", ctx->name);
    ds_put_format_valist(&ctx->errors, format, args);
    ds_put_char(&ctx->errors, '\n');
    va_end(args);
}

/* Parses 'value' as a whole unsigned number in 'base' (0 for C rules) that
 * is at most 'max'.  Returns true and stores it in '*n' if it is one. */
static bool
parse_number(const char *value, int base, unsigned long long max,
             unsigned long long *n)
{
    char *end;

    if (!value[0] || value[0] == '-') {
        return false;
    }
    errno = 0;
    *n = strtoull(value, &end, base);
    return !errno && !*end && *n <= max;
}

/* Reads the value of remote_ip or local_ip, which is "flow" or a numeric
 * IPv6 or IPv4 address (no host names).  Returns AF_INET6 or AF_INET with
 * the address, IPv4 mapped, in '*addr'; 0 with '*flow' set for "flow"; or
 * -1 if 'value' is none of them. */
static int
read_endpoint(const char *value, struct in6_addr *addr, bool *flow)
{
    struct in_addr ip4;

    memset(addr, 0, sizeof *addr);
    *flow = !strcmp(value, "flow");
    if (*flow) {
        return 0;
    } else if (inet_pton(AF_INET6, value, addr) == 1) {
        return AF_INET6;
    } else if (inet_pton(AF_INET, value, &ip4) == 1) {
        in6_addr_set_mapped_ipv4(addr, ip4.s_addr);
        return AF_INET;
    }
    return -1;
}

/* Returns true if 'addr', of address family 'family', is multicast. */
static bool
endpoint_is_multicast(int family, const struct in6_addr *addr)
{
    return (family == AF_INET
            ? ip_is_multicast(in6_addr_get_mapped_ipv4(addr))
            : ipv6_addr_is_multicast(addr));
}

static void
parse_remote_ip(struct parse_ctx *ctx, const char *value)
{
    struct gre_options *o = ctx->opts;
    int family = read_endpoint(value, &o->remote_ip, &o->remote_ip_flow);

    if (family < 0) {
        complain(ctx, "bad %s 'remote_ip'", ctx->type->name);
    } else if (family && endpoint_is_multicast(family, &o->remote_ip)) {
        complain(ctx, "multicast remote_ip=%s not allowed", value);
        if (family == AF_INET) {
            /* OVS 3.1 refuses an IPv4 multicast address before it takes
             * it, so it also reports a missing remote_ip; an IPv6 one
             * after. */
            memset(&o->remote_ip, 0, sizeof o->remote_ip);
        }
    } else {
        ctx->remote_family = family;
    }
}

static void
parse_local_ip(struct parse_ctx *ctx, const char *value)
{
    struct gre_options *o = ctx->opts;
    int family = read_endpoint(value, &o->local_ip, &o->local_ip_flow);

    if (family < 0) {
        complain(ctx, "bad %s 'local_ip'", ctx->type->name);
    } else {
        ctx->local_family = family;
    }
}

static void
parse_tos(struct parse_ctx *ctx, const char *value)
{
    unsigned long long tos;

    if (!strcmp(value, "inherit")) {
        ctx->opts->tos_inherit = true;
    } else if (parse_number(value, 0, UINT8_MAX, &tos)
               && tos == (tos & IP_DSCP_MASK)) {
        ctx->opts->tos = tos;
    } else {
        complain(ctx, "invalid TOS %s", value);
    }
}

static void
parse_ttl(struct parse_ctx *ctx, const char *value)
{
    unsigned long long ttl;

    if (!strcmp(value, "inherit")) {
        ctx->opts->ttl_inherit = true;
    } else if (parse_number(value, 10, UINT8_MAX, &ttl)) {
        /* 0 means the default, as in OVS. */
        ctx->opts->ttl = ttl ? ttl : GRE_DEFAULT_TTL;
    } else {
        complain(ctx, "invalid TTL %s", value);
    }
}

static void
parse_egress_pkt_mark(struct parse_ctx *ctx, const char *value)
{
    unsigned long long mark;

    if (parse_number(value, 10, UINT32_MAX, &mark)) {
        ctx->opts->egress_pkt_mark = mark;
        ctx->opts->egress_pkt_mark_set = true;
    } else {
        complain(ctx, "invalid egress_pkt_mark %s", value);
    }
}

/* Parses into 'field' an ERSPAN field that is either "flow" or a number in
 * 'base' that has no bits outside 'mask'.  Returns true if 'value' is
 * valid; otherwise leaves 'field' alone. */
static bool
parse_erspan_field(const char *value, int base, uint32_t mask,
                   struct gre_erspan_field *field)
{
    unsigned long long x;

    if (!strcmp(value, "flow")) {
        field->flow = true;
    } else if (parse_number(value, base, mask, &x) && !(x & ~mask)) {
        field->flow = false;
        field->value = x;
    } else {
        return false;
    }
    return true;
}

static void
parse_erspan_idx(struct parse_ctx *ctx, const char *value)
{
    if (!parse_erspan_field(value, 16, ERSPAN_V1_IDX_BITS,
                            &ctx->opts->erspan_idx)) {
        complain(ctx, "invalid erspan index: %s", value);
    }
}

static void
parse_erspan_ver(struct parse_ctx *ctx, const char *value)
{
    struct gre_options *o = ctx->opts;
    unsigned long long ver;

    if (!strcmp(value, "flow")) {
        /* With the version taken from the flow, so is everything else. */
        o->erspan_ver.flow = true;
        o->erspan_idx.flow = true;
        o->erspan_dir.flow = true;
        o->erspan_hwid.flow = true;
    } else if (parse_number(value, 10, 2, &ver) && ver >= 1) {
        o->erspan_ver.flow = false;
        o->erspan_ver.value = ver;
    } else {
        complain(ctx, "invalid erspan version: %s", value);
    }
}

static void
parse_erspan_dir(struct parse_ctx *ctx, const char *value)
{
    if (!parse_erspan_field(value, 10, 1, &ctx->opts->erspan_dir)) {
        complain(ctx, "invalid erspan direction: %s", value);
    }
}

static void
parse_erspan_hwid(struct parse_ctx *ctx, const char *value)
{
    if (!parse_erspan_field(value, 16,
                            ERSPAN_V2_HWID_MASK >> ERSPAN_V2_HWID_SHIFT,
                            &ctx->opts->erspan_hwid)) {
        complain(ctx, "invalid erspan hardware ID: %s", value);
    }
}

static void
parse_packet_type(struct parse_ctx *ctx, const char *packet_type)
{
    struct gre_options *o = ctx->opts;

    if (!strcmp(packet_type, "legacy_l2")) {
        o->pt_mode = NETDEV_PT_LEGACY_L2;
    } else if (!strcmp(packet_type, "legacy_l3")) {
        o->pt_mode = NETDEV_PT_LEGACY_L3;
        if (!ctx->type->can_l3) {
            complain(ctx, "legacy_l3 configured on %s tunnel that cannot "
                     "carry L3 traffic", ctx->type->name);
        }
    } else if (!strcmp(packet_type, "ptap")) {
        o->pt_mode = NETDEV_PT_AWARE;
    } else {
        complain(ctx, "unknown packet_type '%s'", packet_type);
    }
}

static void
parse_csum(struct parse_ctx *ctx, const char *value)
{
    ctx->opts->csum = !strcmp(value, "true");
    ctx->opts->csum_given = ctx->opts->csum || !strcmp(value, "false");
}

/* srv6_segs: a comma-separated list of at most 6 IPv6 addresses.  OVS 3.5
 * accepts it for every tunnel type and uses it only for srv6 ports. */
static void
parse_srv6_segs(struct parse_ctx *ctx, const char *value)
{
    char *copy = xstrdup(value), *save = NULL;
    int n = 0;

    for (char *seg = strtok_r(copy, ",", &save); seg;
         seg = strtok_r(NULL, ",", &save)) {
        struct in6_addr addr;

        if (++n > 6 || inet_pton(AF_INET6, seg, &addr) != 1) {
            /* The sentence is OVS 3.5's, which names the value where its
             * other sentences name the type. */
            complain(ctx, "bad %s 'srv6_segs'", value);
            break;
        }
    }
    free(copy);
}

/* srv6_flowlabel: OVS 3.5 takes any value (anything but "zero" and
 * "compute" meaning "copy"), and uses it only for srv6 ports. */
static void
parse_srv6_flowlabel(struct parse_ctx *ctx OVS_UNUSED,
                     const char *value OVS_UNUSED)
{
}

/* Parses 'value' of the key option 'which', called 'name'. */
static void
parse_key_option(struct parse_ctx *ctx, enum key_option which,
                 const char *name, const char *value)
{
    uint32_t max = (ctx->type->kind == GRE_KIND_ERSPAN
                    ? ERSPAN_SID_BITS : UINT32_MAX);
    struct gre_key_option *k = &ctx->keys[which];
    unsigned long long n;

    k->present = true;
    if (!strcmp(value, "flow")) {
        k->flow = true;
    } else if (parse_number(value, 0, max, &n)) {
        k->value = htonll(n);
    } else {
        complain(ctx, "invalid %s %s (%s keys are 0 to %"PRIu32")",
                 name, value, ctx->type->name, max);
    }
}

static void
parse_key(struct parse_ctx *ctx, const char *value)
{
    parse_key_option(ctx, KEY_BOTH, "key", value);
}

static void
parse_in_key(struct parse_ctx *ctx, const char *value)
{
    parse_key_option(ctx, KEY_IN, "in_key", value);
}

static void
parse_out_key(struct parse_ctx *ctx, const char *value)
{
    parse_key_option(ctx, KEY_OUT, "out_key", value);
}

/* Formatting, as OVS 3.1's get_config reports the options: each function
 * adds its option to 'args' unless it has its default value. */

/* Adds "KEY=VALUE" for the endpoint 'addr' (or "flow"), if it is set. */
static void
format_endpoint(struct smap *args, const char *key,
                const struct in6_addr *addr, bool flow)
{
    if (ipv6_addr_is_set(addr)) {
        smap_add_ipv6(args, key, CONST_CAST(struct in6_addr *, addr));
    } else if (flow) {
        smap_add(args, key, "flow");
    }
}

static void
format_remote_ip(const struct gre_options *o, struct smap *args)
{
    format_endpoint(args, "remote_ip", &o->remote_ip, o->remote_ip_flow);
}

static void
format_local_ip(const struct gre_options *o, struct smap *args)
{
    format_endpoint(args, "local_ip", &o->local_ip, o->local_ip_flow);
}

/* Adds key 'name' for 'k', if a key is configured. */
static void
format_key_option(struct smap *args, const char *name,
                  const struct gre_key_option *k)
{
    if (k->flow) {
        smap_add(args, name, "flow");
    } else if (k->present) {
        smap_add_format(args, name, "%"PRIu64, ntohll(k->value));
    }
}

/* The three key options as one: "key" when both directions agree, else
 * "in_key" and "out_key". */
static void
format_keys(const struct gre_options *o, struct smap *args)
{
    const struct gre_key_option *in = &o->in_key, *out = &o->out_key;

    if (in->flow && out->flow) {
        smap_add(args, "key", "flow");
    } else if (in->present && out->present && in->value == out->value) {
        /* A "flow" key counts as 0 here, as in OVS 3.1. */
        smap_add_format(args, "key", "%"PRIu64, ntohll(in->value));
    } else {
        format_key_option(args, "in_key", in);
        format_key_option(args, "out_key", out);
    }
}

static void
format_ttl(const struct gre_options *o, struct smap *args)
{
    if (o->ttl_inherit) {
        smap_add(args, "ttl", "inherit");
    } else if (o->ttl != GRE_DEFAULT_TTL) {
        smap_add_format(args, "ttl", "%"PRIu8, o->ttl);
    }
}

static void
format_tos(const struct gre_options *o, struct smap *args)
{
    if (o->tos_inherit) {
        smap_add(args, "tos", "inherit");
    } else if (o->tos) {
        smap_add_format(args, "tos", "0x%x", o->tos);
    }
}

static void
format_csum(const struct gre_options *o, struct smap *args)
{
    if (o->csum) {
        smap_add(args, "csum", "true");
    } else if (o->csum_given && dialect.report_csum_false) {
        smap_add(args, "csum", "false");
    }
}

static void
format_egress_pkt_mark(const struct gre_options *o, struct smap *args)
{
    if (o->egress_pkt_mark_set) {
        smap_add_format(args, "egress_pkt_mark", "%"PRIu32,
                        o->egress_pkt_mark);
    }
}

static void
format_packet_type(const struct gre_options *o, struct smap *args)
{
    if (o->pt_mode == NETDEV_PT_LEGACY_L3) {
        smap_add(args, "packet_type", "legacy_l3");
    } else if (o->pt_mode == NETDEV_PT_AWARE) {
        smap_add(args, "packet_type", "ptap");
    }
}

/* Adds ERSPAN field 'key', 'field': "flow" if it comes from the flow,
 * otherwise its value in 'format'; but only for the version that carries
 * the field ('ver', 0 for every version). */
static void
format_erspan_field(const struct gre_options *o, struct smap *args,
                    const char *key, uint32_t ver,
                    const struct gre_erspan_field *field, const char *format)
{
    bool carried = !ver || o->erspan_ver.value == ver;

    if (o->erspan_ver.flow || (field->flow && carried)) {
        smap_add(args, key, "flow");
    } else if (carried) {
        smap_add_format(args, key, format, field->value);
    }
}

static void
format_erspan_ver(const struct gre_options *o, struct smap *args)
{
    format_erspan_field(o, args, "erspan_ver", 0, &o->erspan_ver,
                        "%"PRIu32);
}

static void
format_erspan_idx(const struct gre_options *o, struct smap *args)
{
    format_erspan_field(o, args, "erspan_idx", ERSPAN_VERSION_II,
                        &o->erspan_idx, "0x%"PRIx32);
}

static void
format_erspan_dir(const struct gre_options *o, struct smap *args)
{
    format_erspan_field(o, args, "erspan_dir", ERSPAN_VERSION_III,
                        &o->erspan_dir, "%"PRIu32);
}

static void
format_erspan_hwid(const struct gre_options *o, struct smap *args)
{
    format_erspan_field(o, args, "erspan_hwid", ERSPAN_VERSION_III,
                        &o->erspan_hwid, "0x%"PRIx32);
}

/* The smallest MSS mss_clamp may set: what RFC 879 lets every IPv4
 * host send, less the 40 bytes RFC 6691 allows for options. */
#define MSS_CLAMP_MIN 88

static void
parse_pmtud(struct parse_ctx *ctx, const char *value)
{
    if (!strcmp(value, "true")) {
        ctx->opts->pmtud = true;
    } else if (!strcmp(value, "false")) {
        ctx->opts->pmtud = false;
    } else {
        complain(ctx, "invalid pmtud %s (true or false)", value);
    }
}

static void
format_pmtud(const struct gre_options *o, struct smap *args)
{
    if (!o->pmtud) {
        smap_add(args, "pmtud", "false");
    }
}

static void
parse_mss_clamp(struct parse_ctx *ctx, const char *value)
{
    unsigned long long mss;

    if (!strcmp(value, "true")) {
        ctx->opts->mss_clamp_auto = true;
    } else if (!strcmp(value, "false")) {
        ctx->opts->mss_clamp_auto = false;
        ctx->opts->mss_clamp = 0;
    } else if (parse_number(value, 10, UINT16_MAX, &mss)
               && mss >= MSS_CLAMP_MIN) {
        ctx->opts->mss_clamp = mss;
    } else {
        complain(ctx, "invalid mss_clamp %s (true, false or a number of "
                 "bytes from %d to 65535)", value, MSS_CLAMP_MIN);
    }
}

static void
format_mss_clamp(const struct gre_options *o, struct smap *args)
{
    if (o->mss_clamp_auto) {
        smap_add(args, "mss_clamp", "true");
    } else if (o->mss_clamp) {
        smap_add_format(args, "mss_clamp", "%"PRIu16, o->mss_clamp);
    }
}

/* The longest keepalive period, in seconds, and the most retries (those
 * Cisco IOS accepts). */
#define KEEPALIVE_MAX 32767
#define KEEPALIVE_RETRIES_MAX 255

static void
parse_keepalive(struct parse_ctx *ctx, const char *value)
{
    unsigned long long n;

    if (parse_number(value, 10, KEEPALIVE_MAX, &n)) {
        ctx->opts->keepalive = n;
    } else {
        complain(ctx, "invalid keepalive %s (a period in seconds from 1 "
                 "to %d, or 0 for none)", value, KEEPALIVE_MAX);
    }
}

static void
format_keepalive(const struct gre_options *o, struct smap *args)
{
    if (o->keepalive) {
        smap_add_format(args, "keepalive", "%"PRIu16, o->keepalive);
    }
}

static void
parse_keepalive_retries(struct parse_ctx *ctx, const char *value)
{
    unsigned long long n;

    if (parse_number(value, 10, KEEPALIVE_RETRIES_MAX, &n) && n >= 1) {
        ctx->opts->keepalive_retries = n;
    } else {
        complain(ctx, "invalid keepalive_retries %s (from 1 to %d)", value,
                 KEEPALIVE_RETRIES_MAX);
    }
}

static void
format_keepalive_retries(const struct gre_options *o, struct smap *args)
{
    if (o->keepalive_retries != GRE_DEFAULT_KEEPALIVE_RETRIES) {
        smap_add_format(args, "keepalive_retries", "%"PRIu8,
                        o->keepalive_retries);
    }
}

/* Which port types an option applies to. */
enum option_scope {
    FOR_ALL,                    /* Every GRE-family type. */
    FOR_CSUM,                   /* Types with 'has_csum'. */
    FOR_SEQ,                    /* Types with 'has_seq'. */
    FOR_ERSPAN,                 /* ERSPAN types. */
    FOR_GRE,                    /* gre and ip6gre: the types whose packets
                                 * are a sender's own, not mirrored. */
    FOR_ALL_WITH_SRV6,          /* Every type, if the dialect has SRv6. */
};

/* One option: how to read it and how to report it.
 *
 * An option with 'parse' is read by it and reported by 'format' (NULL if
 * another option's 'format' reports it).  An option without 'parse' is a
 * boolean flag at 'flag_ofs' in struct gre_options, true for "true" (if
 * 'flag_default' is false) or for anything but "false" (if it is true),
 * and reported when it is not 'flag_default'.  An 'ignored' option is
 * accepted and neither read nor reported. */
struct option {
    const char *key;
    enum option_scope scope;
    void (*parse)(struct parse_ctx *, const char *value);
    void (*format)(const struct gre_options *, struct smap *);
    size_t flag_ofs;
    bool flag_default;
    bool ignored;
};

#define OPTION(KEY, SCOPE, PARSE, FORMAT) \
    { .key = KEY, .scope = SCOPE, .parse = PARSE, .format = FORMAT }
#define FLAG(KEY, SCOPE, MEMBER, DEFAULT) \
    { .key = KEY, .scope = SCOPE, \
      .flag_ofs = offsetof(struct gre_options, MEMBER), \
      .flag_default = DEFAULT }
#define IGNORED(KEY) \
    { .key = KEY, .scope = FOR_ALL, .ignored = true }

static const struct option options[] = {
    OPTION("remote_ip", FOR_ALL, parse_remote_ip, format_remote_ip),
    OPTION("local_ip", FOR_ALL, parse_local_ip, format_local_ip),
    OPTION("tos", FOR_ALL, parse_tos, format_tos),
    OPTION("ttl", FOR_ALL, parse_ttl, format_ttl),
    OPTION("csum", FOR_CSUM, parse_csum, format_csum),
    FLAG("seq", FOR_SEQ, seq, false),
    FLAG("in_seq", FOR_ALL, in_seq, false),
    FLAG("in_csum", FOR_CSUM, in_csum, false),
    FLAG("df_default", FOR_ALL, df_default, true),
    OPTION("egress_pkt_mark", FOR_ALL, parse_egress_pkt_mark,
           format_egress_pkt_mark),
    OPTION("erspan_idx", FOR_ERSPAN, parse_erspan_idx, format_erspan_idx),
    OPTION("erspan_ver", FOR_ERSPAN, parse_erspan_ver, format_erspan_ver),
    OPTION("erspan_dir", FOR_ERSPAN, parse_erspan_dir, format_erspan_dir),
    OPTION("erspan_hwid", FOR_ERSPAN, parse_erspan_hwid,
           format_erspan_hwid),

    OPTION("pmtud", FOR_GRE, parse_pmtud, format_pmtud),
    OPTION("mss_clamp", FOR_GRE, parse_mss_clamp, format_mss_clamp),
    OPTION("keepalive", FOR_GRE, parse_keepalive, format_keepalive),
    OPTION("keepalive_retries", FOR_GRE, parse_keepalive_retries,
           format_keepalive_retries),

    OPTION("key", FOR_ALL, parse_key, format_keys),
    OPTION("in_key", FOR_ALL, parse_in_key, NULL),
    OPTION("out_key", FOR_ALL, parse_out_key, NULL),
    OPTION("packet_type", FOR_ALL, parse_packet_type, format_packet_type),
    OPTION("srv6_segs", FOR_ALL_WITH_SRV6, parse_srv6_segs, NULL),
    OPTION("srv6_flowlabel", FOR_ALL_WITH_SRV6, parse_srv6_flowlabel, NULL),

    /* Read by ovs-monitor-ipsec, not by the datapath. */
    IGNORED("remote_cert"),
    IGNORED("remote_name"),
    IGNORED("psk"),
};

static bool
option_applies(const struct option *opt, const struct gre_type *type)
{
    switch (opt->scope) {
    case FOR_ALL:
        return true;
    case FOR_CSUM:
        return type->has_csum;
    case FOR_SEQ:
        return type->has_seq;
    case FOR_ERSPAN:
        return type->kind == GRE_KIND_ERSPAN;
    case FOR_GRE:
        return type->kind == GRE_KIND_GRE;
    case FOR_ALL_WITH_SRV6:
        return dialect.srv6;
    }
    OVS_NOT_REACHED();
}

/* An option every "ipsec_*" key is, in a dialect that has them. */
static const struct option ipsec_option = IGNORED("ipsec_*");

static const struct option *
find_option(const char *key, const struct gre_type *type)
{
    if (dialect.ipsec_prefix && !strncmp(key, "ipsec_", 6)) {
        return &ipsec_option;
    }
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const struct option *opt = &options[i];

        if (!strcmp(opt->key, key)) {
            return option_applies(opt, type) ? opt : NULL;
        }
    }
    return NULL;
}

static bool *
option_flag(const struct option *opt, struct gre_options *opts)
{
    return (bool *) ((char *) opts + opt->flag_ofs);
}

/* Returns the key of direction 'which' (KEY_IN or KEY_OUT) that 'ctx'
 * read: its own option if given, otherwise "key". */
static struct gre_key_option
resolve_key(const struct parse_ctx *ctx, enum key_option which)
{
    struct gre_key_option k = (ctx->keys[which].present
                               ? ctx->keys[which] : ctx->keys[KEY_BOTH]);

    if (k.flow) {
        k.value = 0;
    }
    return k;
}

/* Initializes 'opts' to the configuration of a port that was never
 * configured. */
void
gre_options_default(struct gre_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->df_default = true;
    opts->pmtud = true;
    opts->keepalive_retries = GRE_DEFAULT_KEEPALIVE_RETRIES;
    opts->ttl = GRE_DEFAULT_TTL;
    opts->pt_mode = NETDEV_PT_LEGACY_L2;
}

/* Returns true if 'opts' names a remote endpoint, an address or "flow":
 * only then can the port send or receive. */
bool
gre_options_has_remote(const struct gre_options *opts)
{
    return ipv6_addr_is_set(&opts->remote_ip) || opts->remote_ip_flow;
}

/* Parses 'args', the options of the port 'name' of 'type', into 'opts'.
 *
 * Returns 0 if every option is valid.  Otherwise returns EINVAL and stores
 * in '*errp' one sentence per problem, one per line, which the caller must
 * free(); 'opts' is then indeterminate and must not be applied. */
int
gre_options_parse(const struct gre_type *type, const char *name,
                  const struct smap *args, struct gre_options *opts,
                  char **errp)
{
    struct parse_ctx ctx = {
        .type = type,
        .name = name,
        .opts = opts,
        .errors = DS_EMPTY_INITIALIZER,
    };
    struct smap_node *node;

    gre_options_default(opts);
    SMAP_FOR_EACH (node, args) {
        const struct option *opt = find_option(node->key, type);

        if (!opt) {
            complain(&ctx, "unknown %s argument '%s'", type->name,
                     node->key);
        } else if (opt->parse) {
            opt->parse(&ctx, node->value);
        } else if (!opt->ignored) {
            *option_flag(opt, opts) = (opt->flag_default
                                       ? strcmp(node->value, "false") != 0
                                       : !strcmp(node->value, "true"));
        }
    }

    if (!gre_options_has_remote(opts)) {
        complain(&ctx, "%s type requires valid 'remote_ip' argument",
                 type->name);
    }
    if (opts->local_ip_flow && !opts->remote_ip_flow) {
        complain(&ctx, "%s type requires 'remote_ip=flow' with "
                 "'local_ip=flow'", type->name);
    }
    if (ctx.local_family && ctx.remote_family
        && ctx.local_family != ctx.remote_family) {
        complain(&ctx, "'remote_ip' and 'local_ip' has to be of the same "
                 "address family");
    }
    opts->in_key = resolve_key(&ctx, KEY_IN);
    opts->out_key = resolve_key(&ctx, KEY_OUT);
    if (opts->keepalive
        && (opts->remote_ip_flow || opts->local_ip_flow
            || opts->in_key.flow || opts->out_key.flow)) {
        complain(&ctx, "keepalive needs a fixed remote_ip, local_ip and "
                 "key (not \"flow\")");
    }

    if (ctx.errors.length) {
        ds_chomp(&ctx.errors, '\n');
        *errp = ds_steal_cstr(&ctx.errors);
        return EINVAL;
    }
    ds_destroy(&ctx.errors);
    return 0;
}

/* Adds to 'args' the options of a port of 'type' configured as 'opts', as
 * OVS 3.1 reports them: defaults left out, keys merged when equal. */
void
gre_options_format(const struct gre_type *type,
                   const struct gre_options *opts, struct smap *args)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const struct option *opt = &options[i];

        if (opt->ignored || !option_applies(opt, type)) {
            continue;
        } else if (opt->format) {
            opt->format(opts, args);
        } else if (!opt->parse) {
            bool value = *option_flag(opt, CONST_CAST(struct gre_options *,
                                                      opts));

            if (value != opt->flag_default) {
                smap_add(args, opt->key, value ? "true" : "false");
            }
        }
    }
}
