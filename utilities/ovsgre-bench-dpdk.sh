#! /bin/bash
# Packets per second and cycles per packet of one PMD thread, ovs-gre's
# ovs-vswitchd against Debian's OVS-DPDK daemon, on DPDK virtual devices
# (no NIC):
#
#   plain: net_null source -> br-int (in_port=1,actions=2) -> net_null sink
#   encap: net_null source -> br-int -> tunnel -> br-phy -> net_null sink
#   decap: net_pcap replaying outer frames forever (infinite_rx=1) ->
#          br-phy -> LOCAL, tnl_pop -> br-int -> net_null sink
#   tcp:   iperf3 from VM a to VM b, two namespaces whose kernel
#          interfaces are net_tap ports of the same daemon, through a
#          gre tunnel each way (see setup_tcp below)
#
# br-phy has 192.0.2.1/24 and 2001:db8::1/64, the remote endpoint is
# 192.0.2.2 / 2001:db8::2 (its MAC set with tnl/neigh/set).  SIZE is the
# frame on br-int (what net_null sends, or what the tunnel carries); the
# sink's MTU is raised to 1600 so that a 1500-byte frame with its outer
# headers still leaves.  One PMD thread (core 1) polls every port; the
# main thread is on core 0.
#
# Each measurement starts one daemon with its own ovsdb-server, waits
# WARMUP seconds, clears the PMD statistics and reads them SECONDS later
# (dpif-netdev/pmd-stats-show): Mpps is the packets the sink sent over
# the time between the two (at least 99% of those the PMD received, or
# the run fails), cycles per packet the PMD's "avg processing cycles per
# packet" (both passes, for decap).  The daemons alternate, RUNS
# times each; the table shows medians, the range, and ours/stock.  The
# tcp row runs iperf3 for TCP_SECONDS (default 10) instead and shows
# Gbit/s; the stock daemon runs it with userspace TSO off on OVS 3.1
# (which drops TSO packets at tunnels) and on on 3.5, ours with it off
# (OVSGRE_BENCH_TCP_TSO=true: on; see ours_tso below).
#
# usage: ovsgre-bench-dpdk.sh BUILDDIR [RUNS [SECONDS [ROW-REGEX]]]
#
# BUILDDIR is an ovs-gre build directory configured --with-dpdk.  The
# stock daemon is Debian's openvswitch-switch-dpdk
# (/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk) unless
# OVSGRE_STOCK_VSWITCHD names another.  ROW-REGEX (grep -E) picks rows of
# "MODE TUNNEL SIZE", e.g. 'encap gre key 64'.  Run as root; it adds
# 300 2 MiB hugepages and gives them back.

set -e -o pipefail

usage="usage: ovsgre-bench-dpdk.sh BUILDDIR [RUNS [SECONDS [ROW-REGEX]]]"
builddir=$(cd "${1:?$usage}" && pwd)
runs=${2:-5}
seconds=${3:-3}
only=${4:-.}
warmup=${OVSGRE_BENCH_WARMUP:-1}

