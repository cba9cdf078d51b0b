#! /bin/bash
# Runs the quick start in a fresh Debian root, as root:
#
#   utilities/ovsgre-debian.sh RELEASE demo|check
#
# RELEASE is a Debian code name: trixie (Debian 13, Open vSwitch 3.5) or
# bookworm (Debian 12, Open vSwitch 3.1).  The root is made with
# 'debootstrap --variant=minbase RELEASE' from the machine's own Debian
# mirror, so it has none of what the build needs; a copy of this source
# tree goes into it, and 'utilities/ovsgre-setup.sh demo|check' runs there
# as it would on a new machine of that release: it installs what is
# missing with apt-get, builds, and runs the demo or the tests.  'check'
# ends, as on the machine itself, with "summary: N passed, N failed, N
# skipped", here prefixed with the release.  The exit status is the
# quick start's.
#
# The minbase root is made once and kept as a tarball in
# $OVSGRE_ROOT_CACHE (default /var/cache/ovs-gre), with the packages apt
# downloads, so that later runs only unpack it; every run starts from a
# fresh copy of it in $OVSGRE_ROOT_DIR (default /var/tmp/ovs-gre-RELEASE),
# removed at the end unless OVSGRE_KEEP_ROOT=yes; the build's logs are
# kept in $OVSGRE_ROOT_CACHE/logs-RELEASE.  The root is a mount
# point of its own, with /proc, /sys and /dev bound from the machine and
# a /run of its own, so that the tests' network namespaces work in it.
# OVSGRE_JOBS, OVSGRE_FUZZ_SECONDS, OVSGRE_CHECK_PACKAGES and
# TESTSUITEFLAGS pass through.

set -e -o pipefail

usage="usage: ovsgre-debian.sh RELEASE demo|check"
release=${1:?$usage}
mode=${2:?$usage}
case $mode in
demo|check) ;;
*) echo "$usage" >&2; exit 2 ;;
esac

srcdir=$(cd "$(dirname "$0")/.." && pwd)
cache=${OVSGRE_ROOT_CACHE:-/var/cache/ovs-gre}
root=${OVSGRE_ROOT_DIR:-/var/tmp/ovs-gre-$release}
tarball=$cache/$release-minbase.tar
archives=$cache/apt-$release

log() {
    echo "== ovsgre-debian ($release): $*"
}

if [ "$(id -u)" != 0 ]; then
    echo "ovsgre-debian.sh: run as root (debootstrap, chroot, mounts)" >&2
    exit 1
fi

# Keeps the logs of the run, then unmounts everything under the root and
# stops what still runs in it.
teardown() {
    local proc build=$root/root/ovs-gre/_build
    if [ -d "$build" ]; then
        rm -rf "$cache/logs-$release"
        mkdir -p "$cache/logs-$release"
        cp -a "$build"/*.txt "$build/tests/testsuite.log" \
            "$build/tests/packages/check-packages.log" \
            "$cache/logs-$release/" 2>/dev/null || true
    fi
    for proc in /proc/[0-9]*; do
        if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
            kill -9 "${proc#/proc/}" 2>/dev/null || true
        fi
    done
    if mountpoint -q "$root"; then
        umount -R "$root" 2>/dev/null || umount -R -l "$root"
    fi
    if [ "${OVSGRE_KEEP_ROOT:-no}" != yes ]; then
        rm -rf "$root"
    fi
}

make_tarball() {
    local tmp
    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends debootstrap
    fi
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/debootstrap.XXXXXX")
    log "debootstrap --variant=minbase $release (once, kept in $tarball)"
    if ! debootstrap --variant=minbase "$release" "$tmp" \
            > "$cache/debootstrap-$release.log" 2>&1; then
        tail -n 20 "$cache/debootstrap-$release.log" >&2
        rm -rf "$tmp"
        exit 1
    fi
    # The root's own mode is the tarball's first entry: mktemp made it
    # 0700, which programs that drop privileges could not enter.
    chmod 755 "$tmp"
    tar -C "$tmp" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$tmp"
}

[ -f "$tarball" ] || make_tarball

teardown
trap teardown EXIT
log "unpacking a fresh root in $root"
mkdir -p "$root" "$archives"
tar -C "$root" -xf "$tarball"
chmod 755 "$root"

mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
mkdir -p "$root/var/cache/apt/archives"
mount --bind "$archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Keep what apt downloads, for the next run.
rm -f "$root/etc/apt/apt.conf.d/docker-clean"
echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
    > "$root/etc/apt/apt.conf.d/10ovsgre-keep"

# What a clean clone of this tree has: in a git checkout, the files git
# tracks and the new ones it does not ignore (never what a build here
# generated); otherwise every file but _build/.
log "copying $srcdir into the root"
mkdir -p "$root/root/ovs-gre"
if git -C "$srcdir" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$srcdir" ls-files -co --exclude-standard -z \
        | tar -C "$srcdir" --null -T - -cf -
else
    tar -C "$srcdir" --exclude=./_build -cf - .
fi | tar -C "$root/root/ovs-gre" -xf -

log "running utilities/ovsgre-setup.sh $mode"
status=0
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CI="${CI:-}" OVSGRE_JOBS="${OVSGRE_JOBS:-3}" \
    OVSGRE_FUZZ_SECONDS="${OVSGRE_FUZZ_SECONDS:-20}" \
    OVSGRE_CHECK_PACKAGES="${OVSGRE_CHECK_PACKAGES:-yes}" \
    TESTSUITEFLAGS="${TESTSUITEFLAGS:-}" \
    /bin/bash -c "cd /root/ovs-gre && utilities/ovsgre-setup.sh $mode" \
    2>&1 | sed -u "s/^summary:/$release summary:/" || status=$?
exit $status
