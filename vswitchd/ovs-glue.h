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

#ifndef OVS_GLUE_H
#define OVS_GLUE_H 1

/* What the rest of ovs-gre needs from OVS 3.1's private structures,
 * without including them.  Everything here works only on netdevs of
 * ovs-gre's classes. */

#include <stdbool.h>

struct gre_netdev;
struct gre_options;
struct gre_type;
struct netdev;
struct netdev_class;

bool glue_is_gre_class(const struct netdev_class *);
const struct gre_type *glue_class_type(const struct netdev_class *);
struct gre_netdev *glue_gre_netdev(const struct netdev *);

void glue_publish(struct netdev *, const struct gre_options *);

#endif /* ovs-glue.h */
