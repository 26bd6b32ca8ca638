#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rpm_sim guest /init: busybox sh as PID 1, in the initramfs built by
# scripts/build-initramfs.sh, booted by qemu/run.py.
#
# ttyS0 is the kernel console, for humans. ttyS1 is the results channel (or,
# with rpm_sim.one_console=1, frames on ttyS0: see qemu/frame.awk) and
# carries nothing but:
#
#	RPM_SIM_PLAN <unit> <unit> ...
#	RPM_SIM_BEGIN <unit>
#	<one complete KTAP document>
#	RPM_SIM_END <unit> <exit code>
#	[RPM_SIM_EVENTS <unit> text|gz ... RPM_SIM_EVENTS_END <unit>]
#	...				(one BEGIN/END block per planned unit)
#	RPM_SIM_DONE
#
# The units and their order come from /lib/rpm_sim/plan, written by the
# host (scripts/build-initramfs.sh); the runner checks the guest announced
# exactly that plan. A unit's name says what it is:
#	module-load, module-unload
#	SUITE			a KUnit suite's run at insmod of rpm_sim_kunit.ko
#	SUITE-rerun, SUITE-rN	the suite run again (debugfs run, or a reload)
#	selftest-NAME[-rN]	/selftests/NAME.sh
#	kselftest-COLLECTION	/kselftest/run_kselftest.sh -c COLLECTION
#
# PID 1 must never exit (the kernel would panic): no set -e, every step copes
# with failure, and the script always ends in reboot -f (QEMU runs with
# -no-reboot, so that ends the guest).

export PATH=/bin
export RPM_SIM_MODULE_DIR=/lib/rpm_sim

mods=/lib/rpm_sim
kunit_dbg=/sys/kernel/debug/kunit
kmemleak=/sys/kernel/debug/kmemleak
work=/tmp/rpm_sim
# Per selftest; /selftests/settings may override. A hang detector, not a
# bound on speed: rpm_sim_sleep took 300 s on test-6.12 beside the kernel
# builds of a cold make check on a host that forks slowly (and was cut off
# by a bound of 300 s); the hung-task detector names a real hang sooner.
st_timeout=900

# To the console, for humans, through the kernel log: a printk that lags
# behind (threaded console printing, as on PREEMPT_RT) must not have a
# direct write cut into one of its lines, and the shutdown workload's
# lines are read back from the console (scripts/shutdown-check.py).
say() {
	if [ -w /dev/kmsg ]; then
		echo "rpm_sim-init: $*" >/dev/kmsg
	else
		echo "rpm_sim-init: $*"
	fi
}
result() { echo "$*" >&3; }		# to the results channel

