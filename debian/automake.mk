# Debian packaging: 'dpkg-buildpackage -b -us -uc' in a source tree (a
# clone or the tarball 'make dist' makes) builds openvswitch-switch-gre.
# 'make check-packages' (tests/packages.mk) builds and tries it.
EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/openvswitch-switch-gre.docs \
	debian/openvswitch-switch-gre.postinst \
	debian/openvswitch-switch-gre.prerm \
	debian/rules \
	debian/source/format
