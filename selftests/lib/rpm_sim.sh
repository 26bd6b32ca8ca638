# SPDX-License-Identifier: GPL-2.0
# Shared by the rpm_sim selftests: KTAP output, bounded waits, and paths.
# Sourced, not run. POSIX sh (busybox in the guest).

BUS=/sys/bus/rpm_sim
BARE=/sys/bus/rpm_sim_bare
DBG=/sys/kernel/debug/rpm_sim
KSFT_SKIP=4

ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

ktap_header() {	# plan
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_result() {	# ok|not ok, name, [directive]
	ktap_n=$((ktap_n + 1))
	echo "$1 $ktap_n $2${3:+ # $3}"
}

ktap_skip_all() {	# reason
	echo "KTAP version 1"
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

# The test cannot run where it must: one failing case says why.
ktap_fail_all() {	# reason
	echo "KTAP version 1"
	echo "1..1"
	echo "# $1"
	echo "not ok 1 $(basename "$0" .sh)"
	exit 1
}

ktap_finish() {
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	[ "$ktap_fail" -eq 0 ]
	exit $?
}

# RPM_SIM_CASES, when set: the cases to run (comma-separated names; a name
# also selects its variants, NAME_*). The others are skipped and say so.
case_selected() {	# name
	[ -n "${RPM_SIM_CASES:-}" ] || return 0
	for sel_case in $(echo "$RPM_SIM_CASES" | tr ',' ' '); do
		case $1 in "$sel_case" | "$sel_case"_*) return 0 ;; esac
	done
	return 1
}

# Run one case: a function that returns non-zero on failure and says why on
# stdout as "# ..." lines. A function named case_cleanup, if the test has
# one, runs after every case, so a failed case leaves nothing behind; a
# cleanup that fails, or leaves a device behind, fails the case.
run_case() {	# name function
	if ! case_selected "$1"; then
		ktap_skip=$((ktap_skip + 1))
		ktap_result ok "$1" "SKIP not in RPM_SIM_CASES=$RPM_SIM_CASES"
		return
	fi
	# The console shows which case ran when, next to any kernel splat.
	echo "rpm_sim-selftest: $(basename "$0" .sh) $1" >/dev/kmsg 2>/dev/null
	evlog_read
	start=$kv_events
	out=$("$2" 2>&1)
	code=$?
	# The case's records (from its start, or from its last clear) must all
	# be in the ring still: one overwritten may be one its queries looked
	# for, or one whose absence they asserted. (A reload restarts the
	# numbers: the new ring's oldest record is then early, not late.)
	evlog_read
	first=$kv_first
	cleared=$kv_cleared
	if [ -n "$start" ] && [ -n "$first" ] && [ -n "$cleared" ]; then
		[ "$cleared" -gt "$start" ] && start=$cleared
		if [ "$first" -gt "$start" ]; then
			out="$out
the event log overwrote $((first - start)) of the case's records: its queries may have read a partial window (raise rpm_sim.evlog_entries)"
			code=1
		fi
	fi
	if command -v case_cleanup >/dev/null; then
		if ! cout=$(case_cleanup 2>&1); then
			out="$out
cleanup failed: $cout"
			[ $code -eq 0 ] && code=1
		fi
		# What the cleanup missed would meet the next case.
		left=
		for d in $DBG/devices/*; do
			[ -e "$d" ] && left="$left${d##*/} "
		done
		if [ -n "$left" ]; then
			out="$out
the cleanup left devices behind: $left"
			[ $code -eq 0 ] && code=1
		fi
	fi
	[ -n "$out" ] && echo "$out" | sed 's/^\([^#]\)/# \1/'
	if [ $code -eq 0 ]; then
		ktap_pass=$((ktap_pass + 1))
		ktap_result ok "$1"
	elif [ $code -eq $KSFT_SKIP ]; then
		ktap_skip=$((ktap_skip + 1))
		ktap_result ok "$1" SKIP
	else
		ktap_fail=$((ktap_fail + 1))
		ktap_result "not ok" "$1"
	fi
}

fail() {
	echo "# $*"
	return 1
}

# kv_read FILE KEY...: each KEY's value in a file of "key value" lines,
# in kv_KEY (empty when it has none), in the shell itself: in an emulated
# guest a subshell costs tens of milliseconds. Non-zero when FILE cannot
# be read.
kv_read() {
	kv_file=$1
	shift
	for kv_k; do
		eval "kv_$kv_k="
	done
	while read -r kv_key kv_v; do
		for kv_k; do
			[ "$kv_key" != "$kv_k" ] || eval "kv_$kv_k=\$kv_v"
		done
	done <"$kv_file"
}

# evlog_read: the event log's figures in kv_events, kv_first and
# kv_cleared (empty when the module is gone).
evlog_read() {
	kv_read "$DBG/stats" events first cleared 2>/dev/null
}

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] || { echo "# $1: got '$2', want '$3'"; return 1; }
}

