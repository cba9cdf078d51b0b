#! /bin/bash
# TCP through a GRE-family tunnel between two "hosts", each a network
# namespace with its own ovsdb-server and ovs-vswitchd (userspace
# datapath), each with a tap "VM" (a namespace of its own) on br-int:
#
#   VM a (198.51.100.1)                          VM b (198.51.100.2)
#      | tap vm-a                                   | tap vm-b
#   host a: br-int -- tun0 ==== tunnel ==== tun0 -- br-int :host b
#           br-phy 192.0.2.1, 2001:db8::1    br-phy 192.0.2.2, 2001:db8::2
#              ul-a <----------- veth ------------> ul-b
#
# usage: ovsgre-tso.sh BUILDDIR bench [RUNS [TUNNEL]]
#          iperf3 for 10 s through gre, ip6gre, gre with csum=true, gre
#          with csum=true and seq=true, and erspan version 2 (VM MTUs
#          lowered by the tunnel's overhead), or only through TUNNEL, one
#          of "gre", "ip6gre", "gre csum", "gre csum+seq" and "erspan v2",
#          alternately with the stock ovs-vswitchd and with ovs-gre's,
#          RUNS times each (default 3); prints Gbps and CPU seconds per GB
#          (of the daemons and iperf3, and of the daemons alone), medians,
#          and the ratios.
#          With OVS 3.1 the stock daemon is Debian's (TSO off: it drops
#          TSO packets at tunnels); with 3.5, the one built from the same
#          tree as ovs-gre, with userspace TSO on (it carries TSO through
#          gre), on a plain underlay and with GRO on the underlay.
#          ovs-gre's runs with userspace TSO on, on the same underlay and
#          with GRO on the underlay veths (see underlay_gro() below),
#          which stock 3.1 cannot take.
#        ovsgre-tso.sh BUILDDIR up TYPE [OPTION=VALUE...]
#          sets the topology up and leaves it up (OVSGRE_VSWITCHD,
#          OVSGRE_TSO and OVSGRE_UNDERLAY_GRO pick the daemon, userspace
#          TSO and underlay GRO, default ovs-gre's, true and off);
#          'ovsgre-tso.sh BUILDDIR down' takes it down.
#        ovsgre-tso.sh BUILDDIR stream TYPE [OPTION=VALUE...]
#          ovs-gre's daemon with TSO on, a TYPE tunnel with the given
#          options: sends 64 MB over TCP from VM a to VM b, checks that
#          every byte arrived intact (SHA-256) and that the sending host
#          segmented TSO packets and the receiving one coalesced segments
#          (with OVSGRE_UNDERLAY_GRO=on: received aggregates).
#          With OVSGRE_UNDERLAY_MTU (default 1500) above 1500, also checks
#          that the underlay carried packets larger than 1500 bytes: the
#          segments follow the MTU of the route to the remote endpoint.
#        ovsgre-tso.sh BUILDDIR pmtu TYPE [OPTION=VALUE...]
#          ovs-gre's daemon with TSO off, a TYPE tunnel with the given
#          options and VMs with MTU 1500: VM a's 'ping -M do' with a
#          packet one byte above the tunnel MTU must fail with the ICMP
#          error and leave the tunnel MTU in VM a's route cache ('ip route
#          get'), one at the tunnel MTU must pass, and 64 MB over TCP must
#          arrive intact, without a black hole.  With mss_clamp=true among
#          the options the SYNs must have been clamped and no ICMP error
#          needed.
#        ovsgre-tso.sh BUILDDIR pmtu-path TYPE [OPTION=VALUE...]
#          as pmtu (TYPE gre), with a router between the hosts whose link
#          to host b carries OVSGRE_PATH_MTU bytes (default 1400): host a
#          must learn that path MTU from the router's ICMP error, VM a's
#          'ping -M do' must then get the lower tunnel MTU, host a's own
#          kernel must have received the error too, and 64 MB over TCP
#          must arrive intact.
#        ovsgre-tso.sh BUILDDIR keepalive TYPE [OPTION=VALUE...]
#          ovs-gre's daemon on both hosts, a TYPE tunnel tun0 (gre or
#          ip6gre) with key=1 keepalive=1 keepalive_retries=2 and the
#          given options, and a second tunnel tun1 (key 2) without
#          keepalives;
#          each VM's traffic leaves by a fast-failover group watching tun0
#          then tun1.  Checks that tun0 is up on both hosts and carries
#          the pings; that with host b's tun0 changed to another key, host
#          a's tun0 goes down within PERIOD x RETRIES + PERIOD (3 s) and
#          the pings go by tun1; that it comes back up with the key put
#          back; that with host b's ovs-vswitchd stopped it goes down in
#          time again, and comes back up once the daemon is started
#          again.  Prints each time measured.
#        ovsgre-tso.sh BUILDDIR interop TYPE [OPTION=VALUE...]
#          a TYPE tunnel with the given options between ovs-gre's daemon
#          and Debian's stock one of the same Open vSwitch version
#          (package openvswitch-switch, or OVSGRE_STOCK_VSWITCHD), each
#          way round (ours on host a, then on host b): pings both ways
#          and 64 MB over TCP each way, checked (SHA-256), with tshark
#          decoding the underlay (headers as configured, checksums
#          right, nothing malformed).  Where the stock side is known to
#          send bad packets (Open vSwitch 3.1 with csum=true and
#          seq=true: a GRE checksum that leaves out the sequence
#          number), checks instead that ovs-gre drops them as gre_csum
#          and that tshark finds their checksums wrong and ours right.
#
# Run as root.  Needs iperf3, ethtool and tc (bench), ping (pmtu,
# keepalive, interop) and python3.

set -e -o pipefail

builddir=$(cd "${1:?usage: ovsgre-tso.sh BUILDDIR bench|stream ...}" && pwd)
mode=${2:?usage: ovsgre-tso.sh BUILDDIR bench|stream ...}
shift 2

ours=$builddir/vswitchd/ovs-vswitchd

