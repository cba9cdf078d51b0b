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

#ifndef GRE_TEST_PUSH_H
#define GRE_TEST_PUSH_H 1

/* A tunnel port, its push and an empty routing table, outside
 * ovs-vswitchd, for the test and benchmark programs
 * (tests/test-offload.c, tests/bench-gso.c).  They exit with a message on
 * any error. */

struct dp_packet_batch;
struct gre_options;
struct gre_type;

struct gre_port *gre_test_make_port(const char *type_name,
                                    int argc, char *argv[],
                                    const struct gre_type **,
                                    struct gre_options *);
void gre_test_push(const struct gre_type *, const struct gre_options *,
                   struct dp_packet_batch *);
void gre_test_no_routes(void);

#endif /* gre-test-push.h */
