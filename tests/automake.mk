# Tests.
#
# 'make check' runs two autotest suites against our ovs-vswitchd:
#
#   tests/testsuite   ovs-gre's own (tests/*.at), written on OVS's test
#                     macros, which autom4te takes from the OVS tree;
#   upstream          the Open vSwitch tests listed for the OVS version in
#                     tests/upstream-tests-SERIES.txt (3.1 or 3.5), run
#                     from the OVS tree's prebuilt testsuite ('make
#                     check-upstream' alone).
#
# TESTSUITEFLAGS is passed to both (for example -j3, or -k to pick tests).

TESTSUITE_AT = \
	tests/testsuite.at \
	tests/ovsgre-macros.at \
	tests/gre-options.at \
	tests/gre-encap.at \
	tests/gre-decap.at \
	tests/gre-flow.at \
	tests/gre-show.at \
	tests/gre-pmtu.at \
	tests/gre-keepalive.at \
	tests/gre-interop.at \
	tests/gre-rx.at \
	tests/gre-pcap.at \
	tests/gre-offload.at \
	tests/main-loop.at \
	tests/gre-dpdk.at \
	tests/scripts.at
TESTSUITE = $(srcdir)/tests/testsuite
AUTOTEST = $(AUTOM4TE) -l autotest \
	-I '$(srcdir)/tests' -I '$(srcdir)' -I '$(OVS_SRCDIR)'

EXTRA_DIST += $(TESTSUITE_AT) $(TESTSUITE) tests/package.m4 \
	tests/upstream-tests-3.1.txt tests/upstream-tests-3.5.txt \
	tests/run-upstream.sh tests/atlocal.in \
	tests/pcap2hex.py $(TEST_PCAPS) tests/pcap/README.md \
	tests/ovs-copy-check.py
