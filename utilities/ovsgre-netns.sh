# Shared by ovs-gre's demo, TSO benchmark and system tests: "hosts" in
# network namespaces, each with its own ovsdb-server and ovs-vswitchd.
# Source it after setting:
#
#   OVSGRE_NS_PREFIX   namespace names, "${OVSGRE_NS_PREFIX}HOST"
#   OVSGRE_NS_RUNDIR   run directories, "$OVSGRE_NS_RUNDIR/HOST"
#   PATH               with OVS 3.1's ovsdb-tool, ovsdb-server, ovs-vsctl
#                      and ovs-appctl first
#   ovs_srcdir         the OVS source tree (for the schema)

# Prints the namespace of host $1.
ns_of() {
    echo "${OVSGRE_NS_PREFIX}$1"
}

# Prints the run directory of host $1.
rundir() {
    echo "$OVSGRE_NS_RUNDIR/$1"
}

# Runs a command on host $1: in its namespace, with its OVS directories.
on() {
    local h=$1 dir
    shift
    dir=$(rundir "$h")
    ip netns exec "$(ns_of "$h")" env OVS_RUNDIR="$dir" OVS_LOGDIR="$dir" \
        OVS_DBDIR="$dir" OVS_SYSCONFDIR="$dir" "$@"
}

# Creates host $1's namespace, with its loopback up.
add_host() {
    ip netns add "$(ns_of "$1")"
    ip -n "$(ns_of "$1")" link set lo up
    mkdir -p "$(rundir "$1")"
}

# Starts OVS on host $1 with the ovs-vswitchd binary $2; the remaining
# arguments (KEY=VALUE) go into Open_vSwitch other_config first.
start_ovs() {
    local h=$1 vswitchd=$2 dir kv
    shift 2
    dir=$(rundir "$h")
    on "$h" ovsdb-tool create "$dir/conf.db" \
        "$ovs_srcdir/vswitchd/vswitch.ovsschema"
    on "$h" ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" \
        --detach --no-chdir --pidfile="$dir/ovsdb-server.pid" \
        --log-file="$dir/ovsdb-server.log" -vconsole:off
    on "$h" ovs-vsctl --no-wait init
    for kv in "$@"; do
        on "$h" ovs-vsctl --no-wait set Open_vSwitch . "other_config:$kv"
    done
    on "$h" "$vswitchd" "unix:$dir/db.sock" --detach --no-chdir \
        --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" \
        -vconsole:off
}

# Stops host $1's daemons and removes its namespace and run directory.
stop_host() {
    local h=$1 dir pid
    dir=$(rundir "$h")
    for pid in "$dir"/ovs-vswitchd.pid "$dir"/ovsdb-server.pid; do
        if [ -f "$pid" ]; then
            kill "$(cat "$pid")" 2>/dev/null || true
        fi
    done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        if ! pgrep -F "$dir/ovs-vswitchd.pid" >/dev/null 2>&1 \
                && ! pgrep -F "$dir/ovsdb-server.pid" >/dev/null 2>&1; then
            break
        fi
        sleep 0.2
    done
    ip netns del "$(ns_of "$h")" 2>/dev/null || true
    rm -rf "$dir"
}