OVSGRE_NS_PREFIX=${OVSGRE_NS_PREFIX:-ovsgre-tso-}
OVSGRE_NS_RUNDIR=${OVSGRE_NS_RUNDIR:-/run/ovsgre-tso}
# shellcheck source=utilities/ovsgre-netns.sh
. "$(dirname "$0")/ovsgre-netns.sh" "$builddir"

# The stock daemon, and whether it runs with userspace TSO.  OVS 3.1 drops
# TSO packets at tunnels, so Debian 12's daemon runs without; OVS 3.5
# carries TSO through gre and ip6gre, so the daemon built from the same
# tree as ours runs with it, on a plain underlay and with GRO on it.
case $ovs_version in
3.1.*)
    stock=${OVSGRE_STOCK_VSWITCHD:-/usr/lib/openvswitch-switch/ovs-vswitchd}
    stock_tso=false
    sides=(stock ours ours+gro)
    ;;
*)
    stock=${OVSGRE_STOCK_VSWITCHD:-$ovs_builddir/vswitchd/ovs-vswitchd}
    stock_tso=true
    sides=(stock stock+gro ours ours+gro)
    ;;
esac

declare -A underlay4=([a]=192.0.2.1 [b]=192.0.2.2)
declare -A underlay6=([a]=2001:db8::1 [b]=2001:db8::2)
declare -A overlay=([a]=198.51.100.1 [b]=198.51.100.2)
declare -A peer=([a]=b [b]=a)
underlay_mtu=${OVSGRE_UNDERLAY_MTU:-1500}

server_pid=
teardown() {
    # What the hosts counted, if an interop run failed halfway.
    if [ -n "${interop_show:-}" ]; then
        for h in a b; do
            echo "== host $h" >&2
            on "$h" ovs-appctl gre/show >&2 || true
            on "$h" ovs-appctl dpif/show >&2 || true
        done
        interop_show=
    fi
    # The stream receiver, if the sender failed.
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
    if [ -n "${tshark_pid:-}" ]; then
        kill "$tshark_pid" 2>/dev/null || true
        tshark_pid=
    fi
    for h in a b vm-a vm-b rt; do
        stop_host "$h"
    done
}

# OVS's userspace datapath reads an af_packet socket per veth port, 32
# packets per poll; a TSO packet segmented on the other host arrives as a
# burst of up to 45 segments, more than the default 208 kB socket buffer
# holds.  With GRO on the underlay (below), the segments a daemon sends
# wait in the veth's queue charged to its socket's send buffer, which the
# same 208 kB would fill.  Both daemons get 4 MB defaults while this runs.
# Only a run that raised a default puts it back, so that runs side by side
# (the tests, in parallel) leave the machine's values as they were.  'up'
# saves what it raised in a file for 'down' to put back.
declare -A buf_saved=()
buf_saved_file=$OVSGRE_NS_RUNDIR.sysctl
buf_raise() {
    local k current
    for k in rmem_default wmem_default; do
        current=$(sysctl -n "net.core.$k")
        if [ "$current" -lt 4194304 ]; then
            buf_saved[$k]=$current
            sysctl -q -w "net.core.$k=4194304"
        fi
    done
}
buf_restore() {
    local k
    for k in "${!buf_saved[@]}"; do
        sysctl -q -w "net.core.$k=${buf_saved[$k]}"
    done
    buf_saved=()
}
buf_save() {
    local k
    for k in "${!buf_saved[@]}"; do
        echo "$k ${buf_saved[$k]}"
    done > "$buf_saved_file"
}
buf_load() {
    local k v
    if [ -f "$buf_saved_file" ]; then
        while read -r k v; do
            buf_saved[$k]=$v
        done < "$buf_saved_file"
        rm -f "$buf_saved_file"
    fi
}

# Turns on GRO on the underlay veth end of host $1, as a NIC has it: the
# kernel then hands ovs-vswitchd's af_packet socket one aggregate (up to
# 64 kB, with a virtio-net header saying how to segment it) for a run of
# GRE segments of one TCP connection.  A veth does GRO only in NAPI, which
# it uses only for packets its peer could not have aggregated itself (so
# TSO off on both ends); NAPI runs in a kernel thread of its own, as a
# NIC's interrupt would run on another CPU; and a queue in front of the
# veth (pfifo) holds packets while NAPI catches up instead of dropping
# them.  Stock OVS 3.1 without userspace TSO drops every aggregate ("Too
# big. GRO/TSO enabled?"), so its runs keep the veth's defaults.
underlay_gro() {
    local h=$1
    on "$h" ethtool -K "ul-$h" tso off gro on >/dev/null
    on "$h" sh -c "echo 1 > /sys/class/net/ul-$h/threaded"
    on "$h" tc qdisc replace dev "ul-$h" root pfifo limit 4000
}

# Prints the overhead in bytes that a tunnel of type $1 with options $2...
# adds in front of an inner IP packet: outer IP, GRE and its options,
# the ERSPAN header, the inner Ethernet header.
overhead() {
    local type=$1 n=0
    shift
    case $type in
    gre) n=$((20 + 4 + 14)) ;;
    ip6gre) n=$((40 + 4 + 14)) ;;
    erspan) n=$((20 + 8 + 8 + 14)) ;;
    ip6erspan) n=$((40 + 8 + 8 + 14)) ;;
    esac
    case " $* " in *" erspan_ver=2 "*) n=$((n + 4)) ;; esac
    case " $* " in *" key="*) n=$((n + 4)) ;; esac
    case " $* " in *" csum=true "*) n=$((n + 4)) ;; esac
    case " $* " in *" seq=true "*) n=$((n + 4)) ;; esac
    echo $n
}

# Sets up both hosts with ovs-vswitchd $1, userspace TSO $2 (true or
# false), GRO on the underlay $3 (on or off), a tunnel of type $4 with
# options $5...
# The daemon of host b, when it is not setup()'s (interop), and the
# underlay capture's tshark.
vswitchd_b=
tshark_pid=
interop_show=