power_off() {
	# One console: the framer must have written everything, DONE too,
	# before the reboot; a child still holding the pipe open must not
	# keep the guest up, hence the bound.
	if [ -n "$framer" ]; then
		exec 3>&-
		n=0
		while kill -0 "$framer" 2>/dev/null && [ $n -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
	fi
	sync
	reboot -f
	say "reboot -f failed; trying sysrq"
	echo b >/proc/sysrq-trigger
	while :; do sleep 3600; done
}

mount_fs() {	# type dir
	[ -d "$2" ] || mkdir -p "$2" || return
	mount -t "$1" "$1" "$2" || say "cannot mount $1 on $2"
}

# doc FILE RESULT NAME [DIRECTIVE] [OUTPUT]: a one-case KTAP document;
# OUTPUT, a file, is quoted as diagnostic lines before the result.
doc() {
	{
		echo "KTAP version 1"
		echo "1..1"
		[ -n "$5" ] && sed 's/^/# /' "$5"
		echo "$2 1 $3${4:+ # $4}"
	} >"$1"
}

# BEGIN goes out before a unit's work starts, so that a guest that dies in
# the middle names the unit that killed it; the console gets the name too,
# so a splat can be tied to the unit that was running.
begin() {
	result "RPM_SIM_BEGIN $1"
	echo "rpm_sim-init: unit $1 begins" >/dev/kmsg
}

# emit UNIT FILE CODE: the unit's KTAP document, then its END line. Output
# that looks like framing is turned into a diagnostic line.
emit() {
	sed 's/^RPM_SIM_/# &/' "$2" >&3
	# Keep END on a line of its own even after output with no final newline.
	[ -z "$(tail -c 1 "$2")" ] || result ""
	result "RPM_SIM_END $1 $3"
}

# A document has a version line and a top-level plan.
valid_ktap() {
	grep -qE '^(KTAP version 1|TAP version 1[34])$' "$1" &&
		grep -qE '^1\.\.[0-9]+' "$1"
}

is_loaded() { grep -q "^$1 " /proc/modules; }

one_line() { tr '\n' ' ' | sed 's/ *$//'; }

unit_module_load() {
	f=$work/module-load.ktap
	begin module-load
	if [ ! -f $mods/rpm_sim.ko ]; then
		doc "$f" "not ok" module_load "$mods/rpm_sim.ko missing"
		emit module-load "$f" 1
		return
	fi
	err=$(insmod $mods/rpm_sim.ko $RPM_SIM_PARAMS 2>&1)
	code=$?
	# The kernel ignores a parameter it does not know, with a warning
	# only: a mistyped one must not pass for a run with it.
	for p in $RPM_SIM_PARAMS; do
		[ $code -ne 0 ] || [ -e /sys/module/rpm_sim/parameters/${p%%=*} ] && continue
		code=1
		err="rpm_sim has no parameter ${p%%=*} (ls /sys/module/rpm_sim/parameters)"
	done
	if [ $code -eq 0 ]; then
		# Which API shapes the build detected (Kbuild's compile probes).
		dmesg | sed -n 's/.*\(rpm_sim: API probes found: .*\)/\1/p' |
			tail -n 1 >$work/probes.txt
		doc "$f" ok module_load "" $work/probes.txt
	else
		doc "$f" "not ok" module_load "$(echo "$err" | one_line)"
	fi
	emit module-load "$f" $code
}

# Load the KUnit module once, inside the first suite's unit: its suites all
# run at insmod (kunit.enable=1), and their results stay in the kernel log
# and in debugfs. The host planned the suites only for a kernel with
# CONFIG_KUNIT=y, so anything missing here is a failure (kunit_err).
load_kunit() {
	kunit_tried=1
	if [ ! -d $kunit_dbg ] && [ ! -d /sys/module/kunit ]; then
		kunit_err="no KUnit in this kernel, yet its suites were planned"
	elif [ ! -f $mods/rpm_sim_kunit.ko ]; then
		kunit_err="rpm_sim_kunit.ko missing from the initramfs"
	else
		say "loading rpm_sim_kunit.ko"
		err=$(insmod $mods/rpm_sim_kunit.ko $kunit_params 2>&1) ||
			kunit_err="insmod rpm_sim_kunit.ko failed: $(echo "$err" | one_line)"
	fi
}

# kunit_from_kmsg SUITE: the suite's KTAP from the kernel log, made a
# document of one test (kunit-from-kmsg.awk); nothing unless the log holds
# the whole suite.
#
# The kernel log, not debugfs, is the first choice: on 6.1 each case's
# debugfs log is a 512-byte buffer (a long failure loses the case's result
# line) and is cleared for every parameter, so parameterised cases keep only
# their last line. 6.12's debugfs is fine, and is the fallback.
kunit_from_kmsg() {
	dmesg | awk -v suite="$1" -f $mods/kunit-from-kmsg.awk
}

unit_kunit_suite() {	# suite
	f=$work/$1.ktap
	r=$kunit_dbg/$1/results
	code=0
	begin "$1"
	[ -n "$kunit_tried" ] || load_kunit
	if [ -n "$kunit_err" ]; then
		doc "$f" "not ok" "$1" "$kunit_err"
		code=1
	elif kunit_from_kmsg "$1" >"$f" && [ -s "$f" ]; then
		:
	elif [ ! -f "$r" ] && [ -n "$filter_glob" ]; then
		doc "$f" "not ok" "$1" "the suite did not run: kunit.filter_glob=$filter_glob left it no case"
		code=1
	elif [ ! -f "$r" ]; then
		doc "$f" "not ok" "$1" "results missing ($r; CONFIG_KUNIT_DEBUGFS?)"
		code=1
	elif head -n 1 "$r" | grep -qE '^K?TAP version'; then
		cat "$r" >"$f"
	else
		# Older kernels print the suite without the top-level header.
		{ echo "KTAP version 1"; echo "1..1"; cat "$r"; } >"$f"
	fi
	emit "$1" "$f" $code
}

# end_session PID: wait for PID, which leads a session, then kill what
# else is left in it; PID's exit status. What a test leaves running when it
# ends or is cut off, a reader holding a debugfs file open say, would keep
# rpm_sim from unloading: it goes with its test.
end_session() {
	wait "$1"
	set -- "$1" $?
	kill -s KILL -"$1" 2>/dev/null
	return "$2"
}

unit_selftest() {	# unit path
	unit=$1
	name=$(basename "$2" .sh)
	out=$work/$unit.out
	f=$work/$unit.ktap
	begin "$unit"
	say "running $unit (timeout ${st_timeout} s)"
	case $unit in
	*-r[0-9]*) round=${unit##*-r} ;;
	*) round=1 ;;
	esac
	# The test leads a session of its own (busybox's timeout runs it in
	# its own process, and setsid does not fork in a process that leads
	# no group).
	(cd /selftests && RPM_SIM_ROUND=$round exec timeout -k 5 "$st_timeout" setsid sh "$2") \
		</dev/null >"$out" 2>&1 &
	end_session $!
	code=$?
	if [ ! -f "$2" ]; then
		doc "$f" "not ok" "$name" "$2 missing from the initramfs"
		code=1
	elif [ $code -eq 143 ] || [ $code -eq 137 ]; then
		doc "$f" "not ok" "$name" "timed out after $st_timeout s" "$out"
	elif valid_ktap "$out"; then
		cp "$out" "$f"
	elif [ $code -eq 4 ]; then
		doc "$f" ok "$name" "SKIP exit code 4 without KTAP output" "$out"
	else
		doc "$f" "not ok" "$name" "no KTAP output (exit code $code)" "$out"
	fi
	emit "$unit" "$f" $code
}

