# Scripts for users: the quick-start set-up, test runner and demo.
EXTRA_DIST += \
	utilities/ovsgre-setup.sh \
	utilities/ovsgre-demo.sh \
	utilities/ovsgre-netns.sh \
	utilities/ovsgre-tso.sh

# ovsgre-bench: ovs-gre's push and pop against OVS 3.1's own, side by side
# ('make bench'; not part of 'make check').  It links OVS's library
# without the glue, so OVS's built-in GRE classes are there to compare.
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
# (TSO off) against ours (TSO on), iperf3 for 10 s each; as root, with
# openvswitch-switch and iperf3 installed.  BENCH_TSO_RUNS runs each.
BENCH_TSO_RUNS = 3
.PHONY: bench-tso
bench-tso: all
	$(srcdir)/utilities/ovsgre-tso.sh $(abs_top_builddir) bench \
	  $(BENCH_TSO_RUNS)
