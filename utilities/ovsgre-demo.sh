#! /bin/bash
# ovs-gre demo: two "hosts" in network namespaces, each with its own
# ovsdb-server and ovs-gre's ovs-vswitchd (userspace datapath), joined by a
# veth underlay, with a keyed GRE tunnel between them.  Pings across the
# tunnel and prints 'gre/show' on both hosts.
#
#   host A (netns ovsgre-a)                 host B (netns ovsgre-b)
#   br-int  198.51.100.1/24                 br-int  198.51.100.2/24
#     gre0  remote 192.0.2.2, key 42          gre0  remote 192.0.2.1, key 42
#   br-phy  192.0.2.1/24                    br-phy  192.0.2.2/24
#     veth-a  <------------ veth ------------>  veth-b
#
# usage: ovsgre-demo.sh BUILDDIR [--keep]
#
# BUILDDIR is a configured and built ovs-gre build directory.  Run as root.
# Everything is torn down at the end unless --keep is given (then run
# 'ovsgre-demo.sh BUILDDIR --clean' to tear it down).

set -e

builddir=$(cd "${1:?usage: ovsgre-demo.sh BUILDDIR [--keep|--clean]}" && pwd)
mode=${2:-}

vswitchd=$builddir/vswitchd/ovs-vswitchd

hosts="a b"
declare -A underlay=([a]=192.0.2.1 [b]=192.0.2.2)
declare -A overlay=([a]=198.51.100.1 [b]=198.51.100.2)
declare -A peer=([a]=b [b]=a)

OVSGRE_NS_PREFIX=ovsgre-
OVSGRE_NS_RUNDIR=/run/ovsgre-demo
# shellcheck source=utilities/ovsgre-netns.sh
. "$(dirname "$0")/ovsgre-netns.sh" "$builddir"

cleanup() {
    for h in $hosts; do
        stop_host "$h"
    done
}

if [ "$mode" = --clean ]; then
    cleanup
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "ovsgre-demo.sh: run as root (namespaces, veth, tap)" >&2
    exit 1
fi
if [ ! -x "$vswitchd" ]; then
    echo "ovsgre-demo.sh: $vswitchd is not built" >&2
    exit 1
fi

cleanup
[ "$mode" = --keep ] || trap cleanup EXIT

echo "== creating hosts ovsgre-a and ovsgre-b"
for h in $hosts; do
    add_host "$h"
done
ip link add veth-a netns "$(ns_of a)" type veth \
    peer name veth-b netns "$(ns_of b)"

for h in $hosts; do
    ip -n "$(ns_of "$h")" link set "veth-$h" up
    start_ovs "$h" "$vswitchd"

    echo "== host $h: underlay ${underlay[$h]}, tunnel to" \
         "${underlay[${peer[$h]}]}, overlay ${overlay[$h]}"
    on "$h" ovs-vsctl \
        -- add-br br-phy -- set bridge br-phy datapath_type=netdev \
        -- add-port br-phy "veth-$h" \
        -- add-br br-int -- set bridge br-int datapath_type=netdev \
        -- add-port br-int gre0 -- set interface gre0 type=gre \
           options:remote_ip="${underlay[${peer[$h]}]}" options:key=42
    ip -n "$(ns_of "$h")" addr add "${underlay[$h]}/24" dev br-phy
    ip -n "$(ns_of "$h")" link set br-phy up
    ip -n "$(ns_of "$h")" addr add "${overlay[$h]}/24" dev br-int
    ip -n "$(ns_of "$h")" link set br-int up
    # The overlay's MTU leaves room for the outer IPv4 and GRE headers.
    ip -n "$(ns_of "$h")" link set br-int mtu 1450
done

echo "== ports on host a"
on a ovs-appctl dpif/show

echo "== ping 198.51.100.2 from host a, across the GRE tunnel"
ok=false
for _ in 1 2 3 4 5 6 7 8 9 10; do
    # The first packets resolve the remote endpoint's MAC.
    if on a ping -c 3 -i 0.2 -W 1 198.51.100.2; then
        ok=true
        break
    fi
    sleep 1
done

for h in $hosts; do
    echo "== gre/show on host $h"
    on "$h" ovs-appctl gre/show
done

if ! $ok; then
    echo "ovsgre-demo.sh: the ping did not cross the tunnel" >&2
    exit 1
fi

# Both ends must have carried the ping in ovs-gre's push and pop.
for h in $hosts; do
    if on "$h" ovs-appctl gre/show gre0 \
            | grep -q -e 'tx: packets=0 ' -e 'rx: packets=0 '; then
        echo "ovsgre-demo.sh: gre0 on host $h counted no traffic" >&2
        exit 1
    fi
done
echo "== demo passed: the ping crossed the tunnel, both ends counted it"
