#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the host pipeline: qemu/run.py on recorded guest runs (logs/, see
# logs/README) and on a QEMU that hangs, scripts/summary.py on the results,
# and the kernel's own kunit.py parser on the KTAP they write.
#
#   tests/pipeline/run.sh
#
# Boots nothing and needs no root. Prints KTAP; exits 1 if a test fails.
# KUNIT_PY names the kunit.py to check KTAP with (default: the unpacked
# 6.12 source in the rpm_sim cache); those tests skip without one.

top=$(cd "$(dirname "$0")/../.." && pwd)
export PYTHONDONTWRITEBYTECODE=1
logs=$top/tests/pipeline/logs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpm_sim-pipeline.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
res=$tmp/results

if [ -z "$KUNIT_PY" ]; then
	for k in "${RPM_SIM_CACHE:-$HOME/.cache/rpm_sim}"/src/linux-source-6.12*/tools/testing/kunit/kunit.py; do
		[ -f "$k" ] && KUNIT_PY=$k && break
	done
fi

num=0
failures=0
why=

fail() { why="$why$*
"; }

# report NAME [DIRECTIVE]: the result of the checks made since the last one.
report() {
	num=$((num + 1))
	if [ -n "$2" ]; then
		echo "ok $num $1 # $2"
	elif [ -z "$why" ]; then
		echo "ok $num $1"
	else
		printf '%s' "$why" | sed 's/^/# /'
		echo "not ok $num $1"
		failures=$((failures + 1))
	fi
	why=
}

# analyze CASE: run.py --analyze on a recording; sets rc, out, dir.
analyze() {
	dir=$res/$1
	out=$tmp/$1.out
	python3 "$top/qemu/run.py" --analyze "$logs/$1/console.log" \
		"$logs/$1/results.raw" --label "$1" --results "$res" >"$out" 2>&1
	rc=$?
}

expect_rc() { [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1"; }
expect_grep() {	# FILE ERE
	grep -qE -- "$2" "$1" || fail "$(basename "$1") has no line matching /$2/"
}
expect_no_grep() {	# FILE ERE
	! grep -qE -- "$2" "$1" || fail "$(basename "$1") has a line matching /$2/"
}

# kunit_parse FILE [pass]: kunit.py reads FILE without error; with "pass",
# it also reports success (or that every test skipped: it exits 1 then).
kunit_parse() {
	p=$tmp/kunit.out
	python3 "$KUNIT_PY" parse "$1" >"$p" 2>&1
	prc=$?
	if grep -qE '\[(ERROR|CRASHED)\]' "$p" || ! grep -q 'Testing complete' "$p"; then
		fail "kunit.py parse $(basename "$1"):"
		fail "$(cat "$p")"
	elif [ $prc -ne 0 ] && [ "$2" = pass ] &&
			! grep -qE 'Ran [0-9]+ tests: skipped: [0-9]+$' "$p"; then
		fail "kunit.py parse $(basename "$1") exited $prc"
	fi
}

echo "KTAP version 1"
# The plan: one "report" per case in this file, plus the two kunit.py
# cases, reported from either branch of their if.
echo "1..$(($(grep -c '^report ' "$0") + 2))"

sh -n "$top/qemu/init.sh" || fail "qemu/init.sh: syntax error"
for f in "$top"/scripts/*.sh "$top"/tests/pipeline/*.sh; do
	sh -n "$f" || fail "$f: syntax error"
done
report shell_syntax

# The splat table, line by line: each kind found, no harmless line flagged.
python3 - "$top/qemu" "$top/tests/pipeline/splat-lines.txt" >"$tmp/kinds" 2>&1 <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import run
for line in open(sys.argv[2]):
	if line.startswith('#') or not line.strip():
		continue
	want, text = line.rstrip('\n').split('\t', 1)
	got = run.splat_kind(text) or '-'
	if got != want:
		print(f'{text!r}: kind {got!r}, expected {want!r}')
EOF
[ -s "$tmp/kinds" ] && fail "$(cat "$tmp/kinds")"
report splat_table

# A system-sleep error rpm_sim was told to make (sleep_fail) is expected
# for that device and that error until the transition ends; not after,
# not for another device, not another error.
python3 - "$top/qemu" >"$tmp/told" 2>&1 <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import run
told = '[ 1.0] rpm_sim: ss_b_s: suspend fails with -5 as told (sleep_fail)'
rep = '[ 1.1] rpm_sim_drv ss_b_s: PM: failed to suspend: error -5'
# Each splat shows the lines after it: keep them apart.
gap = ['[ 1.2] quiet'] * (run.CONTEXT_LINES + 1)
console = [told, rep,
	   '[ 1.2] rpm_sim_drv ss_b_s: PM: dpm_run_callback(): rsim_bus_suspend [rpm_sim] returns -5',
	   '[ 1.3] rpm_sim_drv ss_c_s: PM: failed to suspend: error -5'] + gap + [
	   '[ 1.4] rpm_sim_drv ss_b_s: PM: failed to suspend late: error -16'] + gap + [
	   '[ 1.5] PM: suspend exit', rep]
heads = [d for d in run.find_splats(console) if not d.startswith(' ')]
n = run.CONTEXT_LINES + 1
want = [f'console.log:{i} ' for i in (4, 5 + n, 7 + 2 * n)]
if len(heads) != len(want) or not all(w in h for w, h in zip(want, heads)):
	print('splats:', heads)
EOF
[ -s "$tmp/told" ] && fail "$(cat "$tmp/told")"
report sleep_fail_told_is_expected

analyze oops
expect_rc 1
expect_grep "$dir/guest.ktap" '^not ok 1 boot_finished$'
expect_grep "$dir/guest.ktap" '^# last 30 console lines before the end:$'
expect_grep "$dir/guest.ktap" '^# module-load: BEGIN without END'
expect_grep "$dir/module-load.ktap" '^not ok 1 module-load$'
expect_grep "$dir/guest.ktap" '^# oops at console.log:[0-9]+ \([^)]*\): .*Oops: general protection fault'
expect_grep "$dir/guest.ktap" '^#   .*KASAN: null-ptr-deref'
expect_grep "$dir/guest.ktap" '^# kernel panic at console.log:[0-9]+ \([^)]*\): .*Kernel panic - not syncing: Fatal exception'
expect_grep "$dir/guest.ktap" '^not ok 5 no_kernel_splat$'
report oops_stops_the_guest

analyze lockdep
expect_rc 1
expect_grep "$dir/guest.ktap" '^ok 1 boot_finished$'
expect_grep "$dir/guest.ktap" '^# lockdep at console.log:[0-9]+ \([^)]*\): .*WARNING: possible circular locking dependency detected'
expect_grep "$dir/guest.ktap" '^#   .*is trying to acquire lock:'
expect_grep "$dir/guest.ktap" '^not ok 5 no_kernel_splat$'
report lockdep_splat

analyze kasan
expect_rc 1
expect_grep "$dir/guest.ktap" '^# KASAN at console.log:[0-9]+ \([^)]*\): .*BUG: KASAN: slab-use-after-free in rsim_splat'
expect_grep "$dir/guest.ktap" '^#   .*Read of size 4 at addr'
expect_grep "$dir/guest.ktap" '^not ok 5 no_kernel_splat$'
report kasan_report

analyze truncated
expect_rc 1
expect_grep "$dir/guest.ktap" '^# no RPM_SIM_DONE on the results channel'
expect_grep "$dir/guest.ktap" '^# last 30 console lines before the end:$'
expect_grep "$dir/guest.ktap" '^not ok 1 boot_finished$'
expect_grep "$dir/guest.ktap" '^# selftest-skip: BEGIN without END'
expect_grep "$dir/guest.ktap" '^# module-unload: planned, never started$'
expect_grep "$dir/guest.ktap" '^not ok 2 plan_complete$'
expect_grep "$dir/guest.ktap" '^# selftest-hello: top level: plan says 5, got 3 results$'
expect_grep "$dir/selftest-skip.ktap" '^# TAP version 13$'
expect_grep "$dir/selftest-skip.ktap" '^# no RPM_SIM_END: output cut off here$'
expect_grep "$dir/selftest-skip.ktap" '^not ok 1 selftest-skip$'
expect_grep "$dir/guest.ktap" '^not ok 3 ktap_complete$'
expect_grep "$dir/guest.ktap" '^ok 5 no_kernel_splat$'
expect_grep "$out" '^truncated selftest-hello: 3 pass, 1 fail, 0 skip$'
report truncated_ktap_stream

analyze kunit-hang
expect_rc 1
expect_grep "$dir/guest.ktap" '^not ok 1 boot_finished$'
expect_grep "$dir/guest.ktap" '^# KUnit output stops inside suite rpm_sim_tl, after the header of tl4_probe_resumes_parent_device_attach$'
expect_grep "$dir/guest.ktap" '^# rpm_sim_ag: BEGIN without END'
# The suites that finished before the hang keep their verdicts; the hung
# case is named as failed.
expect_grep "$dir/rpm_sim_ag.ktap" '^ok 1 rpm_sim_ag$'
expect_grep "$dir/rpm_sim_tl.ktap" '^    not ok 6 tl4_probe_resumes_parent_device_attach$'
expect_grep "$dir/rpm_sim_tl.ktap" '^not ok 1 rpm_sim_tl$'
expect_grep "$dir/guest.ktap" '^ok 5 no_kernel_splat$'
report kunit_hang_names_the_suite

# The guest died while the KUnit module loaded: every suite that finished
# keeps its own verdict from the console, the cut one its finished cases.
analyze kunit-crash
expect_rc 1
expect_grep "$dir/guest.ktap" '^not ok 1 boot_finished$'
expect_grep "$dir/guest.ktap" '^# KUnit output stops inside suite rpm_sim_rm'
expect_grep "$dir/guest.ktap" '^not ok 5 no_kernel_splat$'
expect_grep "$dir/rpm_sim_ag.ktap" '^    not ok 6 ag4_barrier_cancels_requests$'
expect_grep "$dir/rpm_sim_ag.ktap" '^not ok 1 rpm_sim_ag$'
expect_grep "$dir/rpm_sim_ri.ktap" '^ok 1 rpm_sim_ri$'
expect_grep "$dir/rpm_sim_rm.ktap" '^    ok 1 rm1_notifier_sees_active$'
expect_grep "$dir/rpm_sim_rm.ktap" '^not ok 1 rpm_sim_rm$'
[ ! -f "$dir/rpm_sim_tl.ktap" ] || fail "rpm_sim_tl never ran, yet has a document"
expect_grep "$dir/guest.ktap" '^# rpm_sim_tl: planned, never started$'
kunit_parse "$dir/rpm_sim_ri.ktap" pass
report kunit_crash_keeps_finished_suites

analyze kmemleak
expect_rc 1
expect_grep "$dir/guest.ktap" '^# kmemleak at console.log:[0-9]+ \([^)]*\): unreferenced object 0x[0-9a-f]+ \(size 96\):'
expect_grep "$dir/guest.ktap" '^#   .*comm "insmod"'
expect_grep "$dir/guest.ktap" '^ok 1 boot_finished$'
report kmemleak_report

# scripts/shutdown-check.py on consoles: a real run's, passing; hand-made
# ones (a 20-device forest, one link), each with one violation, which must
# be named; and ones that leave something unchecked, which must fail.
shutdown_check() {	# CASE [FILE]
	out=$(python3 "$top/scripts/shutdown-check.py" "${2:-$logs/$1/console.log}")
	rc=$?
}
# says LINE-REGEX WHAT: a diagnostic line of $out, or a failure naming WHAT.
says() {
	echo "$out" | grep -q "^# $1\$" || fail "$2"
}
# case_is ok|not NAME: the named case's result in $out, whatever its number.
case_is() {
	if [ "$1" = ok ]; then
		echo "$out" | grep -qE "^ok [0-9]+ $2$" || fail "$2 did not pass"
	else
		echo "$out" | grep -qE "^not ok [0-9]+ $2$" || fail "$2 did not fail"
	fi
}
shutdown_check shutdown-clean
expect_rc 0
for c in sd_workload_shut_down sd1_children_before_parents_kernel \
		sd1_children_before_parents_model sd2_consumers_before_suppliers_kernel \
		sd2_consumers_before_suppliers_model sd3_runtime_pm_blocked sd4_async_shutdown; do
	case_is ok $c
done
report shutdown_real_run_passes

# The same run with one device's lines gone: fewer than the manifest says.
grep -v 'sd_e1 ' "$logs/shutdown-clean/console.log" >"$tmp/partial.log"
shutdown_check partial "$tmp/partial.log"
expect_rc 1
case_is not sd_workload_shut_down
says 'the workload made 28 devices and 5 links, the topology shows 27 and 5' \
	"the missing device is not reported"
report shutdown_partial_workload_fails

# An unbound device never shuts down: that is not a pass.
sed 's/\(sd_g0 .*\)bound=1/\1bound=0/' "$logs/shutdown-clean/console.log" >"$tmp/unbound.log"
shutdown_check unbound "$tmp/unbound.log"
expect_rc 1
says 'sd_g0: not bound, so never shut down' \
	"the unbound device is not named"
report shutdown_unbound_device_fails

# SD-3's noresume: the topology says each device's status at the reboot
# notifier; one suspended there (and without a timer) but active at its
# ->shutdown was resumed on the way. A real run that prints the statuses
# (test-6.12 at 9302215) passes; the same with sd_c2 found active fails.
shutdown_check shutdown-status
expect_rc 0
case_is ok sd3_runtime_pm_blocked
sed 's/\(rpm_sim-shutdown: sd_c2 begin .*\)status=suspended/\1status=active/' \
	"$logs/shutdown-status/console.log" >"$tmp/resumed.log"
shutdown_check resumed "$tmp/resumed.log"
expect_rc 1
case_is not sd3_runtime_pm_blocked
says 'sd_c2: suspended at the reboot notifier, active at ->shutdown: resumed on the way' \
	"the device resumed before its ->shutdown is not named"
# A run in which no device was asleep at the reboot notifier tests nothing.
sed 's/\(rpm_sim-topology: .*\)status=suspended/\1status=active/' \
	"$logs/shutdown-status/console.log" >"$tmp/awake.log"
shutdown_check awake "$tmp/awake.log"
expect_rc 1
case_is not sd3_runtime_pm_blocked
says 'no device was suspended at the reboot notifier: that it is not resumed was not put to the test' \
	"a run with no suspended device passes SD-3's resume check"
report shutdown_resumed_before_shutdown_fails

shutdown_check shutdown-parent-first
expect_rc 1
says 'child sd_r3c ended at [0-9]*, after parent sd_r3 began at [0-9]*' \
	"the parent-before-child pair is not named"
case_is not sd1_children_before_parents_kernel
case_is ok sd2_consumers_before_suppliers_kernel
# No asynchronous device: the model's cases have nothing to check.
case_is not sd1_children_before_parents_model
says 'no such pair in the workload: nothing was checked' \
	"a case with nothing to check did not say so"
report shutdown_parent_before_child

shutdown_check shutdown-supplier-first
expect_rc 1
says 'consumer sd_r5c ended at [0-9]*, after supplier sd_s0 began at [0-9]*' \
	"the supplier-before-consumer pair is not named"
case_is not sd2_consumers_before_suppliers_kernel
case_is ok sd1_children_before_parents_kernel
report shutdown_supplier_before_consumer

# Devices that opted in to async shutdown but ran one after another.
shutdown_check shutdown-serial
expect_rc 1
says 'no two asynchronous ->shutdown calls overlapped' \
	"serial execution not reported"
case_is not sd4_async_shutdown
case_is ok sd1_children_before_parents_model
report shutdown_async_that_was_serial

# A real run with hand-over times, on a host busy with make check: 480 ms
# against a 241 ms dependency chain, which the old bound (twice the chain)
# failed at times; against the best schedule the loop allowed, it passes.
shutdown_check shutdown-loaded
expect_rc 0
case_is ok sd4_async_shutdown
says 'best schedule from the hand-over times: [0-9.]* ms' \
	"no best schedule computed from a real log"
report shutdown_loaded_host_passes

# Four independent asynchronous devices, all handed over at once: three ran
# together, the fourth only after them, though nothing held it back.
shutdown_check shutdown-late-start
expect_rc 1
says '210.3 ms is far above the best schedule 100.0 ms' \
	"the late start is not reported"
case_is not sd4_async_shutdown
report shutdown_async_started_late

# A real 6.1 test-kernel run whose only kmemleak reports are early-boot
# objects (ACPI caches under start_kernel): not the tests' doing.
analyze kmemleak-boot
expect_rc 0
expect_grep "$logs/kmemleak-boot/console.log" 'acpi_early_init'
expect_grep "$dir/guest.ktap" '^ok 5 no_kernel_splat$'
report kmemleak_boot_time_ignored

analyze odebug
expect_rc 1
expect_grep "$dir/guest.ktap" '^# ODEBUG at console.log:[0-9]+ \([^)]*\): .*-\[ cut here \]-'
expect_grep "$dir/guest.ktap" '^#   .*ODEBUG: init active \(active state 0\) object: .* object type: timer_list'
expect_grep "$dir/guest.ktap" '^not ok 5 no_kernel_splat$'
report odebug_report

analyze clean
expect_rc 0
expect_grep "$logs/clean/console.log" 'loading out-of-tree module taints kernel'
expect_grep "$logs/clean/console.log" 'Kernel command line: .*oops=panic'
for f in "$dir"/*.ktap; do
	expect_no_grep "$f" '^ *not ok '
done
expect_grep "$out" '^clean rpm_sim_rm: 5 pass, 0 fail, 1 skip$'
expect_grep "$out" '^clean selftest-skip: 0 pass, 0 fail, 1 skip$'
expect_grep "$out" '^clean guest: 5 pass, 0 fail, 0 skip$'
report clean_run_passes

# The installed kselftest collection: the runner's TAP 13 document, one
# result a script, each script's KTAP nested as "# " lines; a failing
# script fails the unit, and its own lines say why.
analyze kselftest-fail
expect_rc 1
expect_grep "$dir/kselftest-rpm_sim.ktap" '^TAP version 13$'
expect_grep "$dir/kselftest-rpm_sim.ktap" '^not ok 4 selftests: rpm_sim: rpm_sim_rmmod.sh # exit=1$'
expect_grep "$dir/kselftest-rpm_sim.ktap" '^# # RPM_SIM_RMMOD_CYCLES=x: not a number$'
expect_grep "$dir/kselftest-rpm_sim.ktap" '^ok 5 selftests: rpm_sim: rpm_sim_sleep.sh$'
expect_grep "$out" '^kselftest-fail kselftest-rpm_sim: 4 pass, 1 fail, 0 skip$'
expect_grep "$dir/guest.ktap" '^ok 5 no_kernel_splat$'
expect_no_grep "$dir/guest.ktap" '^not ok'
python3 "$top/scripts/summary.py" "$res" kselftest-fail >"$tmp/sum-ksft" 2>&1
expect_grep "$tmp/sum-ksft" '^kselftest-fail +kselftest-rpm_sim +4 +1 +0 +81\.7$'
expect_grep "$tmp/sum-ksft" '^      RPM_SIM_RMMOD_CYCLES=x: not a number$'
report kselftest_collection_failure_counted

# One console: the results framed on the kernel console's port.
# analyze_framed LABEL CAPTURE: run.py --one-console on it; sets rc, out, dir.
analyze_framed() {
	dir=$res/$1
	out=$tmp/$1.out
	python3 "$top/qemu/run.py" --one-console --analyze "$2" - --label "$1" \
		--results "$res" >"$out" 2>&1
	rc=$?
}
oc=$logs/one-console/console-framed.log
analyze_framed one-console "$oc"
expect_rc 0
expect_grep "$out" '^one-console selftest-rpm_sim_control: 12 pass, 0 fail, 0 skip$'
expect_grep "$out" '^one-console guest: 5 pass, 0 fail, 0 skip$'
expect_no_grep "$dir/console.log" '@RSIM@'
report one_console_results_read

# What the kernel prints into a frame, its header too, is taken out of it
# and still read as console (a splat there is found); a frame spoiled
# otherwise, reported.
python3 - "$oc" >"$tmp/oc-cut.log" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
five = data.index(b'@RSIM@5 ')
cut = data.index(b'|', five) + 10
data = (data[:cut] + b'[    7.777777] WARNING: CPU: 1 PID: 1 at drivers/base/dd.c:555 '
	b'really_probe+0x1/0x2\n' + data[cut:])
# Into a header too (stock-6.1 in make check, as the guest began a unit).
seven = data.index(b'@RSIM@7 ') + 10
data = (data[:seven] + b'[    7.888888] rpm_sim-init: unit selftest-x begins\n' + data[seven:])
# Into the end marker, and into the start marker (stock-6.1 in CI).
eight = data.index(b'@MISR@', data.index(b'@RSIM@8 ')) + 3
data = (data[:eight] + b'[    7.898989] BUG: sleeping function called from invalid context\n'
	+ data[eight:])
twelve = data.index(b'@RSIM@12 ') + 2
data = (data[:twelve] + b'[    7.999999] rpm_sim-init: unit selftest-y begins\n'
	+ b'[    7.999999] rpm_sim-init: two lines at once\n' + data[twelve:])
ten = data.index(b'|', data.index(b'@RSIM@10 ')) + 3
data = data[:ten] + (b'X' if data[ten:ten + 1] != b'X' else b'Y') + data[ten + 1:]
sys.stdout.buffer.write(data)
PY
analyze_framed one-console-cut "$tmp/oc-cut.log"
expect_rc 1
expect_grep "$out" '^one console: 3 results frames had kernel lines printed into them'
expect_no_grep "$dir/guest.ktap" 'missing|cut off'
expect_grep "$dir/guest.ktap" '^# WARNING at console.log:[0-9]+ .*WARNING: CPU: 1 PID: 1 at drivers/base/dd.c:555'
expect_grep "$dir/console.log" '^\[    7.898989\] BUG: sleeping function called from invalid context$'
expect_grep "$dir/console.log" '^\[    7.999999\] rpm_sim-init: two lines at once$'
expect_no_grep "$dir/console.log" '@RS|SR@'
expect_grep "$dir/guest.ktap" '^# results frame 10 is corrupt: its length or sum is wrong$'
expect_grep "$dir/guest.ktap" '^not ok 5 no_kernel_splat$'
report one_console_frame_cut_by_kernel

analyze clean-stock
expect_rc 0
expect_grep "$logs/clean-stock/console.log" 'module verification failed: signature and/or required key missing - tainting kernel'
expect_grep "$dir/rpm_sim_rm.ktap" '^ok 1 rpm_sim_rm # SKIP CONFIG_KUNIT is not set in this kernel$'
expect_grep "$dir/guest.ktap" '^ok 5 no_kernel_splat$'
report stock_kernel_skips_kunit

analyze kunit-fail
expect_rc 1
expect_grep "$logs/kunit-fail/console.log" '# ri1_fails: EXPECTATION FAILED'
expect_grep "$dir/rpm_sim_ri.ktap" '^    not ok 1 ri1_fails$'
expect_no_grep "$dir/guest.ktap" '^not ok'
expect_grep "$out" '^kunit-fail rpm_sim_ri: 1 pass, 1 fail, 0 skip$'
report kunit_failure_is_not_a_splat

# 6.1: parameterised cases and long failures come through whole (init.sh
# reads the kernel log; 6.1's debugfs copy would lose both).
analyze kunit-6.1
expect_rc 1
expect_grep "$dir/rpm_sim_rm.ktap" '^        ok 1 val-1$'
expect_grep "$dir/rpm_sim_ri.ktap" '^    not ok 3 ri3_long_failure$'
expect_no_grep "$dir/guest.ktap" '^not ok'
expect_grep "$out" '^kunit-6.1 rpm_sim_ri: 2 pass, 1 fail, 0 skip$'
report kunit_on_6_1_is_complete

# A seed asked for on the command line must be the one the stress cases
# used (on 6.1 a test module's own parameters never reached its suites):
# the kunit-crash recording, its command line given a seed.
for seed in 7 2899967985; do
	mkdir -p "$tmp/seed-$seed"
	sed "s/^\(\[ *[0-9.]*\] Kernel command line: .*\)$/\1 rpm_sim.seed=$seed/" \
		"$logs/kunit-crash/console.log" >"$tmp/seed-$seed/console.log"
	python3 "$top/qemu/run.py" --analyze "$tmp/seed-$seed/console.log" \
		"$logs/kunit-crash/results.raw" --label "seed-$seed" --results "$res" \
		>/dev/null 2>&1
done
expect_grep "$res/seed-7/guest.ktap" \
	'^# rpm_sim.seed=7 was asked for, the suites used 2899967985$'
expect_grep "$res/seed-7/guest.ktap" '^not ok 2 plan_complete$'
expect_no_grep "$res/seed-2899967985/guest.ktap" 'was asked for'
report requested_seed_is_used

# What CI systems read: KCIDB statuses and the exit status keep a test's
# failure (FAIL, 1) apart from the harness's (ERROR and MISS, 2).
export_run() {	# label... ; sets rc, kcidb
	KUNIT_PY=${KUNIT_PY:-/nonexistent} python3 "$top/scripts/export-results.py" \
		"$res" "$@" >"$tmp/export.out" 2>&1
	rc=$?
	kcidb=$res/export/kcidb.json
}
kcidb_has() {	# status path
	grep -A 4 "\"path\": \"$2\"," "$kcidb" | grep -q "\"status\": \"$1\"" ||
		fail "kcidb.json: no $1 test at $2"
}
export_run clean
expect_rc 0
kcidb_has PASS rpm_sim.rpm_sim_rm.rm1_notifier_sees_active
kcidb_has PASS rpm_sim.rpm_sim_rm.rm4_param.val-2
kcidb_has SKIP rpm_sim.selftest-skip.pm_test_freeze
expect_grep "$res/export/clean.ktap" '^    # Subtest: rpm_sim_rm.ktap$'
expect_grep "$res/export/clean.ktap" '^ok 3 rpm_sim_rm.ktap$'
report export_clean_run_passes

export_run kselftest-fail
expect_rc 1
kcidb_has FAIL rpm_sim.kselftest-rpm_sim.selftests_rpm_sim_rpm_sim_rmmod_sh
expect_grep "$kcidb" '"log_excerpt": "exit=1.*RPM_SIM_RMMOD_CYCLES=x: not a number'
expect_grep "$res/export/kselftest-fail.ktap" '^not ok 4 kselftest-rpm_sim.ktap$'
report export_test_failure_is_fail

export_run kunit-hang
expect_rc 2
kcidb_has ERROR rpm_sim.guest.boot_finished
kcidb_has MISS rpm_sim.rpm_sim_tl
kcidb_has PASS rpm_sim.guest.no_kernel_splat
report export_killed_guest_is_error

export_run oops
expect_rc 1
kcidb_has FAIL rpm_sim.guest.no_kernel_splat
kcidb_has ERROR rpm_sim.module-load.module-load
kcidb_has MISS rpm_sim.module-unload
report export_kernel_crash_is_fail

# The schema check refuses what KCIDB would.
python3 - "$top/scripts/export-results.py" "$kcidb" >"$tmp/schema.out" 2>&1 <<'PY'
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location('export', sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
doc = json.load(open(sys.argv[2]))
assert mod.validate(doc) is None, mod.validate(doc)
for where, key, bad in (('tests', 'status', 'BROKEN'), ('tests', 'path', 'a..b'),
			 ('builds', 'valid', True), ('tests', 'id', 'no_colon')):
	r = json.load(open(sys.argv[2]))
	r[where][0][key] = bad
	assert mod.validate(r), f'{where}.{key}={bad!r} accepted'
PY
[ $? -eq 0 ] || fail "schema check: $(tail -n 1 "$tmp/schema.out")"
report kcidb_schema_refuses_bad_reports

# A kernel whose host stopped before the boot (no KTAP at all) is the
# harness's error: its build is ERROR; no results anywhere, the same.
mkdir -p "$res/no-boot"
printf 'label=no-boot\nstage=build\n' >"$res/no-boot/run.env"
export_run no-boot
expect_rc 2
grep -A 8 '"id": "rpm_sim:no-boot-' "$kcidb" | grep -q '"status": "ERROR"' ||
	fail "kcidb.json: the build of no-boot is not ERROR"
KUNIT_PY=/nonexistent python3 "$top/scripts/export-results.py" "$tmp/nowhere" >"$tmp/export.out" 2>&1
rc=$?
expect_rc 2
expect_grep "$tmp/export.out" '^export: no kernel results under '
report export_no_boot_is_error

# The KTAP we write, checked by the kernel's own parser.
if [ -f "$KUNIT_PY" ]; then
	for f in "$res"/clean/*.ktap "$res"/clean-stock/*.ktap; do
		kunit_parse "$f" pass
	done
	report kunit_py_parses_clean_run
	# All but the document the truncated recording breaks on purpose.
	for f in "$res"/*/*.ktap; do
		[ "$f" = "$res/truncated/selftest-hello.ktap" ] || kunit_parse "$f"
	done
	report kunit_py_parses_failure_reports
else
	report kunit_py_parses_clean_run "SKIP kunit.py not found (set KUNIT_PY)"
	report kunit_py_parses_failure_reports "SKIP kunit.py not found (set KUNIT_PY)"
fi

python3 "$top/scripts/summary.py" "$res" clean clean-stock >"$tmp/sum" 2>&1
rc=$?
expect_rc 0
[ "$(tail -n 1 "$tmp/sum")" = "23 passed, 0 failed, 5 skipped" ] ||
	fail "last line: '$(tail -n 1 "$tmp/sum")', expected '23 passed, 0 failed, 5 skipped'"
expect_grep "$tmp/sum" '^clean +rpm_sim_rm +5 +0 +1 +0\.0$'
report summary_counts_clean_runs

python3 "$top/scripts/summary.py" "$res" kunit-fail >"$tmp/sum" 2>&1
rc=$?
expect_rc 1
[ "$(tail -n 1 "$tmp/sum")" = "14 passed, 1 failed, 1 skipped" ] ||
	fail "last line: '$(tail -n 1 "$tmp/sum")', expected '14 passed, 1 failed, 1 skipped'"
# The failing case is named at the end, with why, before the totals.
expect_grep "$tmp/sum" '^  kunit-fail rpm_sim_ri: rpm_sim_ri\.ri1_fails$'
expect_grep "$tmp/sum" '^      ri1_fails: EXPECTATION FAILED at '
expect_no_grep "$tmp/sum" '^      module: '
report summary_fails_on_a_failing_case

python3 "$top/scripts/summary.py" "$res" truncated >"$tmp/sum" 2>&1
rc=$?
expect_rc 1
expect_grep "$tmp/sum" '^truncated +selftest-skip +0 +1 +0 +-$'
report summary_counts_a_broken_document_as_failed

python3 "$top/scripts/summary.py" "$res" clean no-such-kernel >"$tmp/sum" 2>&1
rc=$?
expect_rc 1
expect_grep "$tmp/sum" '^no-such-kernel +\(no results\) +0 +1 +0 +-$'
report summary_fails_on_a_missing_label

# A suite out of the kernel log, as the guest reads it (qemu/kunit-from-
# kmsg.awk, run by busybox's awk there): the last whole run only, and a
# message from another CPU between a block's version and "# Subtest:"
# lines moved past them, where kunit.py can read it.
for t in '' '[    T1]'; do
	sed "s/^\(\[ *[0-9.]*\]\)/\1$t/" >"$tmp/kmsg" <<EOF
[    1.000000]     KTAP version 1
[    1.000001]     # Subtest: s
[    1.000002]     1..1
[    1.000003]         KTAP version 1
[    1.000004]         # Subtest: c
[    1.000005]         not ok 1 a
[    1.000006]     not ok 1 c
[    1.000007] not ok 1 s
[    2.000000] rpm_sim-init: unit s-rerun begins
[    2.000001]     KTAP version 1
[    2.000002]     # Subtest: s
[    2.000003]     1..1
[    2.000004]         KTAP version 1
[    2.000005] kobject: 'x' ((____ptrval____)): kobject_release, parent 0000000000000000 (delayed 250)
[    2.000006]         # Subtest: c
[    2.000007]         ok 1 a
[    2.000008]     # c: pass:1 fail:0 skip:0 total:1
[    2.000009]     ok 1 c
[    2.000010] # s: pass:1 fail:0 skip:0 total:1
[    2.000011] # Totals: pass:1 fail:0 skip:0 total:1
[    2.000012] ok 2 s
[    2.000013]     KTAP version 1
[    2.000014]     # Subtest: s
EOF
	cat >"$tmp/kmsg.want" <<EOF
KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    1..1
        KTAP version 1
        # Subtest: c
kobject: 'x' ((____ptrval____)): kobject_release, parent 0000000000000000 (delayed 250)
        ok 1 a
    # c: pass:1 fail:0 skip:0 total:1
    ok 1 c
# s: pass:1 fail:0 skip:0 total:1
# Totals: pass:1 fail:0 skip:0 total:1
ok 1 s
EOF
	for a in awk "${RPM_SIM_BUSYBOX:-/bin/busybox} awk"; do
		$a -v suite=s -f "$top/qemu/kunit-from-kmsg.awk" "$tmp/kmsg" >"$tmp/kmsg.ktap" 2>&1
		cmp -s "$tmp/kmsg.want" "$tmp/kmsg.ktap" ||
			fail "$a${t:+ (caller ids)}: $(diff "$tmp/kmsg.want" "$tmp/kmsg.ktap" | head -n 5)"
	done
done
[ ! -f "$KUNIT_PY" ] || kunit_parse "$tmp/kmsg.ktap" pass
report kunit_suite_out_of_the_kernel_log

# A result line the kernel log lost (6.1's reruns are read from it): the
# block still closes, but KUnit's own count of it disagrees.
mkdir -p "$tmp/lost/l"
cat >"$tmp/lost/l/s.ktap" <<EOF
KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    1..1
        KTAP version 1
        # Subtest: c
        ok 1 a
    # c: pass:2 fail:0 skip:0 total:2
    ok 1 c
# s: pass:1 fail:0 skip:0 total:1
# Totals: pass:2 fail:0 skip:0 total:2
ok 1 s
EOF
python3 "$top/scripts/summary.py" "$tmp/lost" >"$tmp/sum" 2>&1
rc=$?
expect_rc 1
expect_grep "$tmp/sum" "^      'c': KUnit counted pass:2 fail:0 skip:0 total:2, its result lines pass:1 "
expect_grep "$tmp/sum" "^      's': KUnit counted pass:2 fail:0 skip:0 total:2, its result lines pass:1 "
sed -i 's/: pass:2 fail:0 skip:0 total:2/: pass:1 fail:0 skip:0 total:1/' "$tmp/lost/l/s.ktap"
python3 "$top/scripts/summary.py" "$tmp/lost" >"$tmp/sum" 2>&1
rc=$?
expect_rc 0
report summary_fails_on_a_lost_result_line

# 6.1 prints a parameter's result without its SKIP directive: a case
# skipped as a whole reads as skipped and the counts agree; the same picture
# with a line lost, or with one parameter passing, still fails.
mkdir -p "$tmp/skip61/l"
skip61() {	# the parameter lines, c's count line
	cat <<EOF
KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    1..2
        KTAP version 1
        # Subtest: c
$1
    # c: $2
    ok 1 c # SKIP no such API
    ok 2 d
# s: pass:1 fail:0 skip:1 total:2
# Totals: pass:1 fail:0 skip:2 total:3
ok 1 s
EOF
}
both="        ok 1 bus a
        ok 2 bus b"
skip61 "$both" "pass:0 fail:0 skip:2 total:2" >"$tmp/skip61/l/s.ktap"
python3 "$top/scripts/summary.py" "$tmp/skip61" >"$tmp/sum" 2>&1
rc=$?
expect_rc 0
expect_grep "$tmp/sum" "^1 passed, 0 failed, 2 skipped"
skip61 "        ok 1 bus a" "pass:0 fail:0 skip:2 total:2" >"$tmp/skip61/l/s.ktap"
python3 "$top/scripts/summary.py" "$tmp/skip61" >"$tmp/sum" 2>&1
rc=$?
expect_rc 1
expect_grep "$tmp/sum" "'c': KUnit counted pass:0 fail:0 skip:2 total:2, its result lines pass:1 "
skip61 "$both" "pass:1 fail:0 skip:1 total:2" >"$tmp/skip61/l/s.ktap"
python3 "$top/scripts/summary.py" "$tmp/skip61" >"$tmp/sum" 2>&1
rc=$?
expect_rc 1
report summary_reads_61_skipped_parameters

# A nested block without its "# Subtest:" line: valid KTAP to us, but
# kunit.py reads past its end. The check names the line.
skip=
if [ -f "$KUNIT_PY" ]; then
	sed '/# Subtest: c$/d' "$tmp/lost/l/s.ktap" >"$tmp/lost/l/h.ktap"
	sh "$top/scripts/ktap-parse-check.sh" "$tmp/lost" >"$tmp/kpc" 2>&1
	rc=$?
	expect_rc 1
	expect_grep "$tmp/kpc" '^# line 6: "        KTAP version 1" opens a block without a "# Subtest:" line$'
	expect_grep "$tmp/kpc" '^not ok [0-9]+ l_h_ktap$'
	expect_grep "$tmp/kpc" '^ok [0-9]+ l_s_ktap$'
else
	skip="SKIP kunit.py not found (set KUNIT_PY)"
fi
report ktap_parse_check_names_a_headless_block "$skip"

# make check proves the covering set of the seeded regressions: one
# regression a contract, every contract of the whole set.
python3 "$top/scripts/prove-report.py" --cover "$top/patches/prove" >"$tmp/cover" 2>&1
rc=$?
expect_rc 0
contracts() {	# NAME...: each regression's contract, a line each
	for n in "$@"; do
		sed -n -e '/^--- /q' -e 's/^Contract: *//p' "$top/patches/prove/$n.patch"
	done
}
all=$(cd "$top/patches/prove" && ls *.patch | sed 's/\.patch$//')
contracts $all | sort -u >"$tmp/cover.all"
contracts $(cat "$tmp/cover") | sort >"$tmp/cover.got"
cmp -s "$tmp/cover.all" "$tmp/cover.got" ||
	fail "not one regression a contract: missing $(comm -23 "$tmp/cover.all" "$tmp/cover.got" | tr '\n' ' ')," \
		"twice $(uniq -d "$tmp/cover.got" | tr '\n' ' ')"
[ "$(wc -l <"$tmp/cover")" -lt "$(echo "$all" | wc -l)" ] ||
	fail "the covering set is every regression"
report prove_cover_names_every_contract_once

# The covering set boots each regression with the units that hold its
# expected tests: the KUnit suite of a case, its Selftests line, and every
# suite for what no unit holds (a shutdown case, a runner's check).
for want in ag1-resume-request-not-queued:rpm_sim_ag rm-get-noresume:rpm_sim_rm,rpm_sim_control \
	    ri1-every-error-deferred:rpm_sim_knobs sd1-kset-move-to-head:kunit \
	    dc1-bind-not-announced:kunit; do
	got=$(python3 "$top/scripts/prove-report.py" --units "$top/patches/prove/${want%%:*}.patch" 2>&1)
	[ "$got" = "${want#*:}" ] || fail "${want%%:*}: units '$got', expected '${want#*:}'"
done
for want in ri1-every-error-deferred:probe_error rm-get-noresume:unbind_bind_rm1_rm2 \
	    sd1-kset-move-to-head: ag1-resume-request-not-queued:; do
	got=$(python3 "$top/scripts/prove-report.py" --cases "$top/patches/prove/${want%%:*}.patch" 2>&1)
	[ "$got" = "${want#*:}" ] || fail "${want%%:*}: cases '$got', expected '${want#*:}'"
done
# Of a KUnit suite, the cases named and their kin; nothing for several
# suites or a runner's check.
for want in 'ag1-resume-request-not-queued:rpm_sim_ag.ag1_get_*' rm-get-noresume:'rpm_sim_rm.rm*' \
	    dc1-bind-not-announced: sd1-kset-move-to-head:; do
	got=$(python3 "$top/scripts/prove-report.py" --glob "$top/patches/prove/${want%%:*}.patch" 2>&1)
	[ "$got" = "${want#*:}" ] || fail "${want%%:*}: glob '$got', expected '${want#*:}'"
done
# The selftests run the cases RPM_SIM_CASES names, with their variants.
sel=$(RPM_SIM_CASES=ss2_state,probe_error sh -c '. "$1"; for c in ss2_state_x_sd ss2_state probe_error \
	probe_errors ss1_x; do case_selected $c && echo $c; done' - "$top/selftests/lib/rpm_sim.sh" | paste -sd' ')
[ "$sel" = "ss2_state_x_sd ss2_state probe_error" ] || fail "RPM_SIM_CASES selected: $sel"
sel=$(sh -c '. "$1"; case_selected any_case && echo all' - "$top/selftests/lib/rpm_sim.sh")
[ "$sel" = all ] || fail "without RPM_SIM_CASES a case was not selected"
report prove_units_hold_the_expected_tests

# The selftests' snapshot queries (evq, evhas, evcount, evqv) answer what
# ev (awk on the live log) answers, in dash and in the guest's busybox sh:
# the Nth match, a device whose name begins another's, the query's words
# in a line's values, a glob character in a line, and no match.
mkdir -p "$tmp/evdbg"
cat >"$tmp/evdbg/events" <<'EOF'
7 100 0 ss_a_sd driver suspend enter ret=0 status=active
8 101 1 ss_a_s driver suspend enter ret=0 status=active last=[x]*
9 102 0 ss_a_s driver suspend exit ret=0 note=ss_a_s
10 103 0 ss_b_s ss_a_s driver suspend enter ret=0
11 104 0 ss_a_s driver suspend enter ret=-5 status=suspended
12 105 0 ss_a_s bus runtime_resume enter ret=0
EOF
# a file that line 8, taken as a glob, would match
touch "$tmp/evdbg/8 101 1 ss_a_s driver suspend enter ret=0 status=active last=x1"
for sh in sh "${RPM_SIM_BUSYBOX:-/bin/busybox} sh"; do
	got=$(cd "$tmp/evdbg" && $sh -c '. "$1"
		DBG=$2
		ev_snap
		for q in "ss_a_s driver suspend enter" "ss_a_s driver suspend enter 2" \
			 "ss_a_s driver suspend enter 3" "ss_a_sd driver suspend enter" \
			 "ss_a_s driver suspend exit" "ss_a_s bus runtime_resume enter" \
			 "ss_a driver suspend enter" "ss_a_s driver resume enter"; do
			set -- $q
			want=$(ev "$@")
			evq line "$@"
			[ "$line" = "$want" ] || echo "evq $q: got \"$line\", ev \"$want\""
			h=0
			! evhas "$@" || h=1
			[ $h = $([ -n "$want" ] && echo 1 || echo 0) ] || echo "evhas $q: $h"
		done
		evcount n ss_a_s driver suspend enter
		[ "$n" = 2 ] || echo "evcount: $n, want 2"
		evcount n ss_a_s driver resume enter
		[ "$n" = 0 ] || echo "evcount of none: $n, want 0"
		evqv v ret ss_a_s driver suspend enter 2
		[ "$v" = -5 ] || echo "evqv: $v, want -5"
		evq l ss_a_s driver suspend enter
		evq m ss_a_s driver suspend enter 2
		before "$l" "$m" && ! before "$m" "$l" || echo "before: wrong order"
		[ "$(evval "$m" status)" = suspended ] && [ -z "$(evval "$m" nokey)" ] ||
			echo "evval: \"$(evval "$m" status)\" \"$(evval "$m" nokey)\""
		case $- in *f*) echo "evq left globbing off" ;; esac' \
		- "$top/selftests/lib/rpm_sim.sh" "$tmp/evdbg" 2>&1)
	[ -z "$got" ] || fail "$sh: $got"
done
report selftest_snapshot_queries_match_ev

# make mutate: every mutant is one changed or deleted line of one
# function, applies to the tree it was drawn from, and is proved as
# "Expect: any" (any red test kills it).
mkdir -p "$tmp/msrc/drivers/base"
cat >"$tmp/msrc/drivers/base/m.c" <<'EOF'
static int m_check(struct device *dev, int n)
{
	if (dev->power.usage_count == 0 && n > 1)
		return 0;
	atomic_inc(&dev->power.child_count);
	return 1;
}
EOF
python3 "$top/scripts/mutate.py" --seed 3 "$tmp/mut" "$tmp/msrc" drivers/base/m.c:50 \
	>"$tmp/mut.out" 2>&1
rc=$?
expect_rc 0
expect_grep "$tmp/mut.out" '^mutate: drivers/base/m.c: 8 of 8 mutants$'
for p in "$tmp"/mut/*.patch; do
	[ -e "$p" ] || { fail "no mutant written"; break; }
	expect_grep "$p" '^Expect: any$'
	patch -d "$tmp/msrc" -p1 --dry-run -s <"$p" >/dev/null 2>&1 || fail "$(basename "$p") does not apply"
	[ "$(grep -c '^-[^-]' "$p")" -eq 1 ] || fail "$(basename "$p") removes other than one line"
done
n=mut-m-m_check-5-del
mkdir -p "$tmp/mres/prove-baseline" "$tmp/mres/prove-$n"
printf 'KTAP version 1\n1..1\nok 1 a_case\n' >"$tmp/mres/prove-baseline/selftest-x.ktap"
printf 'KTAP version 1\n1..1\nnot ok 1 a_case\n' >"$tmp/mres/prove-$n/selftest-x.ktap"
python3 "$top/scripts/prove-report.py" "$tmp/mut" "$tmp/mres" $n >"$tmp/mrep" 2>&1
rc=$?
expect_rc 0
expect_grep "$tmp/mrep" "^# $n \\(MUT\\): killed$"
report mutate_mutants_apply_and_any_red_kills

mkdir -p "$tmp/empty"
python3 "$top/scripts/summary.py" "$tmp/empty" >"$tmp/sum" 2>&1
rc=$?
expect_rc 1
[ "$(tail -n 1 "$tmp/sum")" = "0 passed, 0 failed" ] ||
	fail "last line: '$(tail -n 1 "$tmp/sum")', expected '0 passed, 0 failed'"
report summary_fails_without_results

# A guest that never finishes: the runner kills it at the timeout.
start=$(date +%s)
RPM_SIM_ACCEL=tcg python3 "$top/qemu/run.py" --qemu "$top/tests/pipeline/fake-qemu.sh" \
	--kernel "$top/tests/pipeline/fake-qemu.sh" --initrd "$top/tests/pipeline/fake-qemu.sh" \
	--label hang --results "$res" --timeout 3 >"$tmp/hang.out" 2>&1
rc=$?
secs=$(($(date +%s) - start))
[ "$rc" -ne 0 ] || fail "exit status 0 for a guest that hung"
[ "$secs" -lt 8 ] || fail "took $secs s to give up on a 3 s timeout"
expect_grep "$tmp/hang.out" 'timeout: guest did not finish in 3 s'
expect_grep "$res/hang/guest.ktap" '^# timeout: guest did not finish in 3 s$'
expect_grep "$res/hang/boot.env" '^qemu=QEMU emulator version 0\.0 \(fake-qemu\)$'
expect_grep "$res/hang/boot.env" '^error=timeout: guest did not finish in 3 s$'
expect_grep "$res/hang/guest.ktap" '^#   rpm_sim-init: plan: module-load module-unload$'
expect_grep "$res/hang/guest.ktap" '^# module-load: BEGIN without END'
expect_grep "$res/hang/guest.ktap" '^not ok 1 boot_finished$'
export_run hang
expect_rc 2
kcidb_has ERROR rpm_sim.guest.boot_finished
kcidb_has MISS rpm_sim.module-unload
expect_grep "$kcidb" '"comment": "QEMU microvm, tcg: QEMU emulator version 0\.0 \(fake-qemu\)"'
report timeout_kills_a_hung_guest

# The plan the guest announces must be the one the host packed.
sed -n 's/^RPM_SIM_PLAN //p' "$logs/clean/results.raw" >"$tmp/plan"
python3 "$top/qemu/run.py" --analyze "$logs/clean/console.log" "$logs/clean/results.raw" \
	--label plan-same --results "$res" --plan "$tmp/plan" >/dev/null 2>&1
expect_grep "$res/plan-same/guest.ktap" '^ok 2 plan_complete$'
echo "module-load rpm_sim_rm selftest-extra module-unload" >"$tmp/plan"
python3 "$top/qemu/run.py" --analyze "$logs/clean/console.log" "$logs/clean/results.raw" \
	--label plan-other --results "$res" --plan "$tmp/plan" >/dev/null 2>&1
expect_grep "$res/plan-other/guest.ktap" '^# the guest announced the plan .*, the host packed module-load rpm_sim_rm selftest-extra module-unload$'
expect_grep "$res/plan-other/guest.ktap" '^not ok 2 plan_complete$'
report plan_checked_against_the_packed_one

# run.py --analyze writes over a previous run's files, leaving no stale unit.
mkdir -p "$res/clean"
echo "KTAP version 1" >"$res/clean/stale-unit.ktap"
analyze clean
[ ! -e "$res/clean/stale-unit.ktap" ] || fail "stale-unit.ktap survived a new run"
report results_dir_is_rewritten

# make run's choices reach scripts/run-kernel.sh (make -n boots nothing),
# and bad ones stop make with a message before anything runs.
cmd=$(make -s -n -C "$top" run FILTER='rpm_sim_rm.rm1*' SEED=7 PARAMS='gate_timeout_ms=2000' \
	APPEND=loglevel=4 CASES=probe_error,bindable 2>&1 | grep run-kernel.sh)
for want in "RPM_SIM_UNITS='rpm_sim_rm'" 'loglevel=4 ' 'kunit.filter_glob=rpm_sim_rm.rm1\* ' \
	    'rpm_sim_env.RPM_SIM_CASES=probe_error,bindable ' \
	    'rpm_sim.seed=7 ' 'rpm_sim_env.RPM_SIM_FUZZ_SEED=7 ' 'rpm_sim.gate_timeout_ms=2000"'; do
	echo "$cmd" | grep -q -- "$want" || fail "make run does not pass on $want: $cmd"
done
for bad in "FILTER=*.rm1*:its suite part is a pattern" "SEED=4x:a whole number" \
	   "CASES=a*b:selftest case names" \
	   "PARAMS=gate:not NAME=VALUE"; do
	out=$(make -s -n -C "$top" run "${bad%%:*}" 2>&1)
	rc=$?
	expect_rc 2
	echo "$out" | grep -q "${bad#*:}" || fail "make run ${bad%%:*}: $out"
done
report make_run_choices

# A kernel of the user's own that lacks what the guest needs is refused
# before anything is built or booted, naming each missing option.
kd=$tmp/kdir
mkdir -p "$kd/arch/x86/boot"
touch "$kd/Makefile" "$kd/Module.symvers" "$kd/arch/x86/boot/bzImage"
sed -e '/^CONFIG_X86_MPPARSE=/d' -e 's/^CONFIG_SERIAL_8250_RUNTIME_UARTS=.*/CONFIG_SERIAL_8250_RUNTIME_UARTS=1/' \
	"$top/tests/pipeline/custom.config" >"$kd/.config"
RPM_SIM_RESULTS=$res sh "$top/scripts/run-kernel.sh" custom-config "$kd" >"$tmp/cfg.out" 2>&1
rc=$?
expect_rc 1
expect_grep "$tmp/cfg.out" 'lacks what the guest needs: CONFIG_X86_MPPARSE=y CONFIG_SERIAL_8250_RUNTIME_UARTS>=2$'
[ ! -d "$top/build/custom-config" ] || fail "build/custom-config was made for a refused kernel"
report custom_kernel_config_checked

# Each unit's event records (RPM_SIM_EVENTS blocks after its END, gzipped
# in base64 or as text) are kept apart from its KTAP, under events/; a
# block the guest did not end keeps what it holds, and says so.
analyze events
expect_rc 0
log=$dir/events/selftest-rpm_sim_attach.log
if [ -f "$log" ]; then
	# The recording's block: records 0 to 164, of device at_s.
	[ "$(grep -c '^[0-9]' "$log")" -eq 165 ] || fail "$log: $(grep -c '^[0-9]' "$log") records, not 165"
	expect_grep "$log" '^0 [0-9]+ [0-9] at_s core notify_add_device mark '
	expect_grep "$log" '^164 '
	expect_no_grep "$log" '^RPM_SIM_'
	expect_grep "$dir/selftest-rpm_sim_attach.ktap" '^ok 5 attach_gate$'
	expect_no_grep "$dir/selftest-rpm_sim_attach.ktap" '^[0-9]+ [0-9]+ |^H4sI'
	expect_no_grep "$out" 'stray line'
	# The same records as text, and cut off in the middle either way.
	for code in text gz; do
		cut=$tmp/events-$code
		mkdir -p "$cut"
		cp "$logs/events/console.log" "$cut/"
		if [ $code = gz ]; then
			sed '/^RPM_SIM_EVENTS /{n;n;n;q}' "$logs/events/results.raw" >"$cut/results.raw"
		else
			{ sed '/^RPM_SIM_EVENTS /q' "$logs/events/results.raw" | sed '$s/ gz$/ text/'
			  sed -n '1,100p' "$log"; } >"$cut/results.raw"
		fi
		python3 "$top/qemu/run.py" --analyze "$cut/console.log" "$cut/results.raw" \
			--label cut-$code --results "$res" >"$tmp/cut.out" 2>&1
		got=$res/cut-$code/events/selftest-rpm_sim_attach.log
		expect_grep "$got" '^# cut off here: no RPM_SIM_EVENTS_END$'
		n=$(grep -c '^[0-9]' "$got")
		[ "$n" -gt 0 ] && [ "$n" -lt 165 ] || fail "$code, cut off: $n records"
		# What came through is the recording's beginning (the last line
		# of a stream cut in the middle may be partial).
		grep '^[0-9]' "$got" | sed '$d' >"$tmp/got"
		head -n "$(wc -l <"$tmp/got")" "$log" | cmp -s - "$tmp/got" ||
			fail "$code, cut off: not the records' beginning"
	done
else
	fail "no $log"
fi
report events_kept_per_unit

# Each unit's time on the guest's clock, from the console's time stamps
# (the recording's units begin at 2.559445, 2.690901 and 3.082803 s, the
# plan ends at 3.302278 s and the guest at 3.624816 s); a suite's time is
# its own run (the clean recording's rpm_sim_rm, 32 ms), and a recording
# without time stamps gives none.
python3 "$top/scripts/summary.py" "$res" events >"$tmp/sum" 2>&1
rc=$?
expect_rc 0
expect_grep "$tmp/sum" '^kernel +unit +pass +fail +skip +guest s$'
expect_grep "$tmp/sum" '^events +module-load +1 +0 +0 +0\.1$'
expect_grep "$tmp/sum" '^events +selftest-rpm_sim_attach +[0-9]+ +0 +[0-9]+ +0\.4$'
expect_grep "$tmp/sum" '^events +module-unload +1 +0 +0 +0\.2$'
expect_grep "$tmp/sum" '^events +guest +5 +0 +0 +3\.6$'
# The recording ran no shutdown check, so no row shows its time: read it.
PYTHONPATH=$top/scripts python3 -c 'import sys, summary
print("%.3f" % summary.unit_seconds(sys.argv[1])["shutdown"])' \
	"$logs/events/console.log" >"$tmp/shutdown-secs" 2>&1
[ "$(cat "$tmp/shutdown-secs")" = 0.323 ] || fail "shutdown: $(cat "$tmp/shutdown-secs") s, not 0.323"
report summary_times_each_unit

# The timelines: a page a unit that logged, the shutdown drawn to scale,
# an index; well-formed SVG, self-contained (no script, nothing fetched),
# with the gate held in the recording as a band.
python3 "$top/scripts/timeline.py" "$dir" >"$tmp/tl.out" 2>&1 || fail "timeline.py: $(cat "$tmp/tl.out")"
page=$dir/timeline/selftest-rpm_sim_attach.html
for f in index.html selftest-rpm_sim_attach.html shutdown.html; do
	[ -f "$dir/timeline/$f" ] || fail "no timeline/$f"
done
if [ -f "$page" ]; then
	python3 - "$page" "$dir/timeline/shutdown.html" >"$tmp/tl.check" 2>&1 <<-'EOF' || fail "$(cat "$tmp/tl.check")"
	import re, sys, xml.dom.minidom
	for path in sys.argv[1:]:
	    text = open(path).read()
	    svgs = re.findall(r'<svg.*?</svg>', text, re.S)
	    assert svgs, f'{path}: no SVG'
	    for s in svgs:
	        xml.dom.minidom.parseString(s)
	    assert '<script' not in text and not re.search(r'(src|href)="(https?:)?//', text), \
	        f'{path}: not self-contained'
	text = open(sys.argv[1]).read()
	assert text.count('class="hold"') == 1, 'the gate held once in the recording'
	for layer in ('#b279a2', '#4c78a8', '#f58518'):
	    assert f'fill="{layer}" class="span"' in text, f'no span of colour {layer}'
	assert 'class="notify"' in text and 'class="call"' in text
	assert re.search(r'<text x="4" y="\d+" class="dev">at_s</text>', text)
	sd = open(sys.argv[2]).read()
	assert sd.count('class="span"') >= 20, 'shutdown: fewer than 20 devices drawn'
	EOF
fi
grep -q 'href="selftest-rpm_sim_attach.html"' "$dir/timeline/index.html" ||
	fail "index.html does not link the unit's page"
report timeline_pages_drawn

# And a real browser draws them: chromium's screenshot of the page has the
# layers' colours and the held gate's band.
skip="SKIP no chromium (apt-get install chromium)"
if command -v chromium >/dev/null && [ -f "$page" ]; then
	skip=
	timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=1500,400 \
		--screenshot="$tmp/tl.png" "file://$page" >"$tmp/chromium.out" 2>&1
	counts=$(python3 "$top/tests/pipeline/png_colours.py" "$tmp/tl.png" b279a2 4c78a8 f58518 2>&1)
	set -- $counts
	if [ $# -ne 5 ]; then
		fail "no screenshot: $counts $(tail -n 3 "$tmp/chromium.out")"
	else
		[ "$3" -gt 100 ] && [ "$4" -gt 100 ] && [ "$5" -gt 100 ] ||
			fail "screenshot $1: attach/bus/driver pixels $3/$4/$5"
	fi
fi
report timeline_renders_in_chromium "$skip"

# What make run needs is checked before anything is installed: a kernel
# of the user's own needs no Debian kernel, and a user who is not root
# (or not on Debian) is told what is missing instead of failing in apt.
st=$tmp/deps-bin
mkdir -p "$st"
for c in qemu-system-x86_64 busybox cpio gzip make gcc flock flex bison bc xz pahole perl; do
	printf '#!/bin/sh\nexit 0\n' >"$st/$c"
done
printf '#!/bin/sh\nexit 0\n' >"$st/python3"
printf '#!/bin/sh\nexit 1\n' >"$st/dpkg-query"
printf '#!/bin/sh\necho 1000\n' >"$st/id"
printf '#!/bin/sh\ntouch %s/apt-ran\n' "$tmp" >"$st/apt-get"
chmod +x "$st"/*
ln -s "$(command -v grep)" "$st/grep"
deps() {	# ARGS...: install-deps.sh with only the stubs; sets rc, out
	out=$(PATH=$st RPM_SIM_BUSYBOX=$st/busybox RPM_SIM_SRC_DIR=$tmp/no-src \
		/bin/sh "$top/scripts/install-deps.sh" "$@" 2>&1)
	rc=$?
}
deps --for custom
expect_rc 0
[ -z "$out" ] || fail "--for custom, all there, said: $out"
deps --for test-6.12
expect_rc 1
echo "$out" | grep -q 'missing: .*/no-src/linux-source-6.12.tar.xz$' || fail "--for test-6.12: $out"
echo "$out" | grep -q 'linux-image\|6\.1\.tar' && fail "--for test-6.12 asks for more: $out"
deps --for stock-6.1
expect_rc 1
echo "$out" | grep -q 'linux-image-amd64 linux-headers-amd64$' || fail "--for stock-6.1: $out"
rm "$st/qemu-system-x86_64"
deps --for custom
expect_rc 1
echo "$out" | grep -q 'missing: qemu-system-x86_64$' || fail "--for custom without QEMU: $out"
echo "$out" | grep -q 'qemu-system-x86$' || fail "--for custom does not name the package: $out"
[ ! -e "$tmp/apt-ran" ] || fail "apt-get ran for a user who is not root"
report deps_checked_before_installing

# make clean against a kernel tree: scripts/Makefile.clean reads Kbuild
# too, without the compiler flags the probes need or the .config.
hdr=$(ls -d /lib/modules/*/build 2>/dev/null | head -n 1)
skip="SKIP no kernel headers in /lib/modules"
if [ -f "$hdr/Makefile" ]; then
	skip=
	mkdir -p "$tmp/clean"
	cp -r "$top/Kbuild" "$top/rpm_sim" "$top/kunit" "$tmp/clean/"
	touch "$tmp/clean/rpm_sim/main.o" "$tmp/clean/rpm_sim.ko"
	make -C "$hdr" M="$tmp/clean" clean >"$tmp/clean.out" 2>&1
	rc=$?
	expect_rc 0
	[ ! -e "$tmp/clean/rpm_sim/main.o" ] || fail "rpm_sim/main.o survived make clean"
	[ $rc -eq 0 ] || fail "$(grep -m 1 -- '\*\*\*' "$tmp/clean.out")"
fi
report make_clean_against_a_tree "$skip"

# make reproduce's verdicts: Debian's kernels must lack exactly what their
# code shows (each bug's Lacking line), a fixed kernel nothing; a kernel
# whose corpus never ran, or whose boot failed otherwise, fails.
rr=$tmp/reproduce
corpus() {	# label: the corpus KTAP, not ok for the bugs named after it
	lbl=$1
	shift
	mkdir -p "$rr/$lbl"
	{
		echo "KTAP version 1"
		echo "1..$(ls "$top"/reproducers/bugs/*.sh | wc -l)"
		n=0
		for f in "$top"/reproducers/bugs/*.sh; do
			n=$((n + 1))
			name=$(basename "$f" .sh | tr '-' '_')
			verdict=ok
			for lacked in "$@"; do
				case $name in "$lacked"_*) verdict="not ok" ;; esac
			done
			echo "$verdict $n $name"
		done
	} >"$rr/$lbl/selftest-rpm_sim_reproduce.ktap"
}
corpus stock-6.12 d0b8651a0261 4fb352df14de 632d31067be2
corpus stock-6.1
corpus unfixed-6.12
corpus fixed-6.12
printf 'KTAP version 1\n1..1\nnot ok 1 no_kernel_splat\n' >"$rr/unfixed-6.12/guest.ktap"
# A bug's own symptom (its Symptom line), in its failing case, is the bug
# showing; the same splat in a case that passed is not.
splat_in() {	# label case
	sso=$(basename "$top"/reproducers/bugs/632d31067be2-*.sh .sh | tr '-' '_')
	printf '%s\n' 'KTAP version 1' '1..1' \
		"# system sleep stuck at console.log:9 (unit selftest-rpm_sim_reproduce, case $sso): [ 9.0] rpm_sim: system sleep stuck for 20000 ms: ending the dpm waits on rpm_sim devices" \
		'#   [ 9.0] rpm_sim: rp_sso_par: system sleep still waits for it' \
		'not ok 1 no_kernel_splat' >"$rr/$1/guest.ktap"
}
splat_in stock-6.12
splat_in stock-6.1
# run-kernel.sh's status: explained by the corpus's own failures on
# stock-6.12, by nothing on fixed-6.12.
echo 1 >"$rr/stock-6.12.rc"
echo 1 >"$rr/fixed-6.12.rc"
python3 "$top/scripts/reproduce-report.py" "$top/reproducers/bugs" "$top/patches/fixes" \
	"$rr" stock-6.12 stock-6.1 fixed-6.1 unfixed-6.12 fixed-6.12 >"$tmp/rr.out" 2>&1
rc=$?
expect_rc 1
expect_grep "$tmp/rr.out" '^ok 1 reproduce_stock_6.12$'
expect_grep "$tmp/rr.out" '^# stock-6.1: 51888393cc64_[a-z_]*: has the fix, expected to lack it$'
expect_grep "$tmp/rr.out" '^not ok 2 reproduce_stock_6.1$'
expect_grep "$tmp/rr.out" '^# fixed-6.1: no KTAP from the corpus'
expect_grep "$tmp/rr.out" '^not ok 3 reproduce_fixed_6.1$'
expect_grep "$tmp/rr.out" '^# unfixed-6.12: guest: no_kernel_splat$'
expect_grep "$tmp/rr.out" '^# unfixed-6.12: c745253e2a69_[a-z_]*: has the fix, expected to lack it$'
# The report carries a failure's findings: a CI log shows only the report.
expect_grep "$tmp/rr.out" '^# stock-6.1: guest: no_kernel_splat; system sleep stuck at .*; \[ 9.0\] rpm_sim: rp_sso_par: system sleep still waits for it$'
expect_grep "$tmp/rr.out" '^# fixed-6.12: run-kernel.sh exited 1 and no KTAP says why'
expect_grep "$tmp/rr.out" '^not ok 5 reproduce_fixed_6.12$'
expect_grep "$tmp/rr.out" '^# stock-6.12 lacks: 4fb352df14de 632d31067be2 d0b8651a0261$'
report reproduce_verdicts

echo "# $((num - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