setup() {
    local vswitchd=$1 tso=$2 gro=$3 type=$4 h remote opts mtu vsw
    shift 4
    teardown
    for h in a b; do
        add_host "$h"
        add_host "vm-$h"
    done
    if [ -n "${path_mtu:-}" ]; then
        router
    else
        ip link add ul-a netns "$(ns_of a)" type veth \
            peer name ul-b netns "$(ns_of b)"
    fi
    mtu=${vm_mtu:-$((underlay_mtu - $(overhead "$type" "$@")))}
    for h in a b; do
        ip -n "$(ns_of "$h")" link set "ul-$h" mtu "$underlay_mtu" up
        if [ -n "${path_mtu:-}" ] && [ "$h" = b ]; then
            ip -n "$(ns_of b)" link set ul-b mtu "$path_mtu"
        fi
        vsw=$vswitchd
        if [ "$h" = b ] && [ -n "$vswitchd_b" ]; then
            vsw=$vswitchd_b
        fi
        start_ovs "$h" "$vsw" "userspace-tso-enable=$tso"
        if [ "$type" = ip6gre ] || [ "$type" = ip6erspan ]; then
            remote=${underlay6[${peer[$h]}]}
        else
            remote=${underlay4[${peer[$h]}]}
        fi
        opts=()
        for o in "$@"; do
            opts+=("options:$o")
        done
        on "$h" ovs-vsctl \
            -- add-br br-phy -- set bridge br-phy datapath_type=netdev \
            -- set interface br-phy mtu_request="$underlay_mtu" \
            -- add-port br-phy "ul-$h" \
            -- add-br br-int -- set bridge br-int datapath_type=netdev \
            -- add-port br-int "vm-$h" -- set interface "vm-$h" type=tap \
            -- add-port br-int tun0 -- set interface tun0 type="$type" \
               options:remote_ip="$remote" "${opts[@]}"
        ip -n "$(ns_of "$h")" addr add "${underlay4[$h]}/24" dev br-phy
        ip -n "$(ns_of "$h")" addr add "${underlay6[$h]}/64" dev br-phy \
            nodad
        # After add-port: OVS resets the queueing discipline of a port
        # it adds.
        if [ "$gro" = on ]; then
            underlay_gro "$h"
        fi
        ip -n "$(ns_of "$h")" link set br-phy up
        ip -n "$(ns_of "$h")" link set "vm-$h" netns "$(ns_of "vm-$h")"
        ip -n "$(ns_of "vm-$h")" addr add "${overlay[$h]}/24" dev "vm-$h"
        ip -n "$(ns_of "vm-$h")" link set "vm-$h" mtu "$mtu" up
    done
    # The first packets resolve the underlay neighbours.
    for _ in $(seq 1 20); do
        if on vm-a ping -c 1 -W 1 "${overlay[b]}" >/dev/null 2>&1; then
            return 0
        fi
    done
    echo "ovsgre-tso.sh: no ping across the $type $* tunnel" >&2
    if [ "$vswitchd" = "$ours" ]; then
        on a ovs-appctl gre/show >&2 || true
    fi
    return 1
}

# Puts a router "rt" between the hosts' underlay ports, for pmtu-path:
#
#   ul-a <--> rt-a  router rt  rt-b <--> ul-b    (rt-b, ul-b: $path_mtu)
#
# The hosts keep their addresses in one /24: the router answers ARP for
# each on the other's side (proxy ARP), forwards between them and, being
# a router, sends ICMP Fragmentation Needed (from 198.51.100.254, not an
# address of the path) for a packet with DF too big for rt-b.
router() {
    local rt
    add_host rt
    rt=$(ns_of rt)
    ip link add ul-a netns "$(ns_of a)" type veth peer name rt-a netns "$rt"
    ip link add ul-b netns "$(ns_of b)" type veth peer name rt-b netns "$rt"
    ip -n "$rt" addr add 198.51.100.254/32 dev lo
    ip -n "$rt" link set rt-a mtu "$underlay_mtu" up
    ip -n "$rt" link set rt-b mtu "$path_mtu" up
    ip -n "$rt" route add "${underlay4[a]}/32" dev rt-a
    ip -n "$rt" route add "${underlay4[b]}/32" dev rt-b
    ip netns exec "$rt" sysctl -q -w net.ipv4.ip_forward=1 \
        net.ipv4.conf.rt-a.proxy_arp=1 net.ipv4.conf.rt-b.proxy_arp=1
}

# Prints the CPU time (user + system, in clock ticks) of host $1's
# ovs-vswitchd.
vswitchd_ticks() {
    local pid
    pid=$(cat "$(rundir "$1")/ovs-vswitchd.pid")
    awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

# Prints the CPU time (in clock ticks) of the kernel threads that run NAPI
# for the underlay veths, when GRO is on there (see underlay_gro()).
napi_ticks() {
    local pid t=0
    for pid in $(pgrep '^napi/ul-[ab]-' || true); do
        t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
    done
    echo $t
}

# Runs iperf3 for 10 s from VM a to VM b and prints "GBPS CPU_S_PER_GB
# VSWITCHD_CPU_S_PER_GB": CPU time per GB received of both ovs-vswitchd,
# the underlay's NAPI threads (with GRO on the underlay) and both iperf3
# processes (which is where the VMs' kernels run too), and of both
# ovs-vswitchd and the NAPI threads alone.
measure() {
    local hz v0 v1 json
    hz=$(getconf CLK_TCK)
    on vm-b iperf3 -s -1 -D -I "$(rundir vm-b)/iperf3.pid"
    wait_listen vm-b 5201
    v0=$(( $(vswitchd_ticks a) + $(vswitchd_ticks b) + $(napi_ticks) ))
    json=$(on vm-a iperf3 -c "${overlay[b]}" -t 10 -J)
    v1=$(( $(vswitchd_ticks a) + $(vswitchd_ticks b) + $(napi_ticks) ))
    echo "$json" | python3 -c '
import json, sys
hz, v = (float(x) for x in sys.argv[1:3])
end = json.load(sys.stdin)["end"]
r = end["sum_received"]
cpu = end["cpu_utilization_percent"]
gb = max(r["bytes"], 1) / 1e9
iperf = (cpu["host_total"] + cpu["remote_total"]) / 100 * r["seconds"]
print("%.3f %.3f %.3f" % (r["bits_per_second"] / 1e9,
                          (v / hz + iperf) / gb, v / hz / gb))' \
        "$hz" $((v1 - v0))
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The ways each tunnel is measured ('sides', above): the stock daemon (see
# above) on a plain underlay, and for OVS 3.5 also with GRO on the
# underlay; ovs-gre's with TSO on the same underlay, and with GRO on it as
# well.
side_args() {
    case $1 in
    stock) echo "$stock $stock_tso off" ;;
    stock+gro) echo "$stock $stock_tso on" ;;
    ours) echo "$ours true off" ;;
    ours+gro) echo "$ours true on" ;;
    esac
}