ours=$builddir/vswitchd/ovs-vswitchd
stock=${OVSGRE_STOCK_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
pages=300

OVSGRE_NS_PREFIX=ovsgre-bench-
OVSGRE_NS_RUNDIR=/run/ovsgre-bench-dpdk
# shellcheck source=utilities/ovsgre-netns.sh
. "$(dirname "$0")/ovsgre-netns.sh" "$builddir"
dir=$(rundir pmd)

for f in "$ours" "$stock"; do
    if [ ! -x "$f" ]; then
        echo "ovsgre-bench-dpdk.sh: $f is missing" >&2
        exit 1
    fi
done
if [ "$(id -u)" != 0 ]; then
    echo "ovsgre-bench-dpdk.sh: run as root" >&2
    exit 1
fi
if ! grep -q '^OVSGRE_DPDK = yes' "$builddir/Makefile"; then
    echo "ovsgre-bench-dpdk.sh: $builddir is not configured --with-dpdk" >&2
    exit 1
fi

# The rows: MODE [TUNNEL-NAME], and the tunnels' types and options.
rows=(
    "plain"
    "encap gre key"
    "encap gre key+csum+seq"
    "encap erspan v2"
    "encap ip6gre"
    "decap gre key"
    "decap gre key+csum+seq"
    "decap erspan v2"
    "decap ip6gre"
    "tcp gre"
)
declare -A tunnel=(
    ["gre key"]="type=gre options:remote_ip=192.0.2.2 options:key=1"
    ["gre key+csum+seq"]="type=gre options:remote_ip=192.0.2.2 options:key=1
        options:csum=true options:seq=true"
    ["erspan v2"]="type=erspan options:remote_ip=192.0.2.2 options:key=1
        options:erspan_ver=2 options:erspan_dir=1 options:erspan_hwid=7"
    ["ip6gre"]="type=ip6gre options:remote_ip=2001:db8::2"
)
sizes=(64 1500)

hugepages_before=
cleanup() {
    stop_tcp
    if mountpoint -q "$dir.huge" 2>/dev/null; then
        umount "$dir.huge"
    fi
    rmdir "$dir.huge" 2>/dev/null || true
    rm -rf "$OVSGRE_NS_RUNDIR/stock"
    if [ -n "$hugepages_before" ]; then
        echo "$hugepages_before" > /proc/sys/vm/nr_hugepages
    fi
}
trap cleanup EXIT

stop_host pmd
# Run under the name ovs-vswitchd (as Debian's alternatives link does), so
# that its control socket is where ovs-appctl looks.
mkdir -p "$OVSGRE_NS_RUNDIR/stock"
ln -sf "$stock" "$OVSGRE_NS_RUNDIR/stock/ovs-vswitchd"
stock_path=$stock
stock=$OVSGRE_NS_RUNDIR/stock/ovs-vswitchd
hugepages_before=$(cat /proc/sys/vm/nr_hugepages)
echo $((hugepages_before + pages)) > /proc/sys/vm/nr_hugepages
mkdir -p "$dir.huge"
mount -t hugetlbfs -o pagesize=2M none "$dir.huge"

# Writes into $3 a pcap of 32 outer frames of tunnel $1 (from 192.0.2.2
# or 2001:db8::2 to br-phy) carrying a $2-byte UDP/IPv4 frame each, with
# sequence numbers 1 to 32 where the tunnel has them.
write_pcap() {
    python3 - "$1" "$2" "$3" <<'EOF'
import socket
import struct
import sys

name, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def inner():
    # f8:bc:12:44:34:b6 -> aa:55:aa:55:00:01, 198.51.100.1 -> .2, UDP.
    eth = bytes.fromhex("aa55aa550001f8bc124434b60800")
    udp_len = size - 14 - 20
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, udp_len + 20, 0, 0, 64, 17,
                     0, socket.inet_aton("198.51.100.1"),
                     socket.inet_aton("198.51.100.2"))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 1000, 2000, udp_len, 0)
    return eth + ip + udp + bytes(udp_len - 8)


def frame(seq):
    payload = inner()
    if name == "gre key":
        gre = struct.pack("!HHI", 0x2000, 0x6558, 1)
    elif name == "gre key+csum+seq":
        gre = struct.pack("!HHHHII", 0xb000, 0x6558, 0, 0, 1, seq)
        c = csum(gre + payload)
        gre = gre[:4] + struct.pack("!H", c) + gre[6:]
    elif name == "erspan v2":
        # GRE with a sequence number, then ERSPAN type III: version 2,
        # session 1, timestamp, hardware id 7, direction 1.
        gre = struct.pack("!HHI", 0x1000, 0x22eb, seq)
        gre += struct.pack("!HHIHH", 0x2000, 1, 0, 0, (7 << 4) | (1 << 3))
    elif name == "ip6gre":
        gre = struct.pack("!HH", 0, 0x6558)
    if name == "ip6gre":
        outer = struct.pack("!IHBB16s16s", 6 << 28, len(gre + payload), 47,
                            64, socket.inet_pton(socket.AF_INET6,
                                                 "2001:db8::2"),
                            socket.inet_pton(socket.AF_INET6,
                                             "2001:db8::1"))
        eth = bytes.fromhex("aa55aa550000f8bc124434b686dd")
    else:
        outer = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(gre + payload),
                            0, 0x4000, 64, 47, 0,
                            socket.inet_aton("192.0.2.2"),
                            socket.inet_aton("192.0.2.1"))
        outer = outer[:10] + struct.pack("!H", csum(outer)) + outer[12:]
        eth = bytes.fromhex("aa55aa550000f8bc124434b60800")
    return eth + outer + gre + payload


