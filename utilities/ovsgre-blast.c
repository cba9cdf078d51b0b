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

/* ovsgre-blast: sends one Ethernet frame, over and over, as fast as the
 * kernel takes it, for the end-to-end benchmark (ovsgre-bench-e2e.sh).
 *
 *   ovsgre-blast IFACE SECONDS HEXFRAME
 *
 * The frame goes out of IFACE through an AF_PACKET socket, 64 copies per
 * sendmmsg() call, bypassing the queueing discipline, until SECONDS have
 * passed.  Prints the number of frames the kernel accepted and their rate.
 * Needs CAP_NET_RAW.  Linux only; the program is not part of the daemon. */

#include <config.h>

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "openvswitch/ofpbuf.h"
#include "timeval.h"
#include "util.h"

#define BURST 64
#define MAX_FRAME 9000

int
main(int argc, char *argv[])
{
    struct mmsghdr msgs[BURST];
    struct iovec iov;
    struct sockaddr_ll sll;
    unsigned long long sent = 0;
    long long int start, end, elapsed;
    struct ofpbuf frame;
    int one = 1;
    size_t len;
    int fd;

    set_program_name(argv[0]);
    if (argc != 4) {
        ovs_fatal(0, "usage: %s IFACE SECONDS HEXFRAME", argv[0]);
    }
    ofpbuf_init(&frame, 0);
    if (ofpbuf_put_hex(&frame, argv[3], &len)[0] != '\0'
        || len < ETH_HLEN || len > MAX_FRAME) {
        ovs_fatal(0, "bad frame");
    }

    fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) {
        ovs_fatal(errno, "socket");
    }
    /* Straight to the driver: no queueing discipline in the way. */
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);

    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = if_nametoindex(argv[1]);
    sll.sll_halen = ETH_ALEN;
    memcpy(sll.sll_addr, frame.data, ETH_ALEN);
    if (!sll.sll_ifindex) {
        ovs_fatal(0, "no interface %s", argv[1]);
    }

    iov.iov_base = frame.data;
    iov.iov_len = len;
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BURST; i++) {
        msgs[i].msg_hdr.msg_name = &sll;
        msgs[i].msg_hdr.msg_namelen = sizeof sll;
        msgs[i].msg_hdr.msg_iov = &iov;
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    start = time_msec();
    end = start + atof(argv[2]) * 1000;
    for (;;) {
        int n = sendmmsg(fd, msgs, BURST, 0);

        if (n > 0) {
            sent += n;
        } else if (n < 0 && errno != ENOBUFS && errno != EAGAIN
                   && errno != EINTR) {
            ovs_fatal(errno, "sendmmsg");
        }
        /* The clock is read once per burst only. */
        if (time_msec() >= end) {
            break;
        }
    }
    elapsed = MAX(time_msec() - start, 1);
    printf("sent %llu frames in %.2f s: %.3f Mpps\n", sent,
           elapsed / 1e3, sent / (elapsed / 1e3) / 1e6);
    close(fd);
    ofpbuf_uninit(&frame);
    return EXIT_SUCCESS;
}