# Prints the median of field $3 of side $2 of tunnel $1 in the results.
result() {
    grep "^$1|$2|" "$results" | cut -d'|' -f4 | awk -v f="$3" '{ print $f }' \
        | median
}

bench() {
    local runs=${1:-3} only=$2 name type opts r side out c
    local configs=("gre|gre||1500" "ip6gre|ip6gre||1500"
                   "gre csum|gre|csum=true|1500"
                   "gre csum+seq|gre|csum=true seq=true|1500"
                   "erspan v2|erspan|key=1 erspan_ver=2|1500")
    if [ -n "$only" ]; then
        for c in "${configs[@]}"; do
            if [ "${c%%|*}" = "$only" ]; then
                configs=("$c")
            fi
        done
        if [ ${#configs[@]} -ne 1 ]; then
            echo "ovsgre-tso.sh: no tunnel \"$only\" in the benchmark" >&2
            exit 2
        fi
    fi
    results=$OVSGRE_NS_RUNDIR.results
    if [ ! -x "$stock" ]; then
        echo "ovsgre-tso.sh: no stock ovs-vswitchd at $stock" \
             "(apt-get install openvswitch-switch)" >&2
        exit 1
    fi
    for c in iperf3 ethtool tc; do
        command -v "$c" >/dev/null || {
            echo "ovsgre-tso.sh: $c is not installed" >&2
            exit 1
        }
    done
    rm -f "$results"
    for c in "${configs[@]}"; do
        IFS='|' read -r name type opts underlay_mtu <<<"$c"
        for r in $(seq 1 "$runs"); do
            for side in "${sides[@]}"; do
                # shellcheck disable=SC2046,SC2086
                if setup $(side_args "$side") "$type" $opts; then
                    out=$(measure) || out="0 - -"
                else
                    out="0 - -"
                fi
                echo "$name|$side|$r|$out" | tee -a "$results"
                teardown
            done
        done
    done

    echo
    printf '%-14s %-9s %8s %12s %14s\n' tunnel daemon Gbps 'CPU s/GB' \
           'vswitchd s/GB'
    for c in "${configs[@]}"; do
        IFS='|' read -r name type opts underlay_mtu <<<"$c"
        declare -A g=() m=() v=()
        for side in "${sides[@]}"; do
            g[$side]=$(result "$name" "$side" 1)
            m[$side]=$(result "$name" "$side" 2)
            v[$side]=$(result "$name" "$side" 3)
            printf '%-14s %-9s %8s %12s %14s\n' "$name" "$side" \
                   "${g[$side]}" "${m[$side]}" "${v[$side]}"
        done
        for side in ours ours+gro; do
            # Each against stock on the same underlay where there is one.
            base=stock
            if [ "$side" = ours+gro ] && [ -n "${g[stock+gro]:-}" ]; then
                base="stock+gro"
            fi
            awk -v n="$name" -v s="$side" -v b="$base" -v gs="${g[$base]}" \
                -v go="${g[$side]}" -v ms="${m[$base]}" -v mo="${m[$side]}" \
                -v vs="${v[$base]}" -v vo="${v[$side]}" 'BEGIN {
                label = s "/" b
                if (gs == 0 || go == 0) {
                    printf "%-14s %-15s  (no traffic through one side)\n",
                           n, label
                } else {
                    printf "%-14s %-15s %6.2fx %11.2fx %13.2fx\n", n,
                           label, go / gs, ms / mo, vs / vo
                }
            }'
        done
    done
    echo "(medians of $runs runs; ratios: Gbps ovs-gre / stock, CPU s/GB" \
         "stock / ovs-gre (above 1: ovs-gre spends less); CPU s/GB:" \
         "CPU seconds per GB received of both ovs-vswitchd and both" \
         "iperf3, the VMs' kernel work included; ours+gro: GRO on the" \
         "underlay veths, their NAPI threads counted with the daemons)"
}

# Sends 64 MB from VM $1 to VM $2 (default a to b) over TCP and checks
# the SHA-256 of what arrived against what was sent.
transfer() {
    local from=${1:-a} to=${2:-b} sent got
    # Both ends give up after 5 minutes, so that nothing is left waiting
    # if the other end fails.
    on "vm-$to" timeout 300 python3 -c '
import hashlib, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 5201))
s.listen(1)
c, _ = s.accept()
h = hashlib.sha256()
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    h.update(b)
open(sys.argv[1], "w").write(h.hexdigest() + "\n")' "$(rundir "vm-$to")/got" &
    server_pid=$!
    wait_listen "vm-$to" 5201
    sent=$(on "vm-$from" timeout 300 python3 -c '
import hashlib, random, socket, sys
rng = random.Random(7)
h = hashlib.sha256()
s = socket.create_connection((sys.argv[1], 5201))
for _ in range(64):
    b = rng.randbytes(1 << 20)
    h.update(b)
    s.sendall(b)
s.close()
print(h.hexdigest())' "${overlay[$to]}")
    wait "$server_pid"
    server_pid=
    got=$(cat "$(rundir "vm-$to")/got")
    echo "sent $sent"
    echo "got  $got"
    [ "$sent" = "$got" ] || { echo "transfer: bytes differ" >&2; exit 1; }
}

