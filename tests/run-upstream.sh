#! /bin/sh
# Runs the upstream Open vSwitch tests listed in LIST from the
# OVS tree's own testsuite, with ovs-gre's ovs-vswitchd first on the path.
#
# usage: run-upstream.sh OVS_SRCDIR OVS_BUILDDIR OVSGRE_VSWITCHD_DIR LIST
#                        [TESTSUITEFLAGS...]
#
# Exits with the testsuite's status.  Refuses to run (status 99) if the
# daemon the suite would use is not ovs-gre's.

set -e
ovs_srcdir=$1 ovs_builddir=$2 vswitchd_dir=$3 list=$4
shift 4

SHELL=${CONFIG_SHELL:-/bin/bash}
testsuite=$ovs_srcdir/tests/testsuite
cd "$ovs_builddir/tests"

# Test numbers for the listed files and titles.
numbers=$("$SHELL" "$testsuite" --list | awk -v list="$list" '
    BEGIN {
        while ((getline line < list) > 0) {
            if (line ~ /^#/ || line ~ /^[ \t]*$/) continue
            if (line ~ /^file: /) { files[substr(line, 7)] = 1 }
            else { titles[line] = 0 }
        }
    }
    /^ *[0-9]+: / {
        num = $1; sub(/:$/, "", num)
        file = $2; sub(/:[0-9]+$/, "", file)
        title = $0; sub(/^ *[0-9]+: [^ ]+ +/, "", title)
        if (file in files) { print num }
        else if (title in titles) { titles[title] = 1; print num }
    }
    END {
        for (t in titles) {
            if (!titles[t]) {
                print "run-upstream.sh: no upstream test titled: " t \
                    > "/dev/stderr"
                exit 1
            }
        }
    }')

path=$vswitchd_dir
for d in utilities ovsdb vtep tests ipsec; do
    path=$path:$ovs_builddir/$d
done

# The daemon on that path must be ours.
if ! PATH=$path:$PATH ovs-vswitchd --help 2>/dev/null | grep -q .; then
    echo "run-upstream.sh: no ovs-vswitchd in $vswitchd_dir" >&2
    exit 99
fi
if ! nm "$vswitchd_dir/ovs-vswitchd" 2>/dev/null \
        | grep -q '__wrap_netdev_register_provider'; then
    echo "run-upstream.sh: $vswitchd_dir/ovs-vswitchd is not ovs-gre's" >&2
    exit 99
fi

# One word per test number.
# shellcheck disable=SC2086
exec "$SHELL" "$testsuite" AUTOTEST_PATH="$path" "$@" $numbers
