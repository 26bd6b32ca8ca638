#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the guest's runner (qemu/init.sh) in a real guest: a selftest
# cut off at its bound is reported as timed out, and nothing a selftest
# leaves running (here, readers holding rpm_sim's debugfs files open)
# outlives it to keep rpm_sim from unloading.
#
#   tests/runner/run.sh LABEL	(a scripts/run-kernel.sh label)
#
# Prints KTAP; exits 1 if a test fails.

top=$(cd "$(dirname "$0")/../.." && pwd)
label=${1:?usage: tests/runner/run.sh LABEL}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpm_sim-runner.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
res=$tmp/results/$label

RPM_SIM_RESULTS=$tmp/results RPM_SIM_SELFTESTS=$top/tests/runner/selftests \
	RPM_SIM_APPEND=rpm_sim_env.RPM_SIM_SELFTEST_TIMEOUT=3 \
	sh "$top/scripts/run-kernel.sh" "$label" >"$tmp/run.log" 2>&1

num=0
failures=0
# check NAME FILE ERE: FILE holds a line matching ERE.
check() {
	num=$((num + 1))
	if grep -qE -- "$3" "$2" 2>/dev/null; then
		echo "ok $num $1"
		return
	fi
	echo "# $(basename "$2") has no line matching /$3/:"
	sed 's/^/# /' "$2" 2>/dev/null | tail -n 5
	echo "not ok $num $1"
	failures=$((failures + 1))
}

echo "KTAP version 1"
echo "1..4"
check overrun_reported_as_timeout "$res/selftest-overrun.ktap" \
	'^not ok 1 overrun # timed out after 3 s$'
check left_behind_passes "$res/selftest-left_behind.ktap" '^ok 1 left_behind$'
check unload_after_leftovers "$res/module-unload.ktap" '^ok 1 module_unload$'
check guest_finished "$res/guest.ktap" '^ok [0-9]+ boot_finished$'
[ $failures -eq 0 ] || { tail -n 20 "$tmp/run.log" | sed 's/^/# /'; exit 1; }
