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

#ifndef GRE_PROVIDER_H
#define GRE_PROVIDER_H 1

/* The netdev provider behaviour of ovs-gre's ports: configuration, header
 * building, the per-packet push and pop that callers other than the
 * datapath's batch actions use, and statistics.
 *
 * This is the middle of the seam (see vswitchd/gre-vport.h): the class
 * table in gre-classes.c names these callbacks, and they call down into
 * the vport layer, datapath/ and lib/.  Each callback's comment says what
 * it does; all run in the main thread except 'build_header' (handler and
 * revalidator threads) and the push and pop callbacks (datapath
 * threads). */

#include "netdev-provider.h"

struct dp_packet;
struct netdev;
struct netdev_class;

int gre_provider_set_config(struct netdev *, const struct smap *args,
                            char **errp);
int gre_provider_get_config(const struct netdev *, struct smap *args);
int gre_provider_build_header(
    const struct netdev *, struct ovs_action_push_tnl *,
    const struct netdev_tnl_build_header_params *);
void gre_provider_push_header(const struct netdev *, struct dp_packet *,
                              const struct ovs_action_push_tnl *);
struct dp_packet *gre_provider_pop_gre(struct dp_packet *);
struct dp_packet *gre_provider_pop_erspan(struct dp_packet *);
struct dp_packet *gre_provider_pop_ip6gre(struct dp_packet *);
struct dp_packet *gre_provider_pop_ip6erspan(struct dp_packet *);
int gre_provider_get_stats(const struct netdev *, struct netdev_stats *);
int gre_provider_get_custom_stats(const struct netdev *,
                                  struct netdev_custom_stats *);
void gre_provider_destruct(struct netdev *);
int gre_provider_get_carrier(const struct netdev *, bool *carrier);
int gre_provider_get_status(const struct netdev *, struct smap *);
void gre_provider_run(const struct netdev_class *);
void gre_provider_wait(const struct netdev_class *);

/* The members of a 'struct netdev_class' that implement a GRE-family
 * tunnel, but for 'pop_header', which is one per type (OVS does not tell
 * it the netdev). */
#define GRE_PROVIDER_FUNCTIONS                                  \
    .set_config = gre_provider_set_config,                      \
    .get_config = gre_provider_get_config,                      \
    .build_header = gre_provider_build_header,                  \
    .push_header = gre_provider_push_header,                    \
    .get_stats = gre_provider_get_stats,                        \
    .get_custom_stats = gre_provider_get_custom_stats,          \
    .destruct = gre_provider_destruct,                          \
    .get_carrier = gre_provider_get_carrier,                    \
    .get_status = gre_provider_get_status,                      \
    .run = gre_provider_run,                                    \
    .wait = gre_provider_wait

const char *gre_provider_config_error(const struct netdev *);

#endif /* gre-provider.h */
