#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Observing a device without touching it: debugfs "observe" records what
# the runtime PM core's own tracepoints say of the devices it names, on
# rpm_sim's devices and on a real one (the serial core's port device),
# with the dev->power fields of each moment; and its bad requests.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module

OBS=$DBG/observe

case_cleanup() {
	observe_reset || return 1
	[ ! -d $DBG/devices/ob_s ] || del_dev ob_s
}

# obs DEV EVENT PHASE [N]: the Nth (from 1) record of DEV's EVENT PHASE
obs() {
	awk -v d="$1" -v e="$3" -v p="$4" -v n="${5:-1}" \
		'$4 == d && $5 == "core" && $6 == e && $7 == p && ++k == n { print; exit }' \
		"$2"
}

records() { grep -vc '^watch \|^#' $OBS; }

# A get_sync and a put_sync on an rpm_sim device, as the core saw them:
# rpm_resume entered suspended with the reference taken, left active;
# rpm_suspend left it suspended. Once the watch is gone, nothing more is
# recorded: "del" returns after the core's probes are detached.
case_sim_device() {
	new_dev "ob_s probe=get_put" || return 1
	wait_status ob_s suspended || return 1
	echo "add rpm_sim ob_s" >$OBS || return 1
	expect "watch line" "$(grep '^watch ' $OBS)" "watch rpm_sim ob_s" || return 1
	echo get_sync >$DBG/devices/ob_s/rpm || return 1
	echo put_sync >$DBG/devices/ob_s/rpm || return 1
	cat $OBS >/tmp/ob_s.rec
	e=$(obs ob_s /tmp/ob_s.rec rpm_resume enter)
	x=$(obs ob_s /tmp/ob_s.rec rpm_resume exit)
	[ -n "$e" ] && [ -n "$x" ] ||
		fail "no rpm_resume enter and exit for ob_s: $(head -n 5 /tmp/ob_s.rec | tr '\n' '|')" ||
		return 1
	expect "status at rpm_resume enter" "$(evval "$e" status)" suspended || return 1
	expect "usage at rpm_resume enter" "$(evval "$e" usage)" 1 || return 1
	expect "rpm_resume's return" "$(evval "$x" ret)" 0 || return 1
	expect "status at rpm_resume exit" "$(evval "$x" status)" active || return 1
	s=$(obs ob_s /tmp/ob_s.rec rpm_suspend exit)
	[ -n "$s" ] || fail "no rpm_suspend exit for ob_s after put_sync" || return 1
	expect "rpm_suspend's return" "$(evval "$s" ret)" 0 || return 1
	expect "status at rpm_suspend exit" "$(evval "$s" status)" suspended || return 1
	expect "usage at rpm_suspend exit" "$(evval "$s" usage)" 0 || return 1
	before "$e" "$s" || fail "rpm_suspend recorded before rpm_resume" || return 1

	echo "del rpm_sim ob_s" >$OBS || return 1
	n=$(records)
	echo get_sync >$DBG/devices/ob_s/rpm || return 1
	echo put_sync >$DBG/devices/ob_s/rpm || return 1
	expect "records after the watch ended" "$(records)" "$n" || return 1
	del_dev ob_s
}

# A real driver's device: the serial core's port device of ttyS0 (v6.5 on,
# serial_base). __uart_start() takes its reference with pm_runtime_get(),
# an asynchronous resume (RPM_ASYNC, 0x1, in the flags): the core queues
# it, and pm_wq's rpm_resume() brings the port up, so the port is seen
# active by a later exit, awaited here (bounded: it must come).
case_real_serial_port() {
	port=serial8250:0.0
	[ -d /sys/bus/serial-base/devices/$port ] || {
		echo "# no /sys/bus/serial-base/devices/$port: the serial core has no port devices before v6.5"
		return $KSFT_SKIP
	}
	echo "add serial-base $port" >$OBS || return 1
	echo "rpm_sim-observe: a write to ttyS0" >/dev/ttyS0 || return 1
	i=0
	while :; do
		cat $OBS >/tmp/ob_p.rec
		awk -v d=$port '$4 == d && $6 == "rpm_resume" && $7 == "exit" &&
			/ status=active /' /tmp/ob_p.rec | grep -q . && break
		[ $i -lt 300 ] || break
		sleep 0.01
		i=$((i + 1))
	done
	e=$(obs $port /tmp/ob_p.rec rpm_resume enter)
	[ -n "$e" ] || fail "no rpm_resume for $port after a write to ttyS0" || return 1
	[ $(($(evval "$e" arg) & 1)) -eq 1 ] ||
		fail "the first rpm_resume of $port is not asynchronous: $e" || return 1
	x=$(awk -v d=$port '$4 == d && $6 == "rpm_resume" && $7 == "exit" &&
		/ status=active /' /tmp/ob_p.rec | head -n 1)
	[ -n "$x" ] || fail "$port never seen active in 3 s: $(grep " $port " /tmp/ob_p.rec |
		cut -d ' ' -f 4-10 | tr '\n' '|')" || return 1
	expect "rpm_resume's return when $port came up" "$(evval "$x" ret)" 0 || return 1
	echo "del serial-base $port" >$OBS
}

case_bad_requests() {
	for bad in "" "add" "add rpm_sim" "add a b c" "frob a b" "add bus=x y" \
		"add rpm_sim abcdefghijabcdefghijabcdefghijabc"; do
		write_must_fail $OBS "$bad" "Invalid argument" || return 1
	done
	write_must_fail $OBS "del rpm_sim nosuch" "No such file" || return 1
	echo "add rpm_sim ob_a" >$OBS || return 1
	write_must_fail $OBS "add rpm_sim ob_a" "exists" || return 1
	for i in 1 2 3 4 5 6 7; do
		echo "add rpm_sim ob_$i" >$OBS || return 1
	done
	write_must_fail $OBS "add rpm_sim ob_8" "No space left" || return 1
	expect "watches" "$(grep -c '^watch ' $OBS)" 8 || return 1
}

# The last case leaves a watch for the module's unload: its exit must take
# the core's probes off (a probe left behind would run freed code).
case_left_for_unload() {
	echo "add rpm_sim ob_left_for_unload" >$OBS || return 1
	expect "watches left" "$(grep -c '^watch ' $OBS)" 1
}

ktap_header 4
run_case observe_sim_device case_sim_device
run_case observe_real_serial_port case_real_serial_port
run_case observe_bad_requests case_bad_requests
# No cleanup after this one: nothing is left but the watch.
case_cleanup() { return 0; }
run_case observe_left_for_unload case_left_for_unload
ktap_finish
