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

/* Fewer system calls per main-loop iteration.
 *
 * With the userspace datapath, ovs-vswitchd's main thread polls the
 * kernel interfaces (taps, af_packet sockets on veths and NICs) itself,
 * so every batch of packets costs one turn of the main loop.  Each turn,
 * whether poll() reported them ready or not, OVS tries to accept() on
 * every listening socket (the unixctl socket and each bridge's management
 * and snoop sockets: five with two bridges) and to read every netlink
 * notification socket with MSG_DONTWAIT.  Under load that is a dozen
 * system calls per batch that can only fail with EAGAIN, and an accept()
 * that fails costs Linux a socket and a file allocated and freed
 * (Documentation/benchmarks-tso.rst has the measurements).
 *
 * ovs-vswitchd is linked with '-Wl,--wrap' for poll(), accept(), recvmsg()
 * and the calls that write to a socket or close it.  __wrap_poll()
 * remembers, per thread, the descriptors that its last poll() asked for
 * input on and found none; until that thread's next poll(), an accept() or
 * a recvmsg() with MSG_DONTWAIT on one of them fails with EAGAIN without
 * entering the kernel.  That is an answer those calls may give at any
 * moment, and every caller in OVS then waits for the descriptor, so the
 * next poll() returns at once if input came in meanwhile: it is read one
 * turn later, never lost.  A descriptor stops being remembered when the
 * thread sends on it (a netlink request's reply is read right after it
 * is sent) or closes it (its number may be reused).  Blocking calls and
 * other threads are never affected: recvmsg() is answered only with
 * MSG_DONTWAIT, accept() only on a socket the thread has seen to be
 * non-blocking (with fcntl(), once per socket; OVS opens every listening
 * socket non-blocking and never changes it).
 *
 * Kernel interfaces' receive sockets: '-Wl,--wrap=setsockopt' spares the
 * af_packet sockets that read kernel interfaces a copy of every packet
 * they send (see __wrap_setsockopt()). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovs_loop);

/* What one thread knows of its descriptors. */
#define LOOP_IDLE_MAX 64
#define LOOP_NONBLOCKING_MAX 16
struct loop_idle {
    /* The descriptors its last poll() found without input. */
    int n;
    int fds[LOOP_IDLE_MAX];

    /* Listening sockets it has found non-blocking. */
    int n_nonblocking;
    int nonblocking[LOOP_NONBLOCKING_MAX];
};

DEFINE_STATIC_PER_THREAD_DATA(struct loop_idle, loop_idle, { 0 });

int __real_poll(struct pollfd *, nfds_t, int);
int __wrap_poll(struct pollfd *, nfds_t, int);
int __real_accept(int, struct sockaddr *, socklen_t *);
int __wrap_accept(int, struct sockaddr *, socklen_t *);
ssize_t __real_recvmsg(int, struct msghdr *, int);
ssize_t __wrap_recvmsg(int, struct msghdr *, int);
ssize_t __real_send(int, const void *, size_t, int);
ssize_t __wrap_send(int, const void *, size_t, int);
ssize_t __real_sendmsg(int, const struct msghdr *, int);
ssize_t __wrap_sendmsg(int, const struct msghdr *, int);
int __real_close(int);
int __wrap_close(int);
int __real_setsockopt(int fd, int level, int name, const void *value,
                      socklen_t len);
int __wrap_setsockopt(int fd, int level, int name, const void *value,
                      socklen_t len);

/* Returns true if this thread's last poll() found 'fd' without input and
 * the thread has neither sent on it nor closed it since. */
static bool
loop_idle_has(int fd)
{
    const struct loop_idle *idle = loop_idle_get();

    for (int i = 0; i < idle->n; i++) {
        if (idle->fds[i] == fd) {
            return true;
        }
    }
    return false;
}

/* Removes 'fd' from the 'n' descriptors in 'fds', if it is there. */
static void
fds_remove(int fds[], int *n, int fd)
{
    for (int i = 0; i < *n; i++) {
        if (fds[i] == fd) {
            fds[i] = fds[--*n];
            return;
        }
    }
}

/* Forgets 'fd', on which input may now be expected. */
static void
loop_idle_forget(int fd)
{
    struct loop_idle *idle = loop_idle_get();

    fds_remove(idle->fds, &idle->n, fd);
}

/* Returns true if 'fd' is non-blocking, asking the kernel only the first
 * time for a socket found non-blocking. */
