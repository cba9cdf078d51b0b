#! /bin/bash
# Packaging test ('make check-packages'), as root, on Debian 12 or 13:
#
#   tests/check-packages.sh TARBALL OVS-TARBALL WORKDIR
#
# From TARBALL (made by 'make dist'), builds the Debian package with
# dpkg-buildpackage, runs lintian on it, installs it beside Debian's
# openvswitch-switch, starts Open vSwitch with Debian's own ovs-ctl, adds a
# bridge and a gre port, checks with 'ovs-appctl gre/show' that ovs-gre
# serves it, has the daemon initialize DPDK and add a DPDK port
# (net_null, on 128 hugepages it reserves and gives back), stops Open
# vSwitch, purges the package and checks that the
# stock daemon is back.  Then builds the RPM with rpmbuild (Source1 is
# OVS-TARBALL) and checks its file list and scriptlets.
#
# Prints one line per check, "N: what ok", "N: what FAILED (log)" or
# "N: what skipped (reason)", as autotest does, and exits 1 if one failed.
# Build logs and packages stay in WORKDIR.
#
# Open vSwitch runs with its database, sockets and logs in a temporary
# directory (ovs-ctl's OVS_DBDIR, OVS_RUNDIR, OVS_LOGDIR, OVS_SYSCONFDIR),
# so the system's Open vSwitch configuration is not touched, and its
# bridge is of datapath_type=netdev, the userspace datapath, which needs
# no kernel module.  Whatever happens, the script leaves no daemon it
# started running, the package purged, openvswitch-switch installed and
# /usr/sbin/ovs-vswitchd on its automatic choice.
#
# Environment: OVSGRE_JOBS (default 2) for the package builds.

set -u

