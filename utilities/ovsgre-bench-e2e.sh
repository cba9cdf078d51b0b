#! /bin/bash
# ovs-gre end-to-end benchmark: packets per second through a whole
# ovs-vswitchd (userspace datapath), ovs-gre's daemon against Debian's stock
# Open vSwitch 3.1 daemon, with the same bridges and OpenFlow flows.
#
#                    namespace ovsgre-e2e
#   gen  <-- veth -->  ul   [br-phy 192.0.2.1/24]
#                              | tunnel: gre0 remote 192.0.2.2 key 42
#   cnt  <-- veth -->  ol   [br-int]   flows: in_port=ol -> gre0,
#                                             in_port=gre0 -> ol
#
#   encap: ovsgre-blast sends plain Ethernet frames into 'cnt'; the daemon
#          pushes GRE and sends them out of 'ul'; counted on 'gen' (rx).
#   decap: ovsgre-blast sends GRE frames from 192.0.2.2 into 'gen'; the
#          daemon pops them and sends them out of 'ol'; counted on 'cnt'.
#
# Each measurement starts one daemon (with its own ovsdb-server and run
# directory), sends for SECONDS, and counts the frames that leave; the two
# daemons alternate, RUNS times each, and the median is printed.
#
# usage: ovsgre-bench-e2e.sh BUILDDIR [RUNS [SECONDS [SIZE]]]
#
# BUILDDIR is a built ovs-gre build directory.  SIZE is the inner frame
# size in bytes (default 64).  Run as root; needs Debian's
# openvswitch-switch package for the stock daemon.

set -e

usage="usage: ovsgre-bench-e2e.sh BUILDDIR [RUNS [SECONDS [SIZE]]]"
builddir=$(cd "${1:?$usage}" && pwd)
runs=${2:-5}
seconds=${3:-5}
size=${4:-64}

ours=$builddir/vswitchd/ovs-vswitchd
stock=/usr/lib/openvswitch-switch/ovs-vswitchd
blast=$builddir/utilities/ovsgre-blast

# One host, "e2e": namespace ovsgre-e2e.
OVSGRE_NS_PREFIX=ovsgre-
OVSGRE_NS_RUNDIR=/run/ovsgre-e2e
# shellcheck source=utilities/ovsgre-netns.sh
. "$(dirname "$0")/ovsgre-netns.sh" "$builddir"
ns=$(ns_of e2e)

for f in "$ours" "$stock" "$blast"; do
    if [ ! -x "$f" ]; then
        echo "ovsgre-bench-e2e.sh: $f is missing" >&2
        exit 1
    fi
done
if [ "$(id -u)" != 0 ]; then
    echo "ovsgre-bench-e2e.sh: run as root" >&2
    exit 1
fi

cleanup() {
    stop_host e2e
}

# Starts ovsdb-server and the daemon $1 with the bridges, the tunnel port
# and the flows above.
start_daemon() {
    local vswitchd=$1
    start_ovs e2e "$vswitchd" 2>/dev/null
    on e2e ovs-vsctl \
        -- add-br br-phy -- set bridge br-phy datapath_type=netdev \
           other_config:hwaddr=02:00:00:00:01:01 \
        -- add-port br-phy ul \
        -- add-br br-int -- set bridge br-int datapath_type=netdev \
        -- add-port br-int ol -- set interface ol ofport_request=1 \
        -- add-port br-int gre0 -- set interface gre0 type=gre \
           ofport_request=2 options:remote_ip=192.0.2.2 options:key=42
    ip -n "$ns" addr replace 192.0.2.1/24 dev br-phy
    ip -n "$ns" link set br-phy up
    ip -n "$ns" link set br-int up
    on e2e ovs-appctl tnl/arp/set br-phy 192.0.2.2 02:00:00:00:02:02 \
        >/dev/null
    on e2e ovs-ofctl del-flows br-int
    on e2e ovs-ofctl add-flow br-int in_port=1,actions=output:2
    on e2e ovs-ofctl add-flow br-int in_port=2,actions=output:1
    # br-phy keeps its NORMAL flow: GRE from the peer goes to LOCAL (and is
    # popped there), pushed packets from LOCAL go out of 'ul'.
    sleep 2
}