# rpm_sim.ko to load: from RPM_SIM_MODULE_DIR, else the one beside the
# test (an installed kselftest collection), else none (modprobe's).
module_file() {
	if [ -n "${RPM_SIM_MODULE_DIR:-}" ]; then
		echo "$RPM_SIM_MODULE_DIR/rpm_sim.ko"
	elif [ -f "$(dirname "$0")/rpm_sim.ko" ]; then
		echo "$(cd "$(dirname "$0")" && pwd)/rpm_sim.ko"
	fi
}

# The module must be there: loaded already, or loaded now. A test of
# rpm_sim that runs without it has tested nothing, so that is a failure.
require_module() {
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "must run as root"
	if [ ! -d $BUS ]; then
		ko=$(module_file)
		if [ -n "$ko" ]; then
			insmod "$ko" ${RPM_SIM_PARAMS:-} 2>/dev/null
		else
			modprobe rpm_sim 2>/dev/null
		fi
	fi
	[ -d $BUS ] || ktap_fail_all "rpm_sim.ko is not loaded and could not be loaded"
	[ -d $DBG ] || ktap_fail_all "debugfs is not mounted at /sys/kernel/debug"
}

require_power_debug() {	# device path
	[ -f "$1/power/runtime_usage" ] ||
		ktap_skip_all "no power/runtime_usage: CONFIG_PM_ADVANCED_DEBUG is off"
}

# observe_reset: no device watched, no record kept (debugfs "observe").
observe_reset() {
	sed -n 's/^watch //p' $DBG/observe >/tmp/rpm_sim-watches
	while read -r bus name; do
		echo "del $bus $name" >$DBG/observe || return 1
	done </tmp/rpm_sim-watches
	echo clear >$DBG/observe
}

new_dev() {	# "name key=value ..."
	echo "$*" >$BUS/new_device
}

del_dev() {
	echo "$1" >$BUS/del_device
}

# The helpers below read files with the shell's own read, not cat or awk,
# and hand values back in variables where they can: in an emulated guest a
# process costs tens of milliseconds, and the suites call them thousands
# of times.

# dev_dir NAME: the sysfs directory of a simulated device on any of its
# buses, in $dev_dir.
dev_dir() {
	if [ -d $BUS/devices/"$1" ]; then
		dev_dir=$BUS/devices/"$1"
	elif [ -d $BARE/devices/"$1" ]; then
		dev_dir=$BARE/devices/"$1"
	else
		dev_dir=/sys/bus/platform/devices/"$1"
	fi
}

# Sysfs path of a simulated device on any of its buses.
dev_path() {
	dev_dir "$1"
	echo "$dev_dir"
}

# pm_of DEVICE FILE: one power/ attribute in $pm_val (one line, as sysfs
# attributes are); non-zero, and a message, when it cannot be read.
pm_of() {
	dev_dir "$1"
	pm_val=
	read -r pm_val <"$dev_dir/power/$2"
}

pm() {	# device file: one power/ attribute
	pm_of "$1" "$2" && echo "$pm_val"
}

# state_of DEVICE FIELD: one field of the device's debugfs state in
# $state_val: the real runtime_status (active, suspended, ...) even when
# power/runtime_status says "unsupported" because runtime PM is disabled.
state_of() {
	state_val=
	while read -r st_key st_v; do
		[ "$st_key" != "$2" ] || state_val=$st_v
	done <$DBG/devices/"$1"/state
}

state() {	# device field
	state_of "$1" "$2" && echo "$state_val"
}

# Poll until the device's debugfs state has FIELD equal to VALUE, 2 s at most.
wait_state() {	# device field value
	i=0
	while [ $i -lt 200 ]; do
		state_of "$1" "$2" && [ "$state_val" = "$3" ] && return 0
		sleep 0.01
		i=$((i + 1))
	done
	echo "# $1: $2 is $(state "$1" "$2"), waited for $3"
	return 1
}

# Poll until power/runtime_status is $2, for at most 2 s.
wait_status() {
	i=0
	while [ $i -lt 200 ]; do
		pm_of "$1" runtime_status && [ "$pm_val" = "$2" ] && return 0
		sleep 0.01
		i=$((i + 1))
	done
	echo "# $1: runtime_status $(pm "$1" runtime_status), waited for $2"
	return 1
}

# Event log lines of one device since the log was cleared.
events() {	# device
	awk -v d="$1" '$4 == d' $DBG/events
}

write_must_fail() {	# file text expected-error-substring
	if err=$(echo "$2" 2>&1 >"$1"); then
		echo "# writing '$2' to $1 succeeded; it must fail"
		return 1
	fi
	case "$err" in
	*"$3"*) return 0 ;;
	esac
	echo "# writing '$2' to $1: '$err', want '$3'"
	return 1
}

# ev DEV LAYER EVENT PHASE [N]: the Nth (from 1) matching event-log line
ev() {
	awk -v d="$1" -v l="$2" -v e="$3" -v p="$4" -v n="${5:-1}" \
		'$4 == d && $5 == l && $6 == e && $7 == p && ++k == n { print; exit }' \
		$DBG/events
}

# wait_ev DEV LAYER EVENT PHASE: poll until the event is in the log, 2 s at most.
wait_ev() {
	i=0
	while [ $i -lt 200 ]; do
		[ -n "$(ev "$@")" ] && return 0
		sleep 0.01
		i=$((i + 1))
	done
	echo "# $1: no '$2 $3 $4' record after 2 s"
	return 1
}