with open(path, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for seq in range(1, 33):
        data = frame(seq)
        f.write(struct.pack("<IIII", 0, 0, len(data), len(data)) + data)
EOF
}

# Starts daemon $1 in host "pmd" and sets up the row MODE=$2 TUNNEL=$3
# SIZE=$4.
setup() {
    local vswitchd=$1 mode=$2 name=$3 size=$4
    add_host pmd
    start_ovs pmd "$vswitchd" dpdk-init=true dpdk-socket-mem=512 \
        dpdk-socket-limit=512 dpdk-lcore-mask=0x1 pmd-cpu-mask=0x2 \
        "dpdk-extra=--file-prefix=ovsgre-bench --huge-dir=$dir.huge
         --huge-unlink --no-pci --log-level=pmd.*:error"
    on pmd ovs-vsctl --timeout=30 \
        -- add-br br-int -- set bridge br-int datapath_type=netdev \
        -- add-br br-phy -- set bridge br-phy datapath_type=netdev \
             other_config:hwaddr=aa:55:aa:55:00:00
    case $mode in
    plain|encap)
        # The sink is on br-int for plain forwarding, on br-phy for encap.
        local sink_br=br-phy sink_ofport=1
        if [ "$mode" = plain ]; then
            sink_br=br-int
            sink_ofport=2
        fi
        on pmd ovs-vsctl --timeout=30 \
            -- add-port br-int src -- set Interface src type=dpdk \
                 ofport_request=1 \
                 "options:dpdk-devargs=net_null0,size=$size,copy=0" \
            -- add-port $sink_br sink -- set Interface sink type=dpdk \
                 ofport_request=$sink_ofport mtu_request=1600 \
                 options:dpdk-devargs=net_null1,no-rx=1
        ;;
    decap)
        write_pcap "$name" "$size" "$dir/outer.pcap"
        on pmd ovs-vsctl --timeout=30 \
            -- add-port br-phy src -- set Interface src type=dpdk \
                 ofport_request=1 mtu_request=1600 \
                 "options:dpdk-devargs=net_pcap0,rx_pcap=$dir/outer.pcap,infinite_rx=1" \
            -- add-port br-int sink -- set Interface sink type=dpdk \
                 ofport_request=1 options:dpdk-devargs=net_null1,no-rx=1
        ;;
    esac
    if [ "$mode" != plain ]; then
        # shellcheck disable=SC2086
        on pmd ovs-vsctl --timeout=30 add-port br-int t1 \
            -- set Interface t1 ofport_request=2 ${tunnel[$name]}
        on pmd ip addr add 192.0.2.1/24 dev br-phy
        on pmd ip addr add 2001:db8::1/64 dev br-phy nodad
        on pmd ip link set br-phy up
        on pmd ovs-appctl ovs/route/add 192.0.2.0/24 br-phy > /dev/null
        on pmd ovs-appctl ovs/route/add 2001:db8::/64 br-phy > /dev/null
        for ip in 192.0.2.2 2001:db8::2; do
            on pmd ovs-appctl tnl/neigh/set br-phy $ip f8:bc:12:44:34:b6 \
                > /dev/null
        done
        on pmd ovs-ofctl del-flows br-phy
        on pmd ovs-ofctl add-flow br-phy in_port=LOCAL,actions=1
        on pmd ovs-ofctl add-flow br-phy in_port=1,actions=LOCAL
    fi
    on pmd ovs-ofctl del-flows br-int
    case $mode in
    plain|encap) on pmd ovs-ofctl add-flow br-int in_port=1,actions=2 ;;
    decap) on pmd ovs-ofctl add-flow br-int in_port=2,actions=1 ;;
    esac
}