# As a lab runs an installed collection: the kernel's run_kselftest.sh,
# rpm_sim not loaded (the plan puts this after module-unload), and the
# tests load the collection's own rpm_sim.ko. Its KTAP document is the
# runner's; each test's own is nested in it as "# " lines. rpm_sim is
# unloaded afterwards, for the shutdown workload's insmod.
unit_kselftest() {	# unit collection
	unit=$1
	out=$work/$unit.out
	f=$work/$unit.ktap
	begin "$unit"
	say "running $unit: run_kselftest.sh -c $2"
	# Appending: the runner writes through its own /dev/stdout too.
	: >"$out"
	# In a session of its own, as a selftest.
	(cd /kselftest && unset RPM_SIM_MODULE_DIR && exec setsid ./run_kselftest.sh -c "$2") \
		</dev/null >>"$out" 2>&1 &
	end_session $!
	code=$?
	if [ ! -x /kselftest/run_kselftest.sh ]; then
		doc "$f" "not ok" "$unit" "no /kselftest/run_kselftest.sh in the initramfs"
		code=1
	elif ! valid_ktap "$out"; then
		doc "$f" "not ok" "$unit" "no KTAP output (exit code $code)" "$out"
		code=1
	else
		cp "$out" "$f"
	fi
	if is_loaded rpm_sim && ! err=$(rmmod rpm_sim 2>&1); then
		doc "$f" "not ok" "$unit" \
			"rmmod rpm_sim after the collection: $(echo "$err" | one_line)" "$out"
		code=1
	fi
	emit "$unit" "$f" $code
}

unit_module_unload() {
	f=$work/module-unload.ktap
	begin module-unload
	was_loaded=
	is_loaded rpm_sim && was_loaded=1
	msg=
	for m in rpm_sim_kunit rpm_sim; do
		is_loaded $m || continue
		err=$(rmmod $m 2>&1) ||
			msg="${msg:+$msg; }$(echo "$err" | one_line)"
	done
	code=0
	if [ -n "$msg" ]; then
		doc "$f" "not ok" module_unload "$msg"
		code=1
	elif [ -z "$was_loaded" ]; then
		doc "$f" ok module_unload "SKIP rpm_sim was not loaded"
	else
		doc "$f" ok module_unload
	fi
	emit module-unload "$f" $code
}