# Returns the rx_packets counter of interface $1 in the namespace.
rx_packets() {
    ip netns exec "$ns" cat "/sys/class/net/$1/statistics/rx_packets"
}

# One measurement: sends frame $2 into $1 for $seconds and prints the
# frames per second received on $3.
measure() {
    local into=$1 frame=$2 count=$3 before after
    # A short burst first, so that the flows are in the datapath.
    ip netns exec "$ns" "$blast" "$into" 0.5 "$frame" >/dev/null
    sleep 0.5
    before=$(rx_packets "$count")
    ip netns exec "$ns" "$blast" "$into" "$seconds" "$frame" >/dev/null
    sleep 0.2
    after=$(rx_packets "$count")
    echo "$(( (after - before) / seconds ))"
}

# Checks that the datapath pushed and popped the tunnel itself (the flows
# were not handled by upcalls): both actions must be in its flow table.
check_datapath() {
    local flows
    flows=$(on e2e ovs-appctl dpctl/dump-flows)
    if ! echo "$flows" | grep -q 'tnl_push(' \
            || ! echo "$flows" | grep -q 'tnl_pop('; then
        echo "ovsgre-bench-e2e.sh: $1: no tnl_push/tnl_pop flows:" >&2
        echo "$flows" >&2
        exit 1
    fi
}

# Prints the median of its arguments.
median() {
    printf '%s\n' "$@" | sort -n \
        | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The frames: an inner Ethernet/IPv4/UDP frame of $size bytes, and the same
# frame in a GRE (key 42) packet from 192.0.2.2 to br-phy.
frames=$(python3 - "$size" <<'EOF'
import struct, sys
size = int(sys.argv[1])

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ipv4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0x4000,
                    64, proto, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload

udp_len = size - 14 - 20
udp = struct.pack('!HHHH', 1234, 5678, udp_len, 0) + bytes(udp_len - 8)
inner = (bytes.fromhex('0200000000b2' '0200000000b1' '0800')
         + ipv4([198, 51, 100, 1], [198, 51, 100, 2], 17, udp))
gre = struct.pack('!HHI', 0x2000, 0x6558, 42) + inner
outer = (bytes.fromhex('020000000101' '020000000202' '0800')
         + ipv4([192, 0, 2, 2], [192, 0, 2, 1], 47, gre))
print(inner.hex(), outer.hex())
EOF
)
inner_frame=${frames% *}
outer_frame=${frames#* }

cleanup
trap cleanup EXIT
add_host e2e
ip -n "$ns" link add gen type veth peer name ul
ip -n "$ns" link add cnt type veth peer name ol
for i in gen ul cnt ol; do
    ip -n "$ns" link set "$i" up
done
# Nothing but the generator's frames on the wire.
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1

declare -A result
for r in $(seq 1 "$runs"); do
    for side in stock ours; do
        if [ $side = ours ]; then d=$ours; else d=$stock; fi
        start_daemon "$d"
        enc=$(measure cnt "$inner_frame" gen)
        dec=$(measure gen "$outer_frame" cnt)
        check_datapath $side
        stop_ovs e2e
        result[$side,encap]+=" $enc"
        result[$side,decap]+=" $dec"
        echo "run $r $side: encap $enc pps, decap $dec pps" >&2
    done
done

printf '%-6s %5s  %10s %10s %6s\n' dir bytes "stock Mpps" "ours Mpps" ratio
for d in encap decap; do
    # shellcheck disable=SC2086
    s=$(median ${result[stock,$d]})
    # shellcheck disable=SC2086
    o=$(median ${result[ours,$d]})
    awk -v d=$d -v b="$size" -v s="$s" -v o="$o" 'BEGIN {
        printf "%-6s %5d  %10.3f %10.3f %5.2fx\n", d, b, s / 1e6, o / 1e6,
               s ? o / s : 0 }'
done
