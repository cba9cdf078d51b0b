# Macros that find, check and configure the Open vSwitch tree that ovs-gre
# is built against.  The tree lives in the build directory's ovs/:
#
#   ovs/src     the source: the tarball --with-ovs-source names, unpacked,
#               or the tree it names, copied
#   ovs/build   the out-of-tree OVS build, configured here, built by make
#
# Both are reused by later configure runs: the source is unpacked or
# copied again only when it changes, and OVS is configured again only when
# the options passed to it change.

# OVSGRE_OVS_SOURCE(PATH)
# -----------------------
# Sets OVS_SRCDIR to an absolute OVS source directory.
AC_DEFUN([OVSGRE_OVS_SOURCE], [
    ovs_src_arg=$1
    AC_MSG_CHECKING([for the Open vSwitch source])
    ovs_top=`pwd`/ovs
    OVS_SRCDIR=$ovs_top/src
    if test -d "$ovs_src_arg"; then
        dnl A tree is copied (keeping its times, so that make does not run
        dnl the autotools again): building out of it would write generated
        dnl files into it, and Debian 13's is the package's own.
        ovs_from=`cd "$ovs_src_arg" && pwd`
        ovs_stamp="$ovs_from `stat -c '%Y' "$ovs_from/configure.ac" \
                    "$ovs_from/configure" 2>/dev/null | tr '\n' ' '`"
        ovs_kind=tree
    elif test -f "$ovs_src_arg"; then
        ovs_from=`cd "\`dirname "$ovs_src_arg"\`" && pwd`
        ovs_from=$ovs_from/`basename "$ovs_src_arg"`
        ovs_stamp="$ovs_from `stat -c '%s %Y' "$ovs_from"`"
        ovs_kind=tarball
    else
        AC_MSG_RESULT([no])
        AC_MSG_ERROR([Open vSwitch source '$ovs_src_arg' is neither a
directory nor a tarball.  Install Debian's openvswitch-source package or
pass --with-ovs-source=PATH.])
    fi
    if test "$ovs_from" = "$OVS_SRCDIR"; then
        : the copy of an earlier run itself
    elif test ! -f "$OVS_SRCDIR/.ovsgre-unpacked" ||
         test "`cat "$OVS_SRCDIR/.ovsgre-unpacked"`" != "$ovs_stamp"; then
        rm -rf "$OVS_SRCDIR" "$ovs_top/build"
        $MKDIR_P "$OVS_SRCDIR"
        if test $ovs_kind = tree; then
            cp -a "$ovs_from/." "$OVS_SRCDIR"
        else
            tar -xzf "$ovs_from" -C "$OVS_SRCDIR" --strip-components=1
        fi || AC_MSG_ERROR([cannot copy or unpack $ovs_from])
        echo "$ovs_stamp" > "$OVS_SRCDIR/.ovsgre-unpacked"
    fi
    if test ! -f "$OVS_SRCDIR/lib/netdev-vport.c"; then
        AC_MSG_ERROR([$OVS_SRCDIR does not look like an Open vSwitch tree])
    fi
    AC_MSG_RESULT([$OVS_SRCDIR])
    OVS_BUILDDIR=$ovs_top/build
    AC_SUBST([OVS_SRCDIR])
    AC_SUBST([OVS_BUILDDIR])
])