# Leaks are reported only for objects older than 5 s, after two scans.
# What boot left behind is not ours: early boot has known kmemleak false
# positives (6.1's ACPI caches from acpi_early_init()). Objects are reported
# once older than 5 s, so wait until everything allocated in the first
# second of boot is reportable, scan, and mark those reports seen.
kmemleak_baseline() {
	[ -f $kmemleak ] || return
	while [ "$(cut -d . -f 1 /proc/uptime)" -lt 6 ]; do
		sleep 0.2
	done
	echo scan >$kmemleak 2>/dev/null
	echo clear >$kmemleak 2>/dev/null
	say "kmemleak: boot-time reports cleared"
}

kmemleak_report() {
	[ -f $kmemleak ] || return
	say "kmemleak: scanning"
	echo scan >$kmemleak 2>/dev/null
	sleep 6
	echo scan >$kmemleak 2>/dev/null
	cat $kmemleak
}

mount_fs proc /proc
mount_fs sysfs /sys
mount_fs devtmpfs /dev
# What udev or mdev adds on a real system: kselftest's runner writes each
# test's output to /dev/stdout, which devtmpfs alone does not have.
ln -sf /proc/self/fd /dev/fd
for fd in stdin:0 stdout:1 stderr:2; do ln -sf "/proc/self/fd/${fd#*:}" "/dev/${fd%:*}"; done
[ -d /sys/kernel/debug ] && mount_fs debugfs /sys/kernel/debug
[ -d /sys/kernel/tracing ] && mount_fs tracefs /sys/kernel/tracing
mount_fs tmpfs /tmp
mkdir -p $work
# A failed redirection must not end PID 1: hence "command exec".
command exec </dev/console >/dev/console 2>&1

# rpm_sim.one_console=1: a board's single UART. The results go out on
# the console port as frames (qemu/frame.awk), which the kernel's own
# messages may cut into; qemu/one_console.py takes them apart again.
framer=
case " $(cat /proc/cmdline) " in
*" rpm_sim.one_console=1 "*)
	mkfifo $work/results.fifo
	awk -f $mods/frame.awk <$work/results.fifo >/dev/ttyS0 &
	framer=$!
	command exec 3>$work/results.fifo
	;;
esac
if [ -n "$framer" ]; then
	:
elif command exec 3<>/dev/ttyS1; then
	stty raw -echo <&3
else
	say "no /dev/ttyS1: results are lost (the runner will say so)"
	command exec 3>/dev/null
fi

case " $(cat /proc/cmdline) " in
*" rpm_sim.kvm_probe=1 "*)
	result RPM_SIM_KVM_OK
	power_off
	;;
esac

if [ -f /selftests/settings ]; then
	t=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' /selftests/settings)
	[ "${t:-0}" -gt 0 ] && st_timeout=$t
fi