stream() {
    local type=${1:?stream needs a tunnel type}
    shift
    setup "$ours" true "$stream_gro" "$type" "$@"
    transfer
    on a ovs-appctl gre/show
    on b ovs-appctl gre/show
    on a ovs-appctl gre/show | grep -q 'segmented: [1-9]' || {
        echo "stream: host a segmented nothing" >&2
        exit 1
    }
    if [ "$stream_gro" = on ]; then
        on b ovs-appctl gre/show | grep -q 'received aggregates: [1-9]' || {
            echo "stream: host b received no aggregate" >&2
            exit 1
        }
    else
        on b ovs-appctl gre/show | grep -q 'coalesced: [1-9]' || {
            echo "stream: host b coalesced nothing" >&2
            exit 1
        }
    fi
    if [ "$underlay_mtu" -gt 1500 ]; then
        local avg
        # shellcheck disable=SC2016
        avg=$(on b sh -c 'd=/sys/class/net/ul-b/statistics
                          b=$(cat $d/rx_bytes) p=$(cat $d/rx_packets)
                          echo $((b / p))')
        echo "underlay: $avg bytes per packet on average"
        [ "$avg" -gt 1500 ] || {
            echo "stream: segments not sized for the $underlay_mtu-byte" \
                 "underlay" >&2
            exit 1
        }
    fi
    echo "stream: 64 MB intact through $type"
}

# Checks, for mode $1, that VM a's 'ping -M do' one byte over tunnel MTU
# $2, which printed $3, got an ICMP error with that MTU and left it in VM
# a's route cache, and that a packet at the tunnel MTU passes.  Then
# clears the route cache: a new connection starts from the MTU it learned,
# and the transfer after has to learn it again.
vm_got_mtu() {
    local mode=$1 tmtu=$2 out=$3
    echo "$out" | grep -q -e "mtu = $tmtu" -e "mtu=$tmtu" || {
        echo "$mode: no ICMP error with MTU $tmtu for a packet too big" >&2
        exit 1
    }
    out=$(on vm-a ip route get "${overlay[b]}")
    echo "$out"
    echo "$out" | grep -q "mtu $tmtu" || {
        echo "$mode: VM a's route cache does not have MTU $tmtu" >&2
        exit 1
    }
    on vm-a ping -M "do" -c 1 -W 2 -s $((tmtu - 28)) "${overlay[b]}" \
        >/dev/null || {
        echo "$mode: a packet at the tunnel MTU did not pass" >&2
        exit 1
    }
    on vm-a ip route flush cache
}

# Path MTU discovery across a TYPE $1 tunnel with options $2...: see the
# usage above.
pmtu() {
    local type=${1:?pmtu needs a tunnel type} tmtu out clamp=false
    shift
    case " $* " in *" mss_clamp=true "*) clamp=true ;; esac
    tmtu=$((underlay_mtu - $(overhead "$type" "$@")))
    vm_mtu=1500
    setup "$ours" false off "$type" "$@"

    if [ "$clamp" = false ]; then
        out=$(on vm-a ping -M "do" -c 2 -i 0.5 -W 1 -s $((tmtu + 1 - 28)) \
                  "${overlay[b]}" 2>&1 || true)
        echo "$out"
        vm_got_mtu pmtu "$tmtu" "$out"
    fi

    transfer
    on a ovs-appctl gre/show
    on b ovs-appctl gre/show
    if [ "$clamp" = true ]; then
        on a ovs-appctl gre/show tun0 | grep -q 'mss_clamped=[1-9]' || {
            echo "pmtu: host a clamped no SYN" >&2
            exit 1
        }
        if on a ovs-appctl gre/show tun0 | grep -q 'icmp_too_big='; then
            echo "pmtu: ICMP errors despite mss_clamp" >&2
            exit 1
        fi
    else
        on a ovs-appctl gre/show tun0 | grep -q 'icmp_too_big=[1-9]' || {
            echo "pmtu: host a sent no ICMP error" >&2
            exit 1
        }
    fi
    echo "pmtu: 64 MB intact through $type${1:+ $*}"
}