# OVSGRE_OVS_VERSION_CHECK
# ------------------------
# Refuses an OVS version that no vport layer under vswitchd/ was checked
# against, and chooses the layer (OVSGRE_SEAM, vswitchd/ovsNN/) for the
# version it finds.
AC_DEFUN([OVSGRE_OVS_VERSION_CHECK], [
    AC_MSG_CHECKING([Open vSwitch version])
    OVS_VERSION=`sed -n 's/^AC.INIT(openvswitch, *\(@<:@^,@:>@*\),.*/\1/p' \
                     "$OVS_SRCDIR/configure.ac"`
    AC_MSG_RESULT([$OVS_VERSION])
    AS_CASE([$OVS_VERSION],
        [3.1.*], [OVSGRE_SEAM=ovs31],
        [3.5.*], [OVSGRE_SEAM=ovs35],
        [AC_MSG_ERROR([ovs-gre supports Open vSwitch 3.1.x (checked against
3.1.0, the version in Debian 12) and 3.5.x (checked against 3.5.0, the
version in Debian 13), but $OVS_SRCDIR is version '$OVS_VERSION'.])])
    OVS_SERIES=`echo "$OVS_VERSION" | cut -d. -f1-2`
    AC_SUBST([OVS_VERSION])
    AC_SUBST([OVS_SERIES])
    AC_SUBST([OVSGRE_SEAM])
])

# OVSGRE_OVS_CONFIGURE(WITH-DPDK)
# -------------------------------
# Configures OVS out of tree in OVS_BUILDDIR unless it is already
# configured with the same options.
AC_DEFUN([OVSGRE_OVS_CONFIGURE], [
    ovs_args="CC=$CC"
    ovs_args="$ovs_args|CFLAGS=${CFLAGS}"
    ovs_args="$ovs_args|PYTHON3=$PYTHON3"
    if test "$1" != no; then
        ovs_args="$ovs_args|--with-dpdk=$1"
    fi
    ovs_args_file=$OVS_BUILDDIR/.ovsgre-configure-args
    AC_MSG_CHECKING([whether Open vSwitch is configured in $OVS_BUILDDIR])
    if test -f "$OVS_BUILDDIR/config.status" &&
       test "`cat "$ovs_args_file" 2>/dev/null`" = "$ovs_args"; then
        AC_MSG_RESULT([yes])
    else
        AC_MSG_RESULT([no, configuring it now])
        $MKDIR_P "$OVS_BUILDDIR"
        rm -f "$ovs_args_file" "$OVS_BUILDDIR/.ovsgre-built"
        (
            cd "$OVS_BUILDDIR" || exit 1
            IFS='|'
            set -- $ovs_args
            IFS=' '
            "$OVS_SRCDIR/configure" "$[]@" > configure.log 2>&1
        ) || AC_MSG_ERROR([configuring Open vSwitch failed; see
$OVS_BUILDDIR/configure.log])
        echo "$ovs_args" > "$ovs_args_file"
    fi
])

# OVSGRE_OVS_BUILD_FLAGS
# ----------------------
# Takes from the configured OVS build what our objects must share with
# OVS's: its own compiler flags (with DPDK, the DPDK include paths, the
# forced "-include rte_config.h" and the -m options that decide how
# struct dp_packet's rte_mbuf and DPDK's inline functions compile) and the
# flags its ovs-vswitchd links with (the DPDK libraries).
AC_DEFUN([OVSGRE_OVS_BUILD_FLAGS], [
    AC_MSG_CHECKING([the compiler flags of Open vSwitch's own code])
    ovs_mk=$OVS_BUILDDIR/Makefile
    OVS_OWN_CFLAGS=`sed -n 's/^OVS_CFLAGS = //p' "$ovs_mk"`
    dnl OVS adds the -m options it probes for (-mssse3 with DPDK) to its
    dnl warning flags.
    for ovs_flag in `sed -n 's/^WARNING_FLAGS = //p' "$ovs_mk"`; do
        case $ovs_flag in
        -m*) OVS_OWN_CFLAGS="$OVS_OWN_CFLAGS $ovs_flag" ;;
        esac
    done
    OVS_VSWITCHD_LDFLAGS=`sed -n 's/^DPDK_vswitchd_LDFLAGS = //p' "$ovs_mk"`
    AC_MSG_RESULT([${OVS_OWN_CFLAGS:-none}])
    AC_SUBST([OVS_OWN_CFLAGS])
    AC_SUBST([OVS_VSWITCHD_LDFLAGS])
])