# A suite must run again on demand and pass again: nothing a first run
# leaves behind may break the second. KUnit's debugfs "run" file (v6.6,
# "kunit: add ability to run tests after boot using debugfs") re-runs it in
# place, and the results file then holds the new run. Before v6.6 the
# module is loaded again (every suite runs once more, once a round) and the
# kernel log holds the new run.
unit_kunit_rerun() {	# unit suite
	u=$1
	f=$work/$u.ktap
	r=$kunit_dbg/$2/results
	code=0
	begin "$u"
	[ -n "$kunit_tried" ] || load_kunit
	if [ -n "$kunit_err" ]; then
		doc "$f" "not ok" "$2" "$kunit_err"
		code=1
	elif [ -f $kunit_dbg/$2/run ]; then
		if ! echo 1 >$kunit_dbg/$2/run; then
			doc "$f" "not ok" "$2" "writing $kunit_dbg/$2/run failed"
			code=1
		elif head -n 1 "$r" | grep -qE '^K?TAP version'; then
			cat "$r" >"$f"
		else
			{ echo "KTAP version 1"; echo "1..1"; cat "$r"; } >"$f"
		fi
	else
		round=${u##*-}
		if [ "$kunit_reloaded" != "$round" ]; then
			kunit_reloaded=$round
			if ! err=$({ rmmod rpm_sim_kunit &&
				     insmod $mods/rpm_sim_kunit.ko $kunit_params; } 2>&1); then
				kunit_err="reloading rpm_sim_kunit.ko failed: $(echo "$err" | one_line)"
			fi
		fi
		if [ -n "$kunit_err" ]; then
			doc "$f" "not ok" "$2" "$kunit_err"
			code=1
		elif ! kunit_from_kmsg "$2" >"$f" || [ ! -s "$f" ]; then
			doc "$f" "not ok" "$2" "the reloaded suite left no results in the kernel log"
			code=1
		fi
	fi
	emit "$u" "$f" $code
}

# SD: the last act. rpm_sim is loaded again with the shutdown workload of
# /selftests/shutdown/topology.sh; the power-off after RPM_SIM_DONE shuts it
# down, and scripts/shutdown-check.py reads the module's console lines.
shutdown_setup() {
	[ -f /selftests/shutdown/topology.sh ] || return
	if ! err=$(insmod $mods/rpm_sim.ko $RPM_SIM_PARAMS 2>&1); then
		say "shutdown: insmod rpm_sim.ko failed: $(echo "$err" | one_line)"
		return
	fi
	if err=$(sh /selftests/shutdown/topology.sh 2>&1); then
		say "shutdown: workload ready"
	else
		say "shutdown: workload setup failed: $(echo "$err" | one_line)"
	fi
}

plan=$(cat $mods/plan 2>/dev/null)
[ -n "$plan" ] || say "no $mods/plan: nothing to run (the runner will say so)"
say "plan: $plan"
result "RPM_SIM_PLAN $plan"

# Before the host gives up on a hung guest, show what is blocked.
case " $(cat /proc/cmdline) " in
*" rpm_sim.deadline="*)
	deadline=$(sed -n 's/.* rpm_sim\.deadline=\([0-9]*\).*/\1/p' /proc/cmdline)
	(
		sleep "$deadline"
		say "deadline of $deadline s reached: dumping blocked tasks"
		echo w >/proc/sysrq-trigger
	) &
	;;
esac
# insmod does not read the command line: rpm_sim_kunit.NAME=VALUE and
# rpm_sim.NAME=VALUE words are passed on by hand (rpm_sim.deadline, .shell,
# .one_console and .events are this script's own), the latter also to the
# selftests that load rpm_sim again, and rpm_sim_env.RPM_SIM_NAME=VALUE
# words become the selftests' environment (scripts/soak.sh sizes the runs
# so).
kunit_params=
filter_glob=
export RPM_SIM_PARAMS=
for w in $(cat /proc/cmdline); do
	case $w in
	kunit.filter_glob=*) filter_glob=${w#kunit.filter_glob=} ;;
	rpm_sim_kunit.*=*) kunit_params="$kunit_params ${w#rpm_sim_kunit.}" ;;
	rpm_sim.deadline=* | rpm_sim.shell=* | rpm_sim.one_console=* | rpm_sim.events=*) ;;
	rpm_sim.*=*) RPM_SIM_PARAMS="$RPM_SIM_PARAMS ${w#rpm_sim.}" ;;
	rpm_sim_env.RPM_SIM_*=*)
		w=${w#rpm_sim_env.}
		case ${w%%=*} in
		*[!A-Z0-9_]*) say "ignoring $w: not a variable name" ;;
		*) export "$w" ;;
		esac
		;;
	esac
done
case ${RPM_SIM_SELFTEST_TIMEOUT:-} in
'') ;;
*[!0-9]*) say "ignoring RPM_SIM_SELFTEST_TIMEOUT=$RPM_SIM_SELFTEST_TIMEOUT" ;;
*) st_timeout=$RPM_SIM_SELFTEST_TIMEOUT ;;
esac

