# Packaging test: 'make check-packages', as root on Debian 12 or 13, builds
# the Debian package and the RPM from the tarball 'make dist' makes,
# installs the .deb beside Debian's openvswitch-switch and runs Open
# vSwitch with it (see tests/check-packages.sh).  Not part of 'make check': it installs
# and removes packages.  It leaves its logs and packages in
# tests/packages/.
EXTRA_DIST += tests/check-packages.sh

# Source1 of the RPM: Debian's openvswitch-source tarball on Debian 12, or
# one made of its tree on Debian 13.
OVS_SOURCE_TARBALL = $(firstword \
	$(wildcard /usr/src/openvswitch/openvswitch.tar.gz) \
	tests/openvswitch-source.tar.gz)
tests/openvswitch-source.tar.gz:
	$(AM_V_GEN)tar -czf $@.tmp -C '$(dir $(OVS_SRCDIR))' \
	  '$(notdir $(OVS_SRCDIR))' && mv $@.tmp $@
CLEANFILES += tests/openvswitch-source.tar.gz

.PHONY: check-packages
check-packages: dist-gzip $(OVS_SOURCE_TARBALL)
	$(SHELL) $(srcdir)/tests/check-packages.sh \
	  '$(distdir).tar.gz' '$(OVS_SOURCE_TARBALL)' \
	  '$(abs_builddir)/tests/packages'

clean-local: clean-packages
.PHONY: clean-packages
clean-packages:
	rm -rf tests/packages
