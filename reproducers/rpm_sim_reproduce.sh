#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The corpus of fixed upstream bugs (reproducers/bugs/*.sh), one case each:
# ok when the kernel behaves as the fix made it, not ok, naming the fix,
# when the bug shows. Not one of the default units: scripts/reproduce.sh
# packs it, with the selftests' lib beside it, and says which kernels are
# known to lack which fix.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module

bugs=$(ls "$(dirname "$0")"/bugs/*.sh)
[ -n "$bugs" ] || ktap_fail_all "no reproducers in $(dirname "$0")/bugs"
ktap_header "$(echo "$bugs" | wc -l)"
# run_case's cleanup: the devices the case said it makes.
case_cleanup() {
	for d in $repro_devs; do
		[ -d $DBG/devices/"$d" ] || continue
		echo "release all" >$DBG/devices/"$d"/gate
		del_dev "$d"
	done
}
for f in $bugs; do
	# Each file defines repro (the scenario: non-zero and a "# ..." line
	# naming the fix when the bug shows) and repro_devs (what it makes).
	unset -f repro
	repro_devs=
	. "$f"
	run_case "$(basename "$f" .sh | tr '-' '_')" repro
done
ktap_finish
