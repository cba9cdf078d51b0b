# Man pages: ovs-gre(7), the reference for the ports' options, counters and
# commands, and ovs-vswitchd-gre(8), the daemon and its alternative.
#
# Documentation/gre-man.py prepares each page's source: it takes the
# reference text from Documentation/ovs-gre.rst (by its "man:" comments)
# and Documentation/gre-appctl.rst, lists the drop counters from the
# GRE_DROP X-macro in lib/gre-stats.h, and fails if an option of the table
# in lib/gre-options.c, a counter or a registered unixctl command is not
# documented.  rst2man (python3-docutils) formats it.  Without rst2man the
# man pages are neither built nor installed.
EXTRA_DIST += \
	Documentation/gre-appctl.rst \
	Documentation/gre-man.py \
	Documentation/ovs-gre.7.rst \
	Documentation/ovs-vswitchd-gre.8.rst

GRE_MAN_C_FILES = $(filter %.c,$(OVSGRE_SOURCES))
GRE_MAN = $(PYTHON3) $(srcdir)/Documentation/gre-man.py \
	--define VERSION='$(PACKAGE_VERSION)' \
	--define OVS_VERSION='$(OVS_VERSION)' \
	$(foreach f,$(GRE_MAN_C_FILES),--commands $(srcdir)/$(f))
GRE_MAN_DEPS = \
	$(srcdir)/Documentation/gre-man.py \
	$(srcdir)/Documentation/gre-appctl.rst \
	$(addprefix $(srcdir)/,$(GRE_MAN_C_FILES))
# rst2man: warnings (a missing include, bad markup) are errors.
GRE_RST2MAN = $(RST2MAN) --halt=warning

if HAVE_RST2MAN
man_MANS = Documentation/ovs-gre.7 Documentation/ovs-vswitchd-gre.8
CLEANFILES += $(man_MANS)
endif

Documentation/ovs-gre.7: $(srcdir)/Documentation/ovs-gre.7.rst \
		$(srcdir)/Documentation/ovs-gre.rst $(srcdir)/lib/gre-stats.h \
		$(srcdir)/lib/gre-options.c $(GRE_MAN_DEPS)
	$(AM_V_GEN)$(MKDIR_P) Documentation && \
	$(GRE_MAN) --stats $(srcdir)/lib/gre-stats.h \
	  --options $(srcdir)/lib/gre-options.c \
	  $(srcdir)/Documentation/ovs-gre.7.rst > $@.rst.tmp && \
	$(GRE_RST2MAN) $@.rst.tmp $@.tmp && \
	rm -f $@.rst.tmp && mv $@.tmp $@

Documentation/ovs-vswitchd-gre.8: \
		$(srcdir)/Documentation/ovs-vswitchd-gre.8.rst $(GRE_MAN_DEPS)
	$(AM_V_GEN)$(MKDIR_P) Documentation && \
	$(GRE_MAN) $(srcdir)/Documentation/ovs-vswitchd-gre.8.rst \
	  > $@.rst.tmp && \
	$(GRE_RST2MAN) $@.rst.tmp $@.tmp && \
	rm -f $@.rst.tmp && mv $@.tmp $@