# The tcp row: one daemon carries both ends of a gre tunnel.
#
#   VM a 198.51.100.1                          VM b 198.51.100.2
#     | kernel tap-a                             | kernel tap-b
#   net_tap0 -- int-a -- t-a ==== gre ==== t-b -- int-b -- net_tap1
#               phy-a 192.0.2.1 -- patch -- phy-b 192.0.2.2
#
# The bridges are of the dummy datapath type (the userspace datapath
# under another name, from --enable-dummy), so that netdev-dummy gives
# the two underlay bridges their addresses, outside the kernel.  Each tunnel marks its packets (egress_pkt_mark) and finds its
# route among the routes for that mark, since an address of the daemon
# has a local route (OVS 3.5 adds them for netdev-dummy's addresses too)
# that outranks any other.  The VMs' MTU leaves room for the tunnel's 38
# bytes.
declare -A tcp_vm=([a]=198.51.100.1 [b]=198.51.100.2)
declare -A tcp_ul=([a]=192.0.2.1 [b]=192.0.2.2)
declare -A tcp_mac=([a]=aa:55:aa:55:00:0a [b]=aa:55:aa:55:00:0b)
declare -A tcp_peer=([a]=b [b]=a)
declare -A tcp_mark=([a]=1 [b]=2)
tcp_seconds=${TCP_SECONDS:-10}
# Userspace TSO for ovs-gre's daemon in the tcp row: off by default.  With
# it on, ovs-gre coalesces the segments it decapsulates into TSO packets,
# which are cut again in software for the receiving net_tap port (whose
# PMD cannot be given TSO packets: see vswitchd/gre-dpdk.c): no faster.
ours_tso=${OVSGRE_BENCH_TCP_TSO:-false}

# Prints whether the stock daemon runs the tcp row with userspace TSO.
stock_tso() {
    case $ovs_version in
    3.1.*) echo false ;;
    *) echo true ;;
    esac
}

# Starts daemon $1 with userspace TSO $2 (true or false) and sets up the
# tcp row.
setup_tcp() {
    local vswitchd=$1 tso=$2 h i=0 p
    add_host pmd
    for h in a b; do
        add_host "vm-$h"
    done
    OVSGRE_VSWITCHD_FLAGS=--enable-dummy start_ovs pmd "$vswitchd" \
        dpdk-init=true dpdk-socket-mem=512 dpdk-socket-limit=512 \
        dpdk-lcore-mask=0x1 pmd-cpu-mask=0x2 userspace-tso-enable="$tso" \
        "dpdk-extra=--file-prefix=ovsgre-bench --huge-dir=$dir.huge
         --huge-unlink --no-pci --log-level=pmd.*:error"
    # Every port first: on OVS 3.5 an interface that appears or moves
    # makes the tunnels forget netdev-dummy's addresses (see
    # tests/gre-dpdk.at).
    for h in a b; do
        p=${tcp_peer[$h]}
        on pmd ovs-vsctl --timeout=30 \
            -- add-br "int-$h" -- set bridge "int-$h" datapath_type=dummy \
            -- add-br "phy-$h" -- set bridge "phy-$h" datapath_type=dummy \
                 other_config:hwaddr="${tcp_mac[$h]}" \
            -- add-port "int-$h" "vm-$h" -- set Interface "vm-$h" type=dpdk \
                 ofport_request=1 options:n_rxq=2 \
                 "options:dpdk-devargs=net_tap$i,iface=tap-$h" \
            -- add-port "int-$h" "t-$h" -- set Interface "t-$h" type=gre \
                 ofport_request=2 options:remote_ip="${tcp_ul[$p]}" \
                 options:egress_pkt_mark="${tcp_mark[$h]}" \
            -- add-port "phy-$h" "patch-$h" \
            -- set Interface "patch-$h" type=patch ofport_request=1 \
                 options:peer="patch-$p"
        on pmd ovs-ofctl add-flow "int-$h" in_port=1,actions=2
        on pmd ovs-ofctl add-flow "int-$h" in_port=2,actions=1
        on pmd ovs-ofctl del-flows "phy-$h"
        on pmd ovs-ofctl add-flow "phy-$h" in_port=LOCAL,actions=1
        on pmd ovs-ofctl add-flow "phy-$h" in_port=1,actions=LOCAL
        ip -n "$(ns_of pmd)" link set "tap-$h" netns "$(ns_of "vm-$h")"
        on "vm-$h" ip addr add "${tcp_vm[$h]}/24" dev "tap-$h"
        on "vm-$h" ip link set "tap-$h" mtu 1462 up
        i=$((i + 1))
    done
    sleep 1
    for h in a b; do
        p=${tcp_peer[$h]}
        on pmd ovs-appctl netdev-dummy/ip4addr "phy-$h" "${tcp_ul[$h]}/24" \
            > /dev/null
        on pmd ovs-appctl ovs/route/add "${tcp_ul[$p]}/32" "phy-$h" \
            pkt_mark="${tcp_mark[$h]}" > /dev/null
        on pmd ovs-appctl tnl/neigh/set "phy-$h" "${tcp_ul[$p]}" \
            "${tcp_mac[$p]}" > /dev/null
    done
    for _ in $(seq 1 20); do
        if on vm-a ping -c 1 -W 1 "${tcp_vm[b]}" > /dev/null 2>&1; then
            return 0
        fi
    done
    echo "ovsgre-bench-dpdk.sh: no ping through the tunnel" >&2
    return 1
}

