# Scripts for users: the quick-start set-up, test runner and demo.  The
# ones that take a build directory read its settings from
# utilities/ovsgre-env.sh, which configure writes there.
DISTCLEANFILES += utilities/ovsgre-env.sh
EXTRA_DIST += \
	utilities/ovsgre-env.sh.in \
	utilities/ovsgre-setup.sh \
	utilities/ovsgre-demo.sh \
	utilities/ovsgre-netns.sh \
	utilities/ovsgre-tso.sh

# ovsgre-bench: ovs-gre's push and pop against OVS 3.1's own, side by side
# ('make bench'; not part of 'make check').  It links OVS's library
# without the seam (vswitchd/), so OVS's built-in GRE classes are there to
# compare.
noinst_PROGRAMS += utilities/ovsgre-bench
utilities_ovsgre_bench_SOURCES = utilities/ovsgre-bench.c \
	$(OVSGRE_LIB_SOURCES) $(OVSGRE_DP_SOURCES)
utilities_ovsgre_bench_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
EXTRA_utilities_ovsgre_bench_DEPENDENCIES = $(OVS_STAMP)

BENCHFLAGS =
.PHONY: bench
bench: utilities/ovsgre-bench
	utilities/ovsgre-bench $(BENCHFLAGS)

# 'make bench-tso': TCP through gre, ip6gre and gre with csum and seq
# between two namespace hosts with tap VMs, Debian's stock ovs-vswitchd
# (TSO off) against ours (TSO on, then also with GRO on the underlay),
# iperf3 for 10 s each; as root, with openvswitch-switch, iperf3 and
# ethtool installed.  BENCH_TSO_RUNS runs each.
BENCH_TSO_RUNS = 3
.PHONY: bench-tso
bench-tso: all
	$(srcdir)/utilities/ovsgre-tso.sh $(abs_top_builddir) bench \
	  $(BENCH_TSO_RUNS)

# ovsgre-blast and ovsgre-bench-e2e.sh: packets per second through a whole
# ovs-vswitchd, ours against Debian's stock one ('make bench-e2e', as root;
# not part of 'make check').  E2EFLAGS: RUNS SECONDS SIZE.
noinst_PROGRAMS += utilities/ovsgre-blast
utilities_ovsgre_blast_SOURCES = utilities/ovsgre-blast.c
utilities_ovsgre_blast_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
EXTRA_utilities_ovsgre_blast_DEPENDENCIES = $(OVS_STAMP)
EXTRA_DIST += utilities/ovsgre-bench-e2e.sh

E2EFLAGS =
.PHONY: bench-e2e
bench-e2e: vswitchd/ovs-vswitchd utilities/ovsgre-blast
	$(SHELL) $(srcdir)/utilities/ovsgre-bench-e2e.sh . $(E2EFLAGS)

# One PMD thread on DPDK virtual devices, ours against Debian's
# openvswitch-switch-dpdk ('make bench-dpdk', as root, in a build
# configured --with-dpdk).  BENCH_DPDK_FLAGS: RUNS SECONDS ROW-REGEX.
EXTRA_DIST += utilities/ovsgre-bench-dpdk.sh
BENCH_DPDK_FLAGS =
.PHONY: bench-dpdk
bench-dpdk: vswitchd/ovs-vswitchd
	$(SHELL) $(srcdir)/utilities/ovsgre-bench-dpdk.sh . $(BENCH_DPDK_FLAGS)

# ovs-gre's software GSO against DPDK's rte_gso on one GRE-tunnelled TSO
# packet ('make bench-gso'; BENCH_GSO_FLAGS: PAYLOAD ITERATIONS RUNS),
# and its GRO against DPDK's rte_gro on one batch of decapsulated
# TCP/IPv4 segments ('make bench-gro'; BENCH_GRO_FLAGS: SEGMENTS
# ITERATIONS RUNS), in a build configured --with-dpdk; no root or
# hugepages.
BENCH_GSO_FLAGS =
BENCH_GRO_FLAGS =
OVSGRE_BENCH_DPDK_SOURCES = \
	tests/gre-bench-dpdk.c tests/gre-bench-dpdk.h \
	$(OVSGRE_LIB_SOURCES) $(OVSGRE_DP_SOURCES)
.PHONY: bench-gso bench-gro
if HAVE_DPDK
noinst_PROGRAMS += tests/bench-gso tests/bench-gro
tests_bench_gso_SOURCES = tests/bench-gso.c \
	tests/gre-test-push.c tests/gre-test-push.h \
	$(OVSGRE_BENCH_DPDK_SOURCES)
tests_bench_gso_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
EXTRA_tests_bench_gso_DEPENDENCIES = $(OVS_STAMP)
tests_bench_gro_SOURCES = tests/bench-gro.c $(OVSGRE_BENCH_DPDK_SOURCES)
tests_bench_gro_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
EXTRA_tests_bench_gro_DEPENDENCIES = $(OVS_STAMP)
bench-gso: tests/bench-gso
	tests/bench-gso $(BENCH_GSO_FLAGS)
bench-gro: tests/bench-gro
	tests/bench-gro $(BENCH_GRO_FLAGS)
else
bench-gso bench-gro:
	@echo "$@: this build is not configured --with-dpdk" >&2; exit 1
endif
EXTRA_DIST += tests/bench-gso.c tests/bench-gro.c \
	tests/gre-bench-dpdk.c tests/gre-bench-dpdk.h

# Instructions per packet of both sides under callgrind ('make bench-ir').
EXTRA_DIST += utilities/ovsgre-bench-ir.sh
.PHONY: bench-ir
bench-ir: utilities/ovsgre-bench
	$(SHELL) $(srcdir)/utilities/ovsgre-bench-ir.sh utilities/ovsgre-bench
