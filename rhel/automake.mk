# RPM packaging: configure makes rhel/ovs-gre.spec from rhel/ovs-gre.spec.in
# with ovs-gre's and Open vSwitch's versions; the tarball that 'make dist'
# makes carries it.  'make check-packages' (tests/packages.mk) builds the
# RPM with rpmbuild -bb.
EXTRA_DIST += rhel/ovs-gre.spec.in rhel/ovs-gre.spec
