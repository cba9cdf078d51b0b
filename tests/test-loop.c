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

/* test-loop: the main-loop shortcuts of vswitchd/ovs-loop.c, linked in as
 * ovs-vswitchd links them, on real sockets.
 *
 *   test-loop
 *
 * Runs each step below and prints one line per step, "NAME: RESULT",
 * where RESULT is "EAGAIN", "ok" (a connection accepted), the bytes read,
 * or an unexpected error's name. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ovs-thread.h"
#include "socket-util.h"
#include "util.h"

static void
report(const char *step, ssize_t retval, const char *data)
{
    if (retval >= 0) {
        printf("%s: %s\n", step, data ? data : "ok");
    } else if (errno == EAGAIN) {
        printf("%s: EAGAIN\n", step);
    } else {
        printf("%s: %s\n", step, ovs_strerror(errno));
    }
}

/* Polls 'fd' for input with no timeout; returns true if it has some. */
static bool
poll_in(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    return poll(&pfd, 1, 0) > 0;
}

static void
do_recv(const char *step, int fd, int flags)
{
    char buf[32];
    struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf - 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    ssize_t n = recvmsg(fd, &msg, flags);

    if (n >= 0) {
        buf[n] = '\0';
    }
    report(step, n, buf);
}

static void
do_accept(const char *step, int fd)
{
    int conn = accept(fd, NULL, NULL);

    report(step, conn, NULL);
    if (conn >= 0) {
        close(conn);
    }
}

static void
must_send(int fd, const char *s)
{
    if (send(fd, s, strlen(s), 0) != strlen(s)) {
        ovs_fatal(errno, "send");
    }
}

static void *
other_thread(void *fd_)
{
    do_recv("other thread, MSG_DONTWAIT", *(int *) fd_, MSG_DONTWAIT);
    return NULL;
}

/* Connects to the socket named 'sun_' after 100 ms. */
static void *
late_connect(void *sun_)
{
    const struct sockaddr_un *sun = sun_;
    int fd;

    xnanosleep(100 * 1000 * 1000);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr *) sun, sizeof *sun)) {
        ovs_fatal(errno, "connect");
    }
    xnanosleep(100 * 1000 * 1000);
    close(fd);
    return NULL;
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int listener, client, pair[2], fd;
    pthread_t thread;

    set_program_name(argv[0]);

    /* A listening socket, as OVS's unixctl server and bridges have. */
    snprintf(sun.sun_path, sizeof sun.sun_path, "test-loop.%ld",
             (long) getpid());
    listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *) &sun, sizeof sun)
        || listen(listener, 4)) {
        ovs_fatal(errno, "listening socket");
    }
    do_accept("accept, never polled", listener);
    poll_in(listener);
    client = socket(AF_UNIX, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (struct sockaddr *) &sun, sizeof sun)) {
        ovs_fatal(errno, "connect");
    }
    /* The connection came after the poll that found none: one turn late. */
    do_accept("accept, polled idle, connection since", listener);
    printf("poll: %s\n", poll_in(listener) ? "ready" : "idle");
    do_accept("accept, polled ready", listener);
    close(client);
    poll_in(listener);
    client = socket(AF_UNIX, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (struct sockaddr *) &sun, sizeof sun)) {
        ovs_fatal(errno, "connect");
    }
    poll(NULL, 0, 0);
    do_accept("accept, polled idle, then a poll of nothing", listener);
    close(client);
    close(listener);
    unlink(sun.sun_path);

    /* A blocking listener is waited on even if it was polled idle. */
    listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *) &sun, sizeof sun)
        || listen(listener, 4)) {
        ovs_fatal(errno, "blocking listening socket");
    }
    poll_in(listener);
    thread = ovs_thread_create("late", late_connect, &sun);
    do_accept("accept, blocking, polled idle", listener);
    xpthread_join(thread, NULL);
    close(listener);
    unlink(sun.sun_path);

    /* Datagram sockets, as OVS's netlink sockets are. */
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair)) {
        ovs_fatal(errno, "socketpair");
    }
    poll_in(pair[0]);
    must_send(pair[1], "late");
    do_recv("recvmsg, polled idle, MSG_DONTWAIT", pair[0], MSG_DONTWAIT);
    do_recv("recvmsg, polled idle, blocking", pair[0], 0);

    poll_in(pair[0]);
    must_send(pair[1], "shared");
    thread = ovs_thread_create("other", other_thread, &pair[0]);
    xpthread_join(thread, NULL);

    poll_in(pair[0]);
    must_send(pair[1], "reply");
    must_send(pair[0], "request");
    do_recv("recvmsg, polled idle, sent on since", pair[0], MSG_DONTWAIT);

    poll_in(pair[0]);
    fd = pair[0];
    close(pair[0]);
    close(pair[1]);
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) || pair[0] != fd) {
        ovs_fatal(0, "descriptor %d not reused", fd);
    }
    must_send(pair[1], "reused");
    do_recv("recvmsg, polled idle, closed and reused", pair[0], MSG_DONTWAIT);

    close(pair[0]);
    close(pair[1]);
    return 0;
}