# Path MTU learned from the underlay across a TYPE $1 gre tunnel with
# options $2...: see the usage above.
pmtu_path() {
    local type=${1:?pmtu-path needs a tunnel type} tmtu out
    shift
    path_mtu=${OVSGRE_PATH_MTU:-1400}
    tmtu=$((path_mtu - $(overhead "$type" "$@")))
    vm_mtu=1500
    setup "$ours" false off "$type" "$@"

    # The first packet too big for the path is lost on the way, and the
    # router's ICMP error teaches host a the path MTU; the next gets
    # host a's ICMP error with the tunnel MTU that leaves.
    out=$(on vm-a ping -M "do" -c 4 -i 0.5 -W 1 \
              -s $((underlay_mtu - $(overhead "$type" "$@") - 28)) \
              "${overlay[b]}" 2>&1 || true)
    echo "$out"
    on a ovs-appctl gre/show tun0
    on a ovs-appctl gre/show tun0 | grep -q "path $path_mtu learned" || {
        echo "pmtu-path: host a learned no path MTU of $path_mtu" >&2
        exit 1
    }
    vm_got_mtu pmtu-path "$tmtu" "$out"
    # The host's kernel got the router's error too, as it would without
    # ovs-gre (for its own traffic from that address).
    # shellcheck disable=SC2016
    out=$(on a awk '/^Icmp:/ { if (!n++) split($0, k); else split($0, v) }
                    END { for (i in k) if (k[i] == "InDestUnreachs")
                              print v[i] }' /proc/net/snmp)
    echo "host a's kernel: $out ICMP Destination Unreachable received"
    [ "$out" -ge 1 ] || {
        echo "pmtu-path: host a's kernel did not get the ICMP error" >&2
        exit 1
    }
    transfer
    echo "pmtu-path: 64 MB intact through $type${1:+ $*} over a" \
         "$path_mtu-byte path"
}

# Prints host $1's Interface $2 link_state.
link_state() {
    on "$1" ovs-vsctl get interface "$2" link_state
}

# Waits until host $1's tun0 is $2, at most $3 seconds (with tenths)
# from the time $4 (date +%s%N, default now), and prints how long after
# that it happened, in seconds; fails if it did not.
wait_state() {
    local h=$1 want=$2 limit=$3 start=${4:-$(date +%s%N)} now
    while :; do
        if [ "$(link_state "$h" tun0)" = "$want" ]; then
            now=$(date +%s%N)
            awk -v ns=$((now - start)) 'BEGIN { printf "%.1f\n", ns / 1e9 }'
            return 0
        fi
        now=$(date +%s%N)
        if [ $(((now - start) / 100000000)) -gt "$(echo "$limit" |
                                                  tr -d .)" ]; then
            echo "keepalive: host $h's tun0 not $want after $limit s" >&2
            local x
            for x in a b; do
                echo "== host $x" >&2
                on "$x" ovs-appctl gre/show >&2 || true
                on "$x" ovs-appctl dpctl/dump-flows >&2 || true
                tail -20 "$(rundir "$x")/ovs-vswitchd.log" >&2 || true
            done
            return 1
        fi
        sleep 0.1
    done
}

# Pings VM b from VM a, and checks which of host a's tunnels carried it:
# the OpenFlow port $1's transmit counter must grow.
ping_by() {
    local port=$1 before after
    before=$(on a ovs-vsctl get interface "$port" statistics:tx_packets)
    on vm-a ping -c 3 -i 0.2 -W 1 "${overlay[b]}" >/dev/null || {
        echo "keepalive: no ping from VM a to VM b by $port" >&2
        return 1
    }
    # Statistics reach OVSDB every 5 seconds at the most.
    for _ in $(seq 1 60); do
        after=$(on a ovs-vsctl get interface "$port" statistics:tx_packets)
        [ "$after" -gt "$before" ] && return 0
        sleep 0.1
    done
    echo "keepalive: the pings did not leave host a by $port" >&2
    return 1
}

# Keepalives and failover between two ovs-gre daemons: see the usage
# above.
keepalive() {
    local type=${1:?keepalive needs a tunnel type} h remote t t0 dir
    local limit=3.5
    local buckets=bucket=watch_port:tun0,output:tun0
    buckets=$buckets,bucket=watch_port:tun1,output:tun1
    shift
    setup "$ours" false off "$type" key=1 keepalive=1 keepalive_retries=2 \
          "$@"
    for h in a b; do
        if [ "$type" = ip6gre ]; then
            remote=${underlay6[${peer[$h]}]}
        else
            remote=${underlay4[${peer[$h]}]}
        fi
        on "$h" ovs-vsctl \
            -- add-port br-int tun1 -- set interface tun1 type="$type" \
               options:remote_ip="$remote" options:key=2 ofport_request=3
        on "$h" ovs-ofctl -O OpenFlow13 add-group br-int \
            "group_id=1,type=ff,$buckets"
        on "$h" ovs-ofctl -O OpenFlow13 replace-flows br-int - <<FLOWS
in_port=vm-$h,actions=group:1
in_port=tun0,actions=output:vm-$h
in_port=tun1,actions=output:vm-$h
FLOWS
    done

    for h in a b; do
        t=$(wait_state "$h" up 5)
        echo "host $h: tun0 up"
    done
    ping_by tun0
    echo "pings by tun0"

    # Host b stops answering on tun0: its tun0 takes another key.
    t0=$(date +%s%N)
    on b ovs-vsctl set interface tun0 options:key=99
    t=$(wait_state a down "$limit" "$t0")
    echo "host b's tun0 on another key: host a's tun0 down in $t s"
    on a ovs-ofctl show br-int | grep -A2 '(tun0)' | grep -q LINK_DOWN || {
        echo "keepalive: OpenFlow port tun0 not LINK_DOWN" >&2
        return 1
    }
    on a ovs-vsctl get interface tun0 status:keepalive_state |
        grep -qx down
    t=$(wait_state b down "$limit")
    ping_by tun1
    echo "pings by tun1 (fast failover)"
    t0=$(date +%s%N)
    on b ovs-vsctl set interface tun0 options:key=1
    t=$(wait_state a up 5 "$t0")
    echo "key put back: host a's tun0 up in $t s"
    t=$(wait_state b up 5)
    ping_by tun0
    echo "pings by tun0 again"

    # Host b's daemon stops.
    dir=$(rundir b)
    t0=$(date +%s%N)
    stop_pidfile "$dir/ovs-vswitchd.pid"
    t=$(wait_state a down "$limit" "$t0")
    echo "host b's ovs-vswitchd stopped: host a's tun0 down in $t s"
    t0=$(date +%s%N)
    on b "$ours" "unix:$dir/db.sock" --detach --no-chdir \
        --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" \
        -vconsole:off
    t=$(wait_state a up 10 "$t0")
    echo "host b's ovs-vswitchd started again: host a's tun0 up in $t s"
    grep -c 'tun0: keepalive: tunnel down' "$(rundir a)/ovs-vswitchd.log" |
        sed 's/^/host a logged tunnel down /'
    on a ovs-appctl gre/show tun0
    echo "keepalive: $type${1:+ $*} goes down and up in time, and fails over"
}

# Prints the value of option $1 among the OPTION=VALUE arguments after $2,
# or $2 if it is not there: opt NAME DEFAULT "$@".
opt() {
    local name=$1 default=$2 kv
    shift 2
    for kv in "$@"; do
        if [ "${kv%%=*}" = "$name" ]; then
            echo "${kv#*=}"
            return
        fi
    done
    echo "$default"
}

# Writes tshark's booleans as 0 and 1 (tshark 4.0 prints them so, 4.4 as
# False and True).
bools() {
    sed -e 's/False/0/g' -e 's/True/1/g'
}

# Checks with tshark the GRE packets of the capture $1, of a TYPE $2
# tunnel with options $3...: every header as configured, every IPv4 and
# GRE checksum right, no malformed packet and no error-level expert item
# outside TCP's own analysis.  Prints what it found.
decode_check() {
    local cap=$1 type=$2 n bad want key csum seq
    shift 2
    key=$(opt key 0 "$@")
    csum=$(opt csum false "$@")
    seq=$(opt seq false "$@")
    n=$(tshark -r "$cap" -Y gre 2>/dev/null | wc -l)
    [ "$n" -gt 0 ] || { echo "decode: no GRE packet captured" >&2; return 1; }
    case $type in
    gre|ip6gre)
        want="$([ "$csum" = true ] && echo 1 || echo 0)"
        want="$want $([ "$seq" = true ] && echo 1 || echo 0)"
        want="$want $(printf '0x%08x' "$key")"
        bad=$(tshark -r "$cap" -Y gre -T fields -e gre.flags.checksum \
                  -e gre.flags.sequence_number -e gre.key 2>/dev/null |
              bools | awk -v w="$want" '$1 " " $2 " " $3 != w' | wc -l)
        ;;
    *)
        local ver idx dir hwid
        ver=$(opt erspan_ver 1 "$@")
        idx=$(opt erspan_idx 0 "$@")
        dir=$(opt erspan_dir 0 "$@")
        hwid=$(opt erspan_hwid 0 "$@")
        if [ "$ver" = 1 ]; then
            want="1 $key $((idx))"
            bad=$(tshark -r "$cap" -Y gre -T fields -e erspan.version \
                      -e erspan.spanid -e erspan.index 2>/dev/null | bools |
                  awk -v w="$want" '$1 " " $2 " " $3 != w' | wc -l)
        else
            want="2 $key $dir $((hwid))"
            bad=$(tshark -r "$cap" -Y gre -T fields -e erspan.version \
                      -e erspan.spanid -e erspan.direction -e erspan.hw \
                      2>/dev/null | bools |
                  awk -v w="$want" '$1 " " $2 " " $3 " " $4 != w' | wc -l)
        fi
        ;;
    esac
    [ "$bad" = 0 ] || {
        echo "decode: $bad of $n GRE packets not as configured ($want)" >&2
        return 1
    }
    bad=$(tshark -r "$cap" -o ip.check_checksum:TRUE \
              -Y 'ip.checksum.status == 0' 2>/dev/null | wc -l)
    [ "$bad" = 0 ] || {
        echo "decode: $bad packets with a wrong IPv4 checksum" >&2
        return 1
    }
    bad=$(tshark -r "$cap" -Y 'gre.checksum.status == 0' 2>/dev/null |
          wc -l)
    [ "$bad" = 0 ] || {
        echo "decode: $bad packets with a wrong GRE checksum" >&2
        return 1
    }
    # Error-level expert items (PI_ERROR, 0x00600000 and up), except
    # those of TCP's own analysis of retransmissions (its analysis flags,
    # and the duplicate SACKs that report a segment received twice).  The
    # transfer's random bytes are data: tshark's heuristic dissectors
    # would take some segments for an application protocol (Thrift).
    local errors='_ws.malformed || (_ws.expert.severity >= 0x00600000'
    errors="$errors && !tcp.analysis.flags && !tcp.options.sack.dsack)"
    bad=$(tshark -r "$cap" -o ip.check_checksum:TRUE \
              -d tcp.port==5201,data -Y "$errors" 2>/dev/null | wc -l)
    [ "$bad" = 0 ] || {
        echo "decode: $bad packets malformed or with an error:" >&2
        tshark -r "$cap" -o ip.check_checksum:TRUE -d tcp.port==5201,data \
            -Y "$errors" -T fields -e frame.number -e _ws.expert.severity \
            -e _ws.expert.message 2>/dev/null >&2 || true
        return 1
    }
    echo "decode: $n GRE packets as configured ($want), checksums right"
}

