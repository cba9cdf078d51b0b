# Tests.
#
# 'make check' runs two autotest suites against our ovs-vswitchd:
#
#   tests/testsuite   ovs-gre's own (tests/*.at), written on OVS's test
#                     macros, which autom4te takes from the OVS tree;
#   upstream          the Open vSwitch 3.1 tests listed in
#                     tests/upstream-tests.txt, run from the OVS tree's
#                     prebuilt testsuite ('make check-upstream' alone).
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
	tests/gre-rx.at \
	tests/gre-pcap.at
TESTSUITE = $(srcdir)/tests/testsuite
AUTOTEST = $(AUTOM4TE) -l autotest \
	-I '$(srcdir)/tests' -I '$(srcdir)' -I '$(OVS_SRCDIR)'

EXTRA_DIST += $(TESTSUITE_AT) $(TESTSUITE) tests/package.m4 \
	tests/upstream-tests.txt tests/run-upstream.sh tests/atlocal.in \
	tests/pcap2hex.py $(TEST_PCAPS) tests/pcap/README.md
TEST_PCAPS = $(wildcard $(srcdir)/tests/pcap/*.pcap)

# test-gre: the receive parser on frames given in hex.
noinst_PROGRAMS = tests/test-gre
tests_test_gre_SOURCES = tests/test-gre.c \
	lib/gre-header.c lib/gre-stats.c lib/gre-type.c
tests_test_gre_LDADD = $(OVS_BUILDDIR)/lib/libopenvswitch.la
EXTRA_tests_test_gre_DEPENDENCIES = $(OVS_STAMP)
DISTCLEANFILES += tests/atconfig tests/atlocal

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

check-upstream: all
	$(SHELL) $(srcdir)/tests/run-upstream.sh '$(OVS_SRCDIR)' \
	  '$(OVS_BUILDDIR)' '$(abs_top_builddir)/vswitchd' \
	  '$(abs_srcdir)/tests/upstream-tests.txt' $(TESTSUITEFLAGS)

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