TEST_PCAPS = $(wildcard $(srcdir)/tests/pcap/*.pcap)

# test-gre: the receive parser on frames given in hex.
noinst_PROGRAMS = tests/test-gre
tests_test_gre_SOURCES = tests/test-gre.c $(OVSGRE_LIB_SOURCES)
tests_test_gre_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
EXTRA_tests_test_gre_DEPENDENCIES = $(OVS_STAMP)
DISTCLEANFILES += tests/atconfig tests/atlocal

# test-offload: TSO, checksum offload and GRO on packets given in hex,
# driven by tests/offload-ref.py.
noinst_PROGRAMS += tests/test-offload
tests_test_offload_SOURCES = tests/test-offload.c \
	tests/gre-test-push.c tests/gre-test-push.h \
	$(OVSGRE_LIB_SOURCES) $(OVSGRE_DP_SOURCES)
tests_test_offload_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
EXTRA_tests_test_offload_DEPENDENCIES = $(OVS_STAMP)
EXTRA_DIST += tests/offload-ref.py tests/pmtu-ref.py tests/keepalive-ref.py

# test-loop: the main-loop shortcuts of vswitchd/ovs-loop.c on real
# sockets, linked with the same wrapping as ovs-vswitchd.
noinst_PROGRAMS += tests/test-loop
tests_test_loop_SOURCES = tests/test-loop.c vswitchd/ovs-loop.c
tests_test_loop_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
tests_test_loop_LDFLAGS = $(OVSGRE_LOOP_WRAP)
EXTRA_tests_test_loop_DEPENDENCIES = $(OVS_STAMP)

OVSGRE_AUTOTEST_PATH = $(abs_top_builddir)/vswitchd:$(abs_top_builddir)/tests:$(OVS_BUILDDIR)/utilities:$(OVS_BUILDDIR)/ovsdb:$(OVS_BUILDDIR)/vtep:$(OVS_BUILDDIR)/tests:$(OVS_BUILDDIR)/ipsec

$(srcdir)/tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN){ \
	  echo '# Signature of the current package.'; \
	  echo 'm4_define([AT_PACKAGE_NAME], [$(PACKAGE_NAME)])'; \
	  echo 'm4_define([AT_PACKAGE_TARNAME], [$(PACKAGE_TARNAME)])'; \
	  echo 'm4_define([AT_PACKAGE_VERSION], [$(PACKAGE_VERSION)])'; \
	  echo 'm4_define([AT_PACKAGE_STRING], [$(PACKAGE_STRING)])'; \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} > $@.tmp && mv $@.tmp $@

$(TESTSUITE): $(TESTSUITE_AT) $(srcdir)/tests/package.m4
	$(AM_V_GEN)$(AUTOTEST) -o $@.tmp $@.at && mv $@.tmp $@

.PHONY: check-ovsgre check-upstream
check-ovsgre: all $(TESTSUITE) tests/atlocal
	$(SHELL) '$(TESTSUITE)' -C tests \
	  AUTOTEST_PATH='$(OVSGRE_AUTOTEST_PATH)' $(TESTSUITEFLAGS)

# 'make check-interop': only the tests against Debian's stock daemon
# (tests/gre-interop.at; as root, with openvswitch-switch installed), which
# 'make check-ovsgre' runs too.
.PHONY: check-interop
check-interop: all $(TESTSUITE) tests/atlocal
	$(SHELL) '$(TESTSUITE)' -C tests \
	  AUTOTEST_PATH='$(OVSGRE_AUTOTEST_PATH)' -k interop $(TESTSUITEFLAGS)

check-upstream: all
	$(SHELL) $(srcdir)/tests/run-upstream.sh '$(OVS_SRCDIR)' \
	  '$(OVS_BUILDDIR)' '$(abs_top_builddir)/vswitchd' \
	  '$(abs_srcdir)/tests/upstream-tests-$(OVS_SERIES).txt' \
	  $(TESTSUITEFLAGS)

# Both suites run even if the first fails; check fails if either did.
check-local: all $(TESTSUITE) tests/atlocal
	@status=0; \
	$(MAKE) $(AM_MAKEFLAGS) check-ovsgre || status=1; \
	$(MAKE) $(AM_MAKEFLAGS) check-upstream || status=1; \
	exit $$status

clean-local: clean-testsuite
.PHONY: clean-testsuite
clean-testsuite:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean
	rm -rf tests/testsuite.dir tests/testsuite.log

# Fuzzing: 'make check-fuzz' builds tests/fuzz-pop with clang, libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer, seeds it with every frame
# of the public captures (as captured, and rewritten to the endpoints of the
# harness's ports), and runs it for FUZZ_SECONDS.  A crash, a leak or
# undefined behaviour fails the target and leaves the input in tests/.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_SRCS = tests/fuzz-pop.c $(filter %.c,$(OVSGRE_SOURCES))
EXTRA_DIST += tests/fuzz-pop.c
CLEANFILES += tests/fuzz-pop
.PHONY: check-fuzz fuzz-seeds
tests/fuzz-pop: $(addprefix $(srcdir)/,$(FUZZ_SRCS)) $(OVS_STAMP)
	$(AM_V_CCLD)$(LIBTOOL) --quiet --tag=CC --mode=link $(FUZZ_CC) \
	  $(FUZZ_CFLAGS) $(OVS_OWN_CFLAGS) $(AM_CPPFLAGS) -w -o $@ \
	  $(addprefix $(srcdir)/,$(FUZZ_SRCS)) $(OVSGRE_WRAP) $(OVS_LIBS)

fuzz-seeds:
	rm -rf tests/fuzz-seeds && $(MKDIR_P) tests/fuzz-seeds
	for f in $(srcdir)/tests/pcap/*.pcap; do \
	  $(PYTHON3) $(srcdir)/tests/pcap2hex.py $$f; \
	  $(PYTHON3) $(srcdir)/tests/pcap2hex.py --to-port $$f; \
	done > tests/fuzz-seeds.hex
	ref="$(PYTHON3) $(srcdir)/tests/pmtu-ref.py"; \
	inner=`$$ref frame 4 1400 nodf`; \
	for args in "4 1400" "4 300 quote=24" "6 1400" "4 1400 key=43"; do \
	  $$ref underlay-icmp $$args; \
	done >> tests/fuzz-seeds.hex; \
	$$ref outer-frags $$inner 600 >> tests/fuzz-seeds.hex; \
	$$ref outer-frags $$inner 600 ipv6 >> tests/fuzz-seeds.hex
	ka="$(PYTHON3) $(srcdir)/tests/keepalive-ref.py"; \
	for args in "4" "6" "4 key=5 dst=192.0.2.4" "4 proto=0x6558"; do \
	  $$ka peer $$args; \
	done >> tests/fuzz-seeds.hex
	$(PYTHON3) -c 'import sys; [open("tests/fuzz-seeds/%04d" % i, "wb").write(bytes.fromhex(l.strip())) for i, l in enumerate(sys.stdin)]' < tests/fuzz-seeds.hex
	rm -f tests/fuzz-seeds.hex

check-fuzz: tests/fuzz-pop fuzz-seeds
	$(MKDIR_P) tests/fuzz-corpus
	cd tests && ./fuzz-pop -max_total_time=$(FUZZ_SECONDS) \
	  -print_final_stats=1 -detect_leaks=1 fuzz-corpus fuzz-seeds