# Starts capturing host a's underlay port into the file $1 with tshark,
# which stops by itself as the remaining arguments say (-c N, -a
# duration:N); its pid is in $tshark_pid.  Returns once the capture runs.
start_capture() {
    local cap=$1
    shift
    rm -f "$cap"
    on a tshark -q -i ul-a "$@" -w "$cap" >/dev/null 2>&1 &
    tshark_pid=$!
    for _ in $(seq 1 100); do
        [ -s "$cap" ] && return 0
        sleep 0.1
    done
    echo "interop: tshark did not start capturing" >&2
    return 1
}

# Checks with tshark, in the capture $1, that every GRE packet from $2
# (the stock side) has a wrong GRE checksum (with $4 "tcp": every one
# carrying TCP, and no other) and every one from $3 (ovs-gre) a right one,
# and prints the counts.
fault_check() {
    local cap=$1 stock_ip=$2 ours_ip=$3 only=${4:-} n_bad n_stock n_ours
    local n_good sel="gre && ip.src == $stock_ip"
    if [ "$only" = tcp ]; then
        sel="$sel && tcp"
        n_good=$(tshark -r "$cap" -Y "gre.checksum.status == 0 &&
                                      ip.src == $stock_ip && !tcp" \
                     2>/dev/null | wc -l)
        [ "$n_good" = 0 ] || {
            echo "decode: $n_good of the stock side's packets other than" \
                 "TCP with a wrong GRE checksum" >&2
            return 1
        }
    fi
    n_stock=$(tshark -r "$cap" -Y "$sel" 2>/dev/null | wc -l)
    n_bad=$(tshark -r "$cap" -Y "$sel && gre.checksum.status == 0" \
                2>/dev/null | wc -l)
    n_ours=$(tshark -r "$cap" -Y "gre && ip.src == $ours_ip" 2>/dev/null |
             wc -l)
    n_good=$(tshark -r "$cap" -Y \
                 "gre.checksum.status == 1 && ip.src == $ours_ip" \
                 2>/dev/null | wc -l)
    echo "decode: $n_bad of the stock side's $n_stock GRE packets with a" \
         "wrong GRE checksum, $n_good of ovs-gre's $n_ours right"
    if [ "$n_stock" = 0 ] || [ "$n_bad" != "$n_stock" ] ||
       [ "$n_good" != "$n_ours" ]; then
        echo "decode: not the known fault of the stock side" >&2
        return 1
    fi
}

# Opens a TCP connection from VM $1 to the other VM and sends a little
# through it, giving up after 3 seconds.  Returns 0 if it arrived.
tcp_probe() {
    local from=$1 to rc=0
    to=${peer[$from]}
    on "vm-$to" timeout 5 python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 5202))