# Runs iperf3 from VM a to VM b and prints the Gbit/s received.
measure_tcp() {
    on vm-b iperf3 -s -1 -D -I "$(rundir vm-b)/iperf3.pid"
    wait_listen vm-b 5201
    on vm-a timeout $((tcp_seconds + 20)) \
        iperf3 -c "${tcp_vm[b]}" -t "$tcp_seconds" -J | python3 -c '
import json, sys
print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]
                ["bits_per_second"] / 1e9))'
}

# Stops the tcp row's daemon and VMs.
stop_tcp() {
    local h
    stop_host pmd
    for h in a b; do
        stop_host "vm-$h"
    done
}

# Prints the packets port "sink" has sent.
sink_tx() {
    on pmd ovs-appctl dpctl/show -s \
        | awk '/: sink / { s = 1 } s && /TX packets:/ { sub(/.*:/, "", $2);
                                                       print $2; exit }'
}

# Measures the running daemon: prints "MPPS CYCLES-PER-PACKET", where
# MPPS counts the packets that left through the sink, and fails if fewer
# than 99% of those the PMD received did.
measure() {
    local t0 t1 tx0 tx1 stats
    sleep "$warmup"
    t0=$(date +%s.%N)
    tx0=$(sink_tx)
    on pmd ovs-appctl dpif-netdev/pmd-stats-clear
    sleep "$seconds"
    stats=$(on pmd ovs-appctl dpif-netdev/pmd-stats-show)
    tx1=$(sink_tx)
    t1=$(date +%s.%N)
    # The PMD thread's block comes first; the main thread's after it.
    echo "$stats" | awk -v t0="$t0" -v t1="$t1" -v tx=$((tx1 - tx0)) '
        /^main thread/ { exit }
        /packets received:/ { p = $3 }
        /avg processing cycles per packet:/ { c = $6 }
        END { if (tx < 0.99 * p) {
                  printf "only %d of %d packets left\n", tx, p > "/dev/stderr"
                  exit 1
              }
              printf "%.3f %.1f\n", tx / (t1 - t0) / 1e6, c }'
}

# Prints the value of the arithmetic expression $1.
calc() {
    awk "BEGIN { print $1 }"
}