static bool
loop_nonblocking(int fd)
{
    struct loop_idle *idle = loop_idle_get();
    int flags;

    for (int i = 0; i < idle->n_nonblocking; i++) {
        if (idle->nonblocking[i] == fd) {
            return true;
        }
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || !(flags & O_NONBLOCK)) {
        return false;
    }
    if (idle->n_nonblocking < LOOP_NONBLOCKING_MAX) {
        idle->nonblocking[idle->n_nonblocking++] = fd;
    }
    return true;
}

/* poll(), remembering the descriptors it was asked to watch for input that
 * have none. */
int
__wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    struct loop_idle *idle;
    int retval;

    retval = __real_poll(fds, n, timeout);

    idle = loop_idle_get();
    idle->n = 0;
    if (retval >= 0) {
        for (nfds_t i = 0; i < n && idle->n < LOOP_IDLE_MAX; i++) {
            if (fds[i].fd >= 0 && fds[i].events & POLLIN && !fds[i].revents) {
                idle->fds[idle->n++] = fds[i].fd;
            }
        }
    }
    return retval;
}

/* accept(): EAGAIN at once on a non-blocking listening socket the last
 * poll() found idle. */
int
__wrap_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    if (loop_idle_has(fd) && loop_nonblocking(fd)) {
        errno = EAGAIN;
        return -1;
    }
    return __real_accept(fd, addr, len);
}

/* recvmsg(): with MSG_DONTWAIT, EAGAIN at once on a socket the last poll()
 * found idle. */
ssize_t
__wrap_recvmsg(int fd, struct msghdr *msg, int flags)
{
    if (flags & MSG_DONTWAIT && loop_idle_has(fd)) {
        errno = EAGAIN;
        return -1;
    }
    return __real_recvmsg(fd, msg, flags);
}

/* send(), after which a reply may be read at once. */
ssize_t
__wrap_send(int fd, const void *data, size_t len, int flags)
{
    loop_idle_forget(fd);
    return __real_send(fd, data, len, flags);
}

/* sendmsg(), after which a reply may be read at once. */
ssize_t
__wrap_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    loop_idle_forget(fd);
    return __real_sendmsg(fd, msg, flags);
}

/* close(), after which 'fd' may be reused for anything. */
int
__wrap_close(int fd)
{
    struct loop_idle *idle = loop_idle_get();

    fds_remove(idle->fds, &idle->n, fd);
    fds_remove(idle->nonblocking, &idle->n_nonblocking, fd);
    return __real_close(fd);
}

/* Receive sockets of kernel interfaces.  OVS 3.1 reads a kernel interface
 * (a "system" port) through an af_packet socket bound to all protocols,
 * with a BPF program, attached by SO_ATTACH_FILTER, that throws away the
 * packets the interface sends; the kernel still copies the metadata of
 * every sent packet (a clone) for the socket before the filter runs.  When
 * an af_packet socket gets exactly that program, this also sets
 * PACKET_IGNORE_OUTGOING (Linux 4.20), which keeps sent packets away from
 * the socket before the clone: the socket receives the same packets, at
 * one clone per packet sent less.  On an older kernel the option is
 * refused and nothing changes. */
static bool
is_inbound_only_filter(const struct sock_fprog *prog)
{
    const struct sock_filter *f = prog->filter;

    return (prog->len == 4
            && f[0].code == (BPF_LD | BPF_H | BPF_ABS)
            && f[0].k == (uint32_t) (SKF_AD_OFF + SKF_AD_PKTTYPE)
            && f[1].code == (BPF_JMP | BPF_JEQ | BPF_K)
            && f[1].k == PACKET_OUTGOING && f[1].jt == 0 && f[1].jf == 1
            && f[2].code == (BPF_RET | BPF_K) && f[2].k == 0
            && f[3].code == (BPF_RET | BPF_K) && f[3].k != 0);
}

int
__wrap_setsockopt(int fd, int level, int name, const void *value,
                  socklen_t len)
{
    int retval = __real_setsockopt(fd, level, name, value, len);

    if (!retval && level == SOL_SOCKET && name == SO_ATTACH_FILTER
        && len == sizeof(struct sock_fprog)
        && is_inbound_only_filter(value)) {
        socklen_t domain_len = sizeof(int);
        int domain, one = 1;

        if (!getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &domain_len)
            && domain == AF_PACKET
            && __real_setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING,
                                 &one, sizeof one)) {
            VLOG_DBG("af_packet socket: PACKET_IGNORE_OUTGOING refused (%s)",
                     ovs_strerror(errno));
        }
    }
    return retval;
}
