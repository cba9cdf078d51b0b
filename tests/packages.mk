# Packaging test: 'make check-packages', as root on Debian 12, builds the
# Debian package and the RPM from the tarball 'make dist' makes, installs
# the .deb beside Debian's openvswitch-switch and runs Open vSwitch with it
# (see tests/check-packages.sh).  Not part of 'make check': it installs
# and removes packages.  It leaves its logs and packages in
# tests/packages/.
EXTRA_DIST += tests/check-packages.sh

# Source1 of the RPM.
OVS_SOURCE_TARBALL = /usr/src/openvswitch/openvswitch.tar.gz

.PHONY: check-packages
check-packages: dist-gzip
	$(SHELL) $(srcdir)/tests/check-packages.sh \
	  '$(distdir).tar.gz' '$(OVS_SOURCE_TARBALL)' \
	  '$(abs_builddir)/tests/packages'

clean-local: clean-packages
.PHONY: clean-packages
clean-packages:
	rm -rf tests/packages