if [ $# != 3 ]; then
    echo "usage: $0 TARBALL OVS-TARBALL WORKDIR" >&2
    exit 2
fi
tarball=$(realpath "$1")
ovs_tarball=$(realpath "$2")
work=$(realpath -m "$3")
jobs=${OVSGRE_JOBS:-2}

pkg=openvswitch-switch-gre
gre_daemon=/usr/libexec/ovs-gre/ovs-vswitchd
stock_daemon=/usr/lib/openvswitch-switch/ovs-vswitchd
ovs_ctl=/usr/share/openvswitch/scripts/ovs-ctl

if [ "$(id -u)" != 0 ]; then
    echo "$0: must run as root (it installs packages)" >&2
    exit 2
fi

rm -rf "$work"
mkdir -p "$work"
log=$work/check-packages.log
: > "$log"

n=0
failed=0

# check WHAT COMMAND...: runs COMMAND, logging its output, and reports.
check() {
    local what=$1
    shift
    n=$((n + 1))
    local start=$SECONDS
    echo "== $n: $what ($(date -u +%T))" >> "$log"
    if "$@" >> "$log" 2>&1; then
        printf '%3d: %s ok\n' "$n" "$what"
        echo "== $n: ok after $((SECONDS - start)) s" >> "$log"
        return 0
    else
        printf '%3d: %s FAILED (%s)\n' "$n" "$what" "$log"
        echo "== $n: FAILED after $((SECONDS - start)) s" >> "$log"
        failed=$((failed + 1))
        return 1
    fi
}

# skip WHAT REASON
skip() {
    n=$((n + 1))
    printf '%3d: %s skipped (%s)\n' "$n" "$1" "$2"
}

# The Open vSwitch that ovs-ctl starts, in a directory of its own.
ovs_dir=$(mktemp -d /tmp/ovsgre-pkg.XXXXXX)
export OVS_RUNDIR=$ovs_dir/run OVS_LOGDIR=$ovs_dir/log
export OVS_DBDIR=$ovs_dir/db OVS_SYSCONFDIR=$ovs_dir/etc
mkdir -p "$OVS_RUNDIR" "$OVS_LOGDIR" "$OVS_DBDIR" "$OVS_SYSCONFDIR/openvswitch"
# The hugetlbfs and hugepages of dpdk_port(), once it has them.
huge_mounted='' huge_pages=''

stop_ovs() {
    "$ovs_ctl" stop
    # Whatever ovs-ctl left, by pidfile.
    for pidfile in "$OVS_RUNDIR"/*.pid; do
        [ -f "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null
    done
    return 0
}

# No daemon of ours runs: every pidfile names a dead process.
ovs_stopped() {
    for pidfile in "$OVS_RUNDIR"/*.pid; do
        [ -f "$pidfile" ] || continue
        if kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            echo "$pidfile: still running"
            return 1
        fi
    done
}

cleanup() {
    {
        echo "== cleanup"
        stop_ovs
        if dpkg-query -W -f='${Status}\n' $pkg 2>/dev/null \
                | grep -qv 'not-installed'; then
            dpkg --purge $pkg
        fi
        if ! dpkg-query -W -f='${Status}\n' openvswitch-switch 2>/dev/null \
                | grep -q 'install ok installed'; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                openvswitch-switch
        fi
        if [ "$(readlink -f /usr/sbin/ovs-vswitchd)" != "$stock_daemon" ]
        then
            update-alternatives --auto ovs-vswitchd
        fi
        if [ -n "$huge_mounted" ]; then
            umount "$ovs_dir/huge"
        fi
        if [ -n "$huge_pages" ]; then
            flock /run/ovsgre-hugepages.lock sh -c "echo \$((\$(cat \
                /proc/sys/vm/nr_hugepages) - $huge_pages)) \
                > /proc/sys/vm/nr_hugepages"
        fi
        rm -rf "$ovs_dir"
    } >> "$log" 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

version=$(basename "$tarball" .tar.gz)
version=${version#ovs-gre-}
ovs_version=$(dpkg-query -W -f='${Version}' openvswitch-source)
deb_arch=$(dpkg --print-architecture)

# --- Debian -----------------------------------------------------------

deb_build() {
    mkdir -p "$work/deb" &&
    tar -xzf "$tarball" -C "$work/deb" &&
    cd "$work/deb/ovs-gre-$version" &&
    DEB_BUILD_OPTIONS="nocheck parallel=$jobs" \
        dpkg-buildpackage -b -us -uc
}
deb=$work/deb/${pkg}_${version}_$deb_arch.deb
changes=$work/deb/ovs-gre_${version}_$deb_arch.changes

deb_contents() {
    dpkg-deb -c "$deb" | tee "$work/deb/files" &&
    dpkg-deb -I "$deb" &&
    grep -q " \./usr/libexec/ovs-gre/ovs-vswitchd$" "$work/deb/files" &&
    grep -q " \./usr/share/man/man7/ovs-gre\.7\.gz$" "$work/deb/files" &&
    grep -q " \./usr/share/man/man8/ovs-vswitchd-gre\.8\.gz$" \
        "$work/deb/files" &&
    local p
    for p in openvswitch-switch openvswitch-common; do
        dpkg-deb -f "$deb" Depends \
            | grep -qF "$p (>= $ovs_version), $p (<< $ovs_version.1~)" ||
            return 1
    done
}

deb_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" &&
    dpkg-query -W -f='${Status}\n' openvswitch-switch \
        | grep -q 'install ok installed'
}

alternative_is() {
    update-alternatives --query ovs-vswitchd &&
    [ "$(readlink -f /usr/sbin/ovs-vswitchd)" = "$1" ]
}

gre_alternative() {
    alternative_is $gre_daemon &&
    update-alternatives --query ovs-vswitchd \
        | grep -A1 -x "Alternative: $gre_daemon" | grep -qx 'Priority: 200'
}

ovs_start() {
    "$ovs_ctl" start --system-id=random --no-mlockall \
        --no-record-hostname &&
    ovs-appctl -t ovs-vswitchd list-commands | grep -q 'gre/show' &&
    ovs-appctl -t ovs-vswitchd version
}

add_gre_port() {
    ovs-vsctl add-br br-pkg -- set bridge br-pkg datapath_type=netdev \
        -- add-port br-pkg gre0 -- set interface gre0 type=gre \
           options:remote_ip=192.0.2.2 options:key=42 &&
    ovs-vsctl show &&
    [ "$(ovs-vsctl get interface gre0 ofport)" -gt 0 ] &&
    [ -z "$(ovs-vsctl --bare --columns=error list interface gre0)" ]
}

gre_show() {
    local out
    out=$(ovs-appctl -t ovs-vswitchd gre/show gre0) &&
    printf '%s\n' "$out" &&
    printf '%s\n' "$out" | grep -qx 'gre0: type=gre' &&
    printf '%s\n' "$out" | grep -qx '  config: key=42 remote_ip=192.0.2.2'
}

# The daemon is built with DPDK: told to, it initializes DPDK (on a
# hugetlbfs of its own, without PCI) and adds a net_null port.
dpdk_port() {
    local eal
    mkdir -p "$ovs_dir/huge" &&
    mount -t hugetlbfs -o pagesize=2M none "$ovs_dir/huge" &&
    huge_mounted=yes &&
    flock /run/ovsgre-hugepages.lock sh -c "echo \$((\$(cat \
        /proc/sys/vm/nr_hugepages) + 128)) > /proc/sys/vm/nr_hugepages" &&
    huge_pages=128 &&
    grep HugePages_ /proc/meminfo &&
    eal="--file-prefix=ovsgre-pkg$$ --huge-dir=$ovs_dir/huge --huge-unlink" &&
    ovs-vsctl set Open_vSwitch . other_config:dpdk-init=true \
        other_config:dpdk-socket-mem=128 other_config:dpdk-socket-limit=128 \
        "other_config:dpdk-extra=$eal --no-pci" &&
    for _ in $(seq 30); do
        [ "$(ovs-vsctl get Open_vSwitch . dpdk_initialized)" = true ] &&
            break
        sleep 1
    done &&
    [ "$(ovs-vsctl get Open_vSwitch . dpdk_initialized)" = true ] &&
    ovs-vsctl add-port br-pkg dpdk0 -- set interface dpdk0 type=dpdk \
        options:dpdk-devargs=net_null0 &&
    ovs-vsctl list interface dpdk0 &&
    [ -z "$(ovs-vsctl --bare --columns=error list interface dpdk0)" ] &&
    [ "$(ovs-vsctl get interface dpdk0 ofport)" -gt 0 ] &&
    ovs-appctl -t ovs-vswitchd list-commands | grep -q 'gre/dpdk-tx-probe'
}

ovs_stop() {
    ovs-vsctl --if-exists del-br br-pkg &&
    "$ovs_ctl" stop &&
    ovs_stopped
}

deb_purge() {
    apt-get purge -y -q $pkg &&
    ! dpkg-query -W -f='${Status}\n' $pkg 2>/dev/null \
        | grep -qv 'not-installed' &&
    [ ! -e $gre_daemon ] &&
    alternative_is $stock_daemon &&
    dpkg-query -W -f='${Status}\n' openvswitch-switch \
        | grep -q 'install ok installed'
}

if check "deb: dpkg-buildpackage -b builds $pkg" deb_build; then
    if command -v lintian > /dev/null; then
        check "deb: lintian finds no errors" \
            lintian --fail-on error --info "$changes"
    else
        skip "deb: lintian finds no errors" "lintian is not installed"
    fi
    check "deb: contents, man pages, Depends on OVS $ovs_version builds" \
        deb_contents
    if check "deb: installs beside openvswitch-switch" deb_install; then
        check "deb: /usr/sbin/ovs-vswitchd is ovs-gre's, priority 200" \
            gre_alternative
        if check "deb: ovs-ctl starts Open vSwitch with ovs-gre" ovs_start
        then
            if check "deb: ovs-vsctl adds a netdev bridge and a gre port" \
                    add_gre_port; then
                check "deb: ovs-appctl gre/show shows the gre port" gre_show
                check "deb: the daemon initializes DPDK, adds a DPDK port" \
                    dpdk_port
            else
                skip "deb: ovs-appctl gre/show shows the gre port" "no port"
                skip "deb: the daemon initializes DPDK, adds a DPDK port" \
                    "no bridge"
            fi
            check "deb: ovs-ctl stops Open vSwitch" ovs_stop
        fi
        check "deb: purge brings back the stock daemon" deb_purge
    fi
fi

# --- RPM --------------------------------------------------------------

rpm_top=$work/rpm
rpm_build() {
    mkdir -p "$rpm_top/SOURCES" &&
    ln -sf "$tarball" "$ovs_tarball" "$rpm_top/SOURCES/" &&
    tar -xzf "$tarball" -C "$rpm_top" "ovs-gre-$version/rhel/ovs-gre.spec" &&
    # --nodeps: on Debian, rpm does not know the packages dpkg installed.
    # No debuginfo package: Debian 13's rpm runs find-debuginfo, whose
    # tools (eu-strip, debugedit) Debian's rpm does not depend on.
    rpmbuild -bb --nodeps --define "_topdir $rpm_top" \
        --define "debug_package %{nil}" \
        --define "ovs_source $(basename "$ovs_tarball")" \
        --define "_smp_mflags -j$jobs" \
        "$rpm_top/ovs-gre-$version/rhel/ovs-gre.spec"
}

rpm_contents() {
    local rpm
    rpm=$(ls "$rpm_top"/RPMS/*/ovs-gre-"$version"-1.*.rpm) &&
    rpm -qlp "$rpm" | tee "$rpm_top/files" &&
    # Man pages are compressed where rpm has brp-compress, the doc
    # directory is named with or without the version (_docdir_fmt), and
    # rpm may add the daemon's build-id link.
    diff -u - <(sed -e 's/\.gz$//' \
                    -e 's|^\(/usr/share/doc/ovs-gre\)-[^/]*|\1|' \
                    -e '\|^/usr/lib/\.build-id|d' "$rpm_top/files") <<EOF
/usr/libexec/ovs-gre
/usr/libexec/ovs-gre/ovs-vswitchd
/usr/share/doc/ovs-gre
/usr/share/doc/ovs-gre/README.rst
/usr/share/doc/ovs-gre/ovs-gre.rst
/usr/share/man/man7/ovs-gre.7
/usr/share/man/man8/ovs-vswitchd-gre.8
EOF
}

rpm_scripts() {
    local rpm
    rpm=$(ls "$rpm_top"/RPMS/*/ovs-gre-"$version"-1.*.rpm) &&
    rpm -qp --scripts "$rpm" &&
    rpm -qp --requires "$rpm" &&
    rpm -qp --scripts "$rpm" | tr -s ' \\\n' ' ' > "$rpm_top/scripts" &&
    grep -qF "update-alternatives --install /usr/sbin/ovs-vswitchd \
ovs-vswitchd $gre_daemon 200" "$rpm_top/scripts" &&
    grep -qF "update-alternatives --remove ovs-vswitchd $gre_daemon" \
        "$rpm_top/scripts" &&
    rpm -qp --requires "$rpm" | grep -qx "openvswitch = ${ovs_version%%-*}"
}

if command -v rpmbuild > /dev/null; then
    if check "rpm: rpmbuild -bb builds ovs-gre" rpm_build; then
        check "rpm: rpm -qlp lists the daemon, man pages and docs" \
            rpm_contents
        check "rpm: alternatives scriptlets and Requires" rpm_scripts
    fi
else
    skip "rpm: rpmbuild -bb builds ovs-gre" "rpmbuild is not installed"
fi

[ $failed = 0 ]