s.listen(1)
c, _ = s.accept()
c.recv(100)' &
    local server=$!
    wait_listen "vm-$to" 5202
    on "vm-$from" timeout 4 python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 5202), timeout=3)
s.sendall(b"probe")' "${overlay[$to]}" 2>/dev/null || rc=1
    wait "$server" 2>/dev/null || rc=1
    return $rc
}

# Prints the drop counter $2 of host $1's tun0, or 0.
drop_count() {
    local n
    n=$(on "$1" ovs-appctl gre/show tun0 | grep -o " $2=[0-9]*" |
            cut -d= -f2 || true)
    echo "${n:-0}"
}

# ovs-gre against the stock daemon: see the usage above.
interop() {
    local type=${1:?interop needs a tunnel type} order ours_h stock_h a_d
    local csum='' csum_seq='' before after cap
    shift
    local stock_d=/usr/lib/openvswitch-switch/ovs-vswitchd
    stock_d=${OVSGRE_STOCK_VSWITCHD:-$stock_d}
    [ -x "$stock_d" ] || {
        echo "interop: no stock daemon $stock_d (apt-get install" \
             "openvswitch-switch)" >&2
        exit 1
    }
    if [[ " $* " == *" csum=true "* ]]; then
        csum=yes
        if [[ " $* " == *" seq=true "* ]]; then
            csum_seq=yes
        fi
    fi
    for order in ours-stock stock-ours; do
        if [ "$order" = ours-stock ]; then
            ours_h=a stock_h=b vswitchd_b=$stock_d a_d=$ours
        else
            ours_h=b stock_h=a vswitchd_b=$ours a_d=$stock_d
        fi
        if setup "$a_d" false off "$type" "$@"; then
            if [[ -n $csum_seq && $ovs_version == 3.1.* ]]; then
                echo "interop: pings crossed despite Open vSwitch 3.1's" \
                     "bad checksums with csum and seq" >&2
                exit 1
            fi
        elif [ -n "$csum_seq" ]; then
            # The stock side's known fault: a GRE checksum that leaves out
            # the sequence number (Open vSwitch 3.1).  ovs-gre must drop
            # its packets as gre_csum, and tshark must find their
            # checksums wrong and ovs-gre's right.
            before=$(drop_count "$ours_h" gre_csum)
            cap=$(rundir a)/underlay.pcap
            start_capture "$cap" -a duration:5
            on "vm-$stock_h" ping -c 3 -i 0.2 -W 1 \
                "${overlay[$ours_h]}" >/dev/null 2>&1 || true
            on "vm-$ours_h" ping -c 3 -i 0.2 -W 1 \
                "${overlay[$stock_h]}" >/dev/null 2>&1 || true
            wait "$tshark_pid" || true
            after=$(drop_count "$ours_h" gre_csum)
            fault_check "$cap" "${underlay4[$stock_h]}" \
                "${underlay4[$ours_h]}"
            [ "$after" -gt "$before" ] || {
                echo "interop: ovs-gre did not count the stock side's" \
                     "packets as gre_csum" >&2
                on "$ours_h" ovs-appctl gre/show tun0 >&2
                exit 1
            }
            echo "interop: $type $* ($order): the stock side's packets" \
                 "dropped as gre_csum ($after)"
            continue
        else
            exit 1
        fi
        if [[ -n $csum && -z $csum_seq ]] && ! tcp_probe "$stock_h"; then
            # Open vSwitch 3.5's fault: with csum=true, the GRE checksum
            # of a TCP packet whose checksum the sending VM left to the
            # port is wrong.  Pings cross; TCP from the stock side does
            # not.
            before=$(drop_count "$ours_h" gre_csum)
            cap=$(rundir a)/underlay.pcap
            start_capture "$cap" -a duration:6
            tcp_probe "$stock_h" || true
            wait "$tshark_pid" || true
            after=$(drop_count "$ours_h" gre_csum)
            fault_check "$cap" "${underlay4[$stock_h]}" \
                "${underlay4[$ours_h]}" tcp
            [ "$after" -gt "$before" ] || {
                echo "interop: ovs-gre did not count the stock side's" \
                     "TCP packets as gre_csum" >&2
                exit 1
            }
            echo "interop: $type $* ($order): pings both ways; the stock" \
                 "side's TCP packets dropped as gre_csum ($after)"
            continue
        fi
        cap=$(rundir a)/underlay.pcap
        start_capture "$cap" -c 2000 -a duration:120
        interop_show=yes
        on vm-a ping -c 3 -i 0.2 -W 1 "${overlay[b]}" >/dev/null
        on vm-b ping -c 3 -i 0.2 -W 1 "${overlay[a]}" >/dev/null
        transfer a b
        transfer b a
        interop_show=
        wait "$tshark_pid" || true
        decode_check "$cap" "$type" "$@"
        on "$ours_h" ovs-appctl gre/show tun0
        echo "interop: $type${1:+ $*} ($order): pings both ways, 64 MB" \
             "each way intact"
    done
    vswitchd_b=
}

if [ "$(id -u)" != 0 ]; then
    echo "ovsgre-tso.sh: run as root (namespaces, veth, tap)" >&2
    exit 1
fi
stream_gro=${OVSGRE_UNDERLAY_GRO:-off}
trap 'teardown; buf_restore' EXIT
case $mode in
up)
    # Leaves the topology up for a manual look ('down' removes it).
    trap - EXIT
    buf_raise
    buf_save
    setup "${OVSGRE_VSWITCHD:-$ours}" "${OVSGRE_TSO:-true}" \
          "${OVSGRE_UNDERLAY_GRO:-off}" "$@"
    ;;
down)
    # The EXIT trap tears the topology down and puts back what 'up'
    # raised.
    buf_load
    ;;
bench) buf_raise; bench "$@" ;;
stream) buf_raise; stream "$@" ;;
pmtu) buf_raise; pmtu "$@" ;;
pmtu-path) buf_raise; pmtu_path "$@" ;;
keepalive) buf_raise; keepalive "$@" ;;
interop) buf_raise; interop "$@" ;;
*) echo "ovsgre-tso.sh: unknown mode $mode" >&2; exit 2 ;;
esac