# Prints the median of the numbers on standard input, then min-max.
median() {
    sort -g | awk '{ v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%s %s-%s\n", m, v[1], v[NR] }'
}

echo "ovs-gre ($ours) against $stock_path"
echo "OVS $ovs_version, one PMD, $runs runs of ${seconds} s each, medians"
echo
printf '%-27s %-21s %s\n' "" "------- stock -------" "------- ours --------"
printf '%-27s %5s %9s %4s %5s %9s %4s %6s\n' "row" "Mpps" "range" "cyc" \
    "Mpps" "range" "cyc" "ratio"
shares=()
declare -A plain_ours plain_stock
tcp_lines=()
for row in "${rows[@]}"; do
    mode=${row%% *}
    name=${row#"$mode"}
    name=${name# }
    if [ "$mode" = tcp ]; then
        if ! echo "$row" | grep -qE -- "$only"; then
            continue
        fi
        rm -f "$dir".res.*
        for _ in $(seq "$runs"); do
            for side in stock ours; do
                if [ $side = ours ]; then
                    setup_tcp "$ours" "$ours_tso"
                else
                    setup_tcp "$stock" "$(stock_tso)"
                fi
                measure_tcp >> "$dir.res.$side"
                stop_tcp
            done
        done
        line=$(printf '%-15s' "$row")
        declare -A med=()
        for side in stock ours; do
            read -r m range < <(median < "$dir.res.$side")
            med[$side]=$m
            line+=$(printf ' %5.2f %4.2f-%-4.2f' "$m" "${range%-*}" \
                "${range#*-}")
        done
        line+=$(printf ' %5.2fx' "$(calc "${med[ours]} / ${med[stock]}")")
        tcp_lines+=("$line")
        rm -f "$dir".res.*
        continue
    fi
    for size in "${sizes[@]}"; do
        label="$mode${name:+ $name} $size"
        if ! echo "$label" | grep -qE -- "$only"; then
            continue
        fi
        rm -f "$dir".res.*
        for _ in $(seq "$runs"); do
            for side in stock ours; do
                if [ $side = ours ]; then daemon=$ours; else daemon=$stock; fi
                setup "$daemon" "$mode" "$name" "$size"
                measure >> "$dir.res.$side"
                stop_host pmd
            done
        done
        line=$(printf '%-27s' "$label")
        declare -A med=()
        for side in stock ours; do
            read -r m range < <(cut -d' ' -f1 "$dir.res.$side" | median)
            read -r c _ < <(cut -d' ' -f2 "$dir.res.$side" | median)
            med[$side]=$m
            line+=$(printf ' %5.2f %4.1f-%-4.1f %4.0f' "$m" \
                "${range%-*}" "${range#*-}" "$c")
        done
        line+=$(printf ' %5.2fx' "$(calc "${med[ours]} / ${med[stock]}")")
        if [ "$mode" = plain ]; then
            plain_ours[$size]=${med[ours]}
            plain_stock[$size]=${med[stock]}
        elif [ -n "${plain_ours[$size]}" ]; then
            shares+=("$(printf '%-27s %5.0f%% %5.0f%%' "$label" \
                "$(calc "100 * ${med[stock]} / ${plain_stock[$size]}")" \
                "$(calc "100 * ${med[ours]} / ${plain_ours[$size]}")")")
        fi
        echo "$line"
        rm -f "$dir".res.*
    done
done
if [ ${#tcp_lines[@]} -gt 0 ]; then
    echo
    echo "TCP through net_tap ports, iperf3 ${tcp_seconds} s, Gbit/s;" \
        "userspace TSO: stock $(stock_tso), ours $ours_tso:"
    printf '%-15s %-15s %-15s %s\n' "row" "stock  range" "ours   range" \
        "ratio"
    printf '%s\n' "${tcp_lines[@]}"
fi
if [ ${#shares[@]} -gt 0 ]; then
    echo
    echo "Mpps as a share of the same daemon's plain forwarding:"
    printf '%-27s %6s %6s\n' "row" "stock" "ours"
    printf '%s\n' "${shares[@]}"
fi
