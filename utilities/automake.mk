# Scripts for users: the quick-start set-up, test runner and demo.
EXTRA_DIST += \
	utilities/ovsgre-setup.sh \
	utilities/ovsgre-demo.sh