# make shell: rpm_sim loaded, the selftests' helpers in an interactive
# shell on the console, and the machine off when it exits. No unit runs.
shell_session() {
	echo 4 >/proc/sys/kernel/printk	# warnings and worse still show
	if ! err=$(insmod $mods/rpm_sim.ko $RPM_SIM_PARAMS 2>&1); then
		echo "insmod rpm_sim.ko failed: $(echo "$err" | one_line)"
	fi
	cat <<-EOF
	rpm_sim shell: rpm_sim.ko is loaded; the selftests' helpers are defined
	(new_dev, del_dev, state, events, wait_status, ...: /selftests/lib/rpm_sim.sh).
	  new_dev "d0 probe=get_put"; state d0 runtime_status; events d0
	rpm_sim_kunit.ko is in $mods (its suites run as it loads). exit powers off.
	EOF
	ENV=/selftests/lib/rpm_sim.sh setsid cttyhack sh
}

case " $(cat /proc/cmdline) " in
*" rpm_sim.shell=1 "*)
	shell_session
	power_off
	;;
esac

# Each unit's event records go out after its END, for the host to keep
# and draw (results/LABEL/events/, scripts/timeline.py):
#	RPM_SIM_EVENTS <unit> text|gz
#	<rpm_sim's history file from the unit's first record on, as text or
#	 gzipped in base64>
#	RPM_SIM_EVENTS_END <unit>
# history holds what the unit's tests cleared, while the ring has it; a
# "# N records lost" line says what it had not. rpm_sim.events=N: the
# unit's last N records at most (default 4096, about 1 MB of text), 0:
# none.
hist=/sys/kernel/debug/rpm_sim/history
hist_stats=/sys/kernel/debug/rpm_sim/stats
records() { sed -n 's/^events //p' $hist_stats 2>/dev/null; }
events_out() {	# unit
	[ -e $hist ] || return 0
	now=$(records)
	# rpm_sim loaded again within the unit: its numbers began at 0.
	[ "${now:-0}" -ge "$ev_from" ] || ev_from=0
	[ "${now:-0}" -gt "$ev_from" ] || return 0
	result "RPM_SIM_EVENTS $1 $ev_code"
	if [ $((now - ev_from)) -gt "$events" ]; then
		result "# the unit's first $((now - events - ev_from)) records not sent (rpm_sim.events=$events)"
		ev_from=$((now - events))
	fi
	(exec 4<>$hist && echo "$ev_from" >&4 && cat <&4) | ev_pack >&3
	result "RPM_SIM_EVENTS_END $1"
}
ev_pack() {
	if [ $ev_code = gz ]; then
		gzip -1 | base64
	else
		cat
	fi
}
# The UART is slow under TCG (about 40 KB/s on the PREEMPT_RT kernel, its
# interrupts threaded): the records go gzipped, in base64 (about an eighth
# of the bytes), where the guest's busybox can.
ev_code=text
command -v gzip >/dev/null && command -v base64 >/dev/null && ev_code=gz
events=4096
for w in $(cat /proc/cmdline); do
	case $w in
	rpm_sim.events=*[!0-9]* | rpm_sim.events=) say "ignoring $w: not a number" ;;
	rpm_sim.events=*) events=${w#rpm_sim.events=} ;;
	esac
done

kunit_tried=
kunit_err=
kunit_reloaded=
kmemleak_baseline
for u in $plan; do
	ev_from=$(records)
	ev_from=${ev_from:-0}
	case $u in
	module-load) unit_module_load ;;
	module-unload) unit_module_unload ;;
	selftest-*)
		name=${u#selftest-}
		unit_selftest "$u" "/selftests/${name%-r[0-9]*}.sh"
		;;
	kselftest-*) unit_kselftest "$u" "${u#kselftest-}" ;;
	*-rerun | *-r[0-9]*) unit_kunit_rerun "$u" "${u%-*}" ;;
	*) unit_kunit_suite "$u" ;;
	esac
	[ $events = 0 ] || events_out "$u"
done
kmemleak_report
shutdown_setup

say "done after $(cut -d ' ' -f 1 /proc/uptime) s of uptime"
result RPM_SIM_DONE
power_off
