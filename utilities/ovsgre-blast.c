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

#define _GNU_SOURCE 1              /* sendmmsg(), struct mmsghdr. */

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BURST 64
#define MAX_FRAME 9000

/* Returns the monotonic time in seconds. */
static double
now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Decodes the hexadecimal string 'hex' into 'frame', at most 'max' bytes.
 * Returns the number of bytes, or 0 if 'hex' is not an even number of hex
 * digits or is too long. */
static size_t
parse_hex(const char *hex, uint8_t *frame, size_t max)
{
    size_t n = 0;

    while (hex[0] && hex[1]) {
        unsigned int byte;

        if (n >= max || sscanf(hex, "%2x", &byte) != 1) {
            return 0;
        }
        frame[n++] = byte;
        hex += 2;
    }
    return hex[0] ? 0 : n;
}

int
main(int argc, char *argv[])
{
    static uint8_t frame[MAX_FRAME];
    struct mmsghdr msgs[BURST];
    struct iovec iov;
    struct sockaddr_ll sll;
    unsigned long long sent = 0;
    double seconds, start, end;
    int one = 1;
    size_t len;
    int fd;

    if (argc != 4) {
        fprintf(stderr, "usage: %s IFACE SECONDS HEXFRAME\n", argv[0]);
        return EXIT_FAILURE;
    }
    seconds = atof(argv[2]);
    len = parse_hex(argv[3], frame, sizeof frame);
    if (len < ETH_HLEN) {
        fprintf(stderr, "%s: bad frame\n", argv[0]);
        return EXIT_FAILURE;
    }

    fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) {
        perror("socket");
        return EXIT_FAILURE;
    }
    /* Straight to the driver: no queueing discipline in the way. */
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);

    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = if_nametoindex(argv[1]);
    sll.sll_halen = ETH_ALEN;
    memcpy(sll.sll_addr, frame, ETH_ALEN);
    if (!sll.sll_ifindex) {
        fprintf(stderr, "%s: no interface %s\n", argv[0], argv[1]);
        return EXIT_FAILURE;
    }

    iov.iov_base = frame;
    iov.iov_len = len;
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BURST; i++) {
        msgs[i].msg_hdr.msg_name = &sll;
        msgs[i].msg_hdr.msg_namelen = sizeof sll;
        msgs[i].msg_hdr.msg_iov = &iov;
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    start = now_sec();
    end = start + seconds;
    for (;;) {
        int n = sendmmsg(fd, msgs, BURST, 0);

        if (n > 0) {
            sent += n;
        } else if (n < 0 && errno != ENOBUFS && errno != EAGAIN
                   && errno != EINTR) {
            perror("sendmmsg");
            return EXIT_FAILURE;
        }
        /* The clock is read once per burst only. */
        if (now_sec() >= end) {
            break;
        }
    }
    printf("sent %llu frames in %.2f s: %.3f Mpps\n", sent,
           now_sec() - start, sent / (now_sec() - start) / 1e6);
    close(fd);
    return EXIT_SUCCESS;
}