# evval LINE KEY: the value of KEY=... (evv, below, printed)
evval() {
	evv evval_v "$1" "$2"
	[ -z "$evval_v" ] || echo "$evval_v"
}

# before A B: the event A was recorded before B (both must exist)
before() {
	[ -n "$1" ] && [ -n "$2" ] && [ "${1%% *}" -lt "${2%% *}" ]
}

# The same queries on a snapshot, answered in variables: each read of
# $DBG/events formats the whole log in the kernel, and each $(...) is a
# process; on a KASAN guest under TCG the two cost 25 ms apiece, and a
# system-sleep case asks a few dozen questions of one cycle's records.
#
# ev_snap: the event log as it is now, in $evlog.
ev_snap() {
	evlog=$(cat $DBG/events)
}

# evq VAR DEV LAYER EVENT PHASE [N]: the Nth (from 1) matching line of
# $evlog in VAR, empty when there is none (fields 4 to 7, as ev matches);
# N 0: none, and in $evq_seen how many lines match.
evq() {
	evq_n=${6:-1}
	evq_seen=0
	evq_hit=
	evq_ifs=$IFS
	case $- in *f*) evq_f= ;; *) evq_f=1 && set -f ;; esac
	IFS='
'
	for evq_l in $evlog; do
		evq_r=${evq_l#* }
		evq_r=${evq_r#* }
		evq_r=${evq_r#* }
		case "$evq_r " in
		"$2 $3 $4 $5 "*)
			evq_seen=$((evq_seen + 1))
			[ $evq_seen -ne "$evq_n" ] || { evq_hit=$evq_l; break; }
			;;
		esac
	done
	IFS=$evq_ifs
	[ -z "$evq_f" ] || set +f
	eval "$1=\$evq_hit"
}

# evhas DEV LAYER EVENT PHASE [N]: $evlog has such a line.
evhas() {
	evq evhas_line "$@"
	[ -n "$evhas_line" ]
}

# evcount VAR DEV LAYER EVENT PHASE: how many such lines $evlog has.
evcount() {
	evq evcount_line "$2" "$3" "$4" "$5" 0
	eval "$1=\$evq_seen"
}

# evv VAR LINE KEY: the value of KEY=... in LINE, in VAR (evval's answer).
evv() {
	evv_v=
	case " $2 " in
	*" $3="*) evv_v=${2##* $3=} && evv_v=${evv_v%% *} ;;
	esac
	eval "$1=\$evv_v"
}

# evqv VAR KEY DEV LAYER EVENT PHASE [N]: KEY's value in the line evq finds.
evqv() {
	evqv_var=$1
	evqv_key=$2
	shift 2
	evq evqv_line "$@"
	evv "$evqv_var" "$evqv_line" "$evqv_key"
}

# usage, children, depth from the debugfs state: "U C D" (counts_of: in
# $counts)
counts_of() {
	counts=
	kv_read $DBG/devices/"$1"/state usage_count child_count disable_depth &&
		counts="$kv_usage_count $kv_child_count $kv_disable_depth"
}

pm_counts() {
	counts_of "$1" && echo "$counts"
}

# new_family PARENT CHILD: both bound (probe=get_put) and runtime-suspended
new_family() {
	new_dev "$1 probe=get_put" && new_dev "$2 parent=$1 probe=get_put" &&
		wait_status "$2" suspended && wait_status "$1" suspended
}

# rpm_ret DEV CALL: make the call through the device's rpm file and print
# what it returned (from its event record).
rpm_ret() {
	echo "$2" >$DBG/devices/"$1"/rpm || return 1
	rpm_ret_line=$(awk -v d="$1" '$4 == d && $5 == "harness" && $7 == "call"' $DBG/events |
		tail -n 1)
	evval "$rpm_ret_line" ret
}

# sleep_cycle devices|platform: one freeze, stopped by /sys/power/pm_test
# after the suspend phase (devices) or the noirq phase (platform)
sleep_cycle() {
	echo "$1" >/sys/power/pm_test || return 1
	echo freeze >/sys/power/state || fail "freeze with pm_test=$1 failed" || return 1
	echo none >/sys/power/pm_test
	none_prepared
}

# SS-10: a transition over, every device is out of it: dpm_complete()
# has cleared power.is_prepared, failed transitions included (a device
# added later under a parent left set is told "parent should not be
# sleeping").
# Every device's state must say, and there must be one to look at.
none_prepared() {
	out=$(awk 'FNR == 1 { files++ }
		$1 == "is_prepared" { seen++; if ($2 != 0) { n = split(FILENAME, p, "/"); left = left " " p[n - 1] } }
		END {
			if (!files) print "no rpm_sim device to look at"
			else if (seen != files) print seen + 0 " of " files " states have is_prepared"
			else if (left != "") print "is_prepared still set after the transition:" left
		}' $DBG/devices/*/state 2>/dev/null)
	[ -z "$out" ] || fail "$out"
}
