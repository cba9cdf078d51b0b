# Read by make in Open vSwitch's build tree after OVS's own Makefile (see
# ABI_STAMP in ovs-gre's Makefile.am): compiles OVSGRE_ABI_SRC into
# OVSGRE_ABI_OBJ with the command OVS compiles its own sources with.

.PHONY: ovsgre-abi
ovsgre-abi:
	$(COMPILE) -c -o $(OVSGRE_ABI_OBJ) $(OVSGRE_ABI_SRC)
