# shellcheck shell=bash
# Shared by ovs-gre's demo, benchmarks and system tests: "hosts" in
# network namespaces, each with its own ovsdb-server and ovs-vswitchd.
#
# Source it with the build directory as its argument:
#
#   . "$srcdir/utilities/ovsgre-netns.sh" BUILDDIR
#
# It reads BUILDDIR's settings (utilities/ovsgre-env.sh, which configure
# writes: ovs_srcdir, ovs_builddir, ovsgre_builddir...), puts Open
# vSwitch's own tools (ovsdb-tool, ovsdb-server, ovs-vsctl, ovs-appctl)
# first on PATH, and defines the functions below.  Set first, if the
# defaults do not suit:
#
#   OVSGRE_NS_PREFIX   namespace names, "${OVSGRE_NS_PREFIX}HOST"
#                      (default "ovsgre-")
#   OVSGRE_NS_RUNDIR   run directories, "$OVSGRE_NS_RUNDIR/HOST"
#                      (default /run/ovsgre)
#
# Every process a host runs in the background writes a pid file into the
# host's run directory (NAME.pid); stopping a host kills exactly those
# processes.

ovsgre_env=${1:?ovsgre-netns.sh: source it with the build directory}
ovsgre_env=$ovsgre_env/utilities/ovsgre-env.sh
if [ ! -f "$ovsgre_env" ]; then
    echo "ovsgre-netns.sh: $ovsgre_env is missing: configure the build" >&2
    exit 1
fi
# shellcheck source=utilities/ovsgre-env.sh.in
. "$ovsgre_env"
PATH=$ovs_builddir/utilities:$ovs_builddir/ovsdb:$PATH
export PATH

OVSGRE_NS_PREFIX=${OVSGRE_NS_PREFIX:-ovsgre-}
OVSGRE_NS_RUNDIR=${OVSGRE_NS_RUNDIR:-/run/ovsgre}

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

# Creates host $1's namespace, with its loopback up, and its run
# directory.
add_host() {
    ip netns add "$(ns_of "$1")"
    ip -n "$(ns_of "$1")" link set lo up
    mkdir -p "$(rundir "$1")"
}

# Starts OVS on host $1 with the ovs-vswitchd binary $2; the remaining
# arguments (KEY=VALUE) go into Open_vSwitch other_config first.
# OVSGRE_VSWITCHD_FLAGS, if set, are more options for ovs-vswitchd.
start_ovs() {
    local h=$1 vswitchd=$2 dir kv
    shift 2
    dir=$(rundir "$h")
    rm -f "$dir/conf.db"
    on "$h" ovsdb-tool create "$dir/conf.db" \
        "$ovs_srcdir/vswitchd/vswitch.ovsschema"
    on "$h" ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" \
        --detach --no-chdir --pidfile="$dir/ovsdb-server.pid" \
        --log-file="$dir/ovsdb-server.log" -vconsole:off
    on "$h" ovs-vsctl --no-wait init
    for kv in "$@"; do
        on "$h" ovs-vsctl --no-wait set Open_vSwitch . "other_config:$kv"
    done
    # shellcheck disable=SC2086
    on "$h" "$vswitchd" "unix:$dir/db.sock" --detach --no-chdir \
        --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" \
        -vconsole:off ${OVSGRE_VSWITCHD_FLAGS:-}
}

# Kills the process whose pid is in file $1, if it runs, waits up to 2
# seconds for it to end, and removes the file.
stop_pidfile() {
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
        for _ in $(seq 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -f "$file"
}

# Stops every process host $1 started in the background (its pid files):
# ovs-vswitchd first, then ovsdb-server, then the rest.
stop_ovs() {
    local dir f
    dir=$(rundir "$1")
    stop_pidfile "$dir/ovs-vswitchd.pid"
    stop_pidfile "$dir/ovsdb-server.pid"
    for f in "$dir"/*.pid; do
        stop_pidfile "$f"
    done
}

# Stops host $1's processes and removes its namespace and run directory.
stop_host() {
    stop_ovs "$1"
    ip netns del "$(ns_of "$1")" 2>/dev/null || true
    rm -rf "$(rundir "$1")"
}

# Waits up to 10 seconds until something listens on TCP port $2 on host
# $1; fails if nothing does.
wait_listen() {
    for _ in $(seq 1 100); do
        if [ -n "$(on "$1" ss -ltnH "sport = :$2")" ]; then
            return 0
        fi
        sleep 0.1
    done
    echo "nothing listens on TCP port $2 on host $1" >&2
    return 1
}
