#! /bin/bash
# ovs-gre quick start, for a Debian 12 or Debian 13 machine, as root:
#
#   utilities/ovsgre-setup.sh demo    install, build, run the demo
#   utilities/ovsgre-setup.sh check   install, build, run 'make check'
#
# Both install with apt-get only the Debian packages that are missing,
# configure and build in _build/ (OVS itself once, in _build/ovs/), and
# can be run again: what is installed and built is reused.
#
# 'check' runs ovs-gre's own autotest suite and the upstream Open vSwitch
# tunnel tests against our ovs-vswitchd, then a short fuzzing pass over the
# receive path (OVSGRE_FUZZ_SECONDS, default 20), and ends with one line
# "summary: N passed, N failed, N skipped" over all of them.
# TESTSUITEFLAGS (default -j3) is passed to both suites.  As root, it also
# runs 'make check-packages' (OVSGRE_CHECK_PACKAGES=no to leave it out):
# the Debian package and the RPM are built, and the .deb is installed,
# run with Debian's Open vSwitch and purged.

set -e -o pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${OVSGRE_BUILDDIR:-$srcdir/_build}
jobs=${OVSGRE_JOBS:-3}
dpdk=shared

# What the build, the tests and the demo need, with the same names in
# Debian 12 and 13.
packages="
    autoconf automake libtool make gcc libc6-dev pkgconf binutils
    openvswitch-source libssl-dev libcap-ng-dev libunbound-dev
    python3 python3-scapy iproute2 iputils-ping procps tshark
    clang libclang-rt-dev iperf3 ethtool
    openvswitch-switch
    libdpdk-dev dpdk-dev
    build-essential debhelper python3-docutils lintian rpm shellcheck
"

log() {
    echo "== ovsgre-setup: $*"
}

install_packages() {
    local missing=""
    for p in $packages; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
                | grep -q 'install ok installed'; then
            missing="$missing $p"
        fi
    done
    if [ -z "$missing" ]; then
        log "all needed Debian packages are installed"
        return
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "ovsgre-setup.sh: run as root to install:$missing" >&2
        exit 1
    fi
    log "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
}

build() {
    if [ ! -x "$srcdir/configure" ]; then
        log "generating configure"
        (cd "$srcdir" && ./boot.sh)
    fi
    mkdir -p "$builddir"
    # One daemon, built with DPDK as Debian's openvswitch-switch-dpdk is,
    # serves the demo and every test: without other_config:dpdk-init it
    # runs as the plain one.  A build directory configured otherwise is
    # configured again.
    if [ ! -f "$builddir/Makefile" ] ||
       ! grep -q -e "--with-dpdk=$dpdk" "$builddir/config.status"; then
        log "configuring in $builddir (with DPDK, $dpdk)"
        (cd "$builddir" && "$srcdir/configure" --with-dpdk="$dpdk")
    fi
    log "building (the first build also builds Open vSwitch, ~5 minutes)"
    make -C "$builddir" -j"$jobs"
}

# Prints "summary: N passed, N failed, N skipped" for the autotest output
# in file $1, plus $2 more passed and $3 more failed (the fuzzing pass).
summarize() {
    awk -v extra_passed="$2" -v extra_failed="$3" '
        /^ *[0-9]+: .* ok$/ { passed++ }
        /^ *[0-9]+: .* ok *\(expected failure\)$/ { passed++ }
        /^ *[0-9]+: .* FAILED \(/ { failed++ }
        /^ *[0-9]+: .* skipped \(/ { skipped++ }
        END { printf "summary: %d passed, %d failed, %d skipped\n",
                     passed + extra_passed, failed + extra_failed,
                     skipped }' "$1"
}

run_checks() {
    local flags=${TESTSUITEFLAGS:--j$jobs} status=0 out
    local fuzz_seconds=${OVSGRE_FUZZ_SECONDS:-20} fuzz_ok=0 fuzz_failed=0
    out=$builddir/check-output.txt
    log "running ovs-gre's tests and the upstream OVS tunnel tests"
    if ! make -C "$builddir" check TESTSUITEFLAGS="$flags" 2>&1 \
            | tee "$out"; then
        status=1
    fi
    log "fuzzing the receive path for $fuzz_seconds seconds"
    if make -C "$builddir" check-fuzz FUZZ_SECONDS="$fuzz_seconds" 2>&1 \
            | tail -n 12; then
        fuzz_ok=1
    else
        fuzz_failed=1
        status=1
    fi
    if [ "${OVSGRE_CHECK_PACKAGES:-yes}" = no ]; then
        log "not building and installing the packages"
    elif [ "$(id -u)" != 0 ]; then
        log "not building and installing the packages (needs root)"
    else
        log "building the packages, installing the .deb and running it"
        pkg_out=$builddir/check-packages-output.txt
        if ! make -C "$builddir" check-packages OVSGRE_JOBS="$jobs" \
                > "$pkg_out" 2>&1; then
            status=1
            grep -q ' FAILED (' "$pkg_out" ||
                echo "  0: make check-packages FAILED ($pkg_out)" \
                    >> "$pkg_out"
        fi
        grep -E '^ *[0-9]+: ' "$pkg_out" | tee -a "$out" || true
    fi
    summarize "$out" "$fuzz_ok" "$fuzz_failed"
    return $status
}

case ${1:-} in
demo)
    install_packages
    build
    log "running the demo"
    "$srcdir/utilities/ovsgre-demo.sh" "$builddir"
    ;;
check)
    install_packages
    build
    run_checks
    ;;
*)
    echo "usage: $0 demo|check" >&2
    exit 2
    ;;
esac
