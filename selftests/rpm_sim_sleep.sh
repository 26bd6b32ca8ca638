#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# SS: runtime PM inside system suspend (the rules of 2017 in
# Documentation/driver-api/pm/devices.rst). Each case sets up devices, runs
# one test cycle through /sys/power/pm_test and "freeze", and checks the
# phase order, the nesting and the counts in the event log, with usage,
# children and depth unchanged across the cycle.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module
[ -f /sys/power/pm_test ] || ktap_skip_all "no /sys/power/pm_test: CONFIG_PM_DEBUG is off"
grep -qw freeze /sys/power/state || ktap_skip_all "no freeze in /sys/power/state"

case_cleanup() {
	for d in ss_c ss_b ss_a; do	# children first
		[ -d $DBG/devices/$d ] && del_dev $d
	done
	echo "hold_rpm_across_remove=0 break_ss2=0" >$DBG/bus_opts
	echo none >/sys/power/pm_test
}

cycle() {	# devices|platform
	echo "$1" >/sys/power/pm_test || return 1
	echo freeze >/sys/power/state || fail "freeze with pm_test=$1 failed" || return 1
	echo none >/sys/power/pm_test
}

# make NAME BEHAVIOUR...: bound, runtime-suspended; prints nothing
make_dev() {
	name=$1
	shift
	new_dev "$name probe=get_put $*" && wait_status "$name" suspended
}

same_counts() {	# dev before
	expect "usage children depth of $1 after the cycle" "$(pm_counts "$1")" "$2"
}

# SS-1: ->suspend calling pm_runtime_resume() runs the bus's ->runtime_resume
# nested inside the bus's ->suspend; 0 for a suspended device, 1 for active.
case_ss1() {
	make_dev ss_a suspend_calls_resume=1 || return 1
	make_dev ss_b suspend_calls_resume=1 || return 1
	echo get_sync >$DBG/devices/ss_b/rpm
	a=$(pm_counts ss_a)
	b=$(pm_counts ss_b)
	echo clear >$DBG/events
	cycle devices || return 1
	s_in=$(ev ss_a bus suspend enter)
	r_in=$(ev ss_a bus runtime_resume enter)
	r_out=$(ev ss_a bus runtime_resume exit)
	s_out=$(ev ss_a bus suspend exit)
	before "$s_in" "$r_in" && before "$r_in" "$r_out" && before "$r_out" "$s_out" ||
		fail "runtime_resume not nested in ->suspend: $s_in / $r_in / $r_out / $s_out" ||
		return 1
	expect "pm_runtime_resume() on suspended" \
		"$(evval "$(ev ss_a driver pm_runtime_resume call)" ret)" 0 || return 1
	expect "pm_runtime_resume() on active" \
		"$(evval "$(ev ss_b driver pm_runtime_resume call)" ret)" 1 || return 1
	same_counts ss_a "$a" && same_counts ss_b "$b" || return 1
	echo put_sync >$DBG/devices/ss_b/rpm
}

# SS-2: a bus that changes the device's state before the driver's ->suspend
# (break_ss2) leaves the driver touching powered-off hardware.
case_ss2() {
	make_dev ss_a suspend_calls_resume=1 || return 1
	a=$(pm_counts ss_a)
	echo "break_ss2=1" >$DBG/bus_opts
	echo clear >$DBG/events
	cycle devices || return 1
	[ -n "$(ev ss_a driver hw_access_off mark)" ] ||
		fail "the broken bus went unnoticed" || return 1
	echo "break_ss2=0" >$DBG/bus_opts
	echo clear >$DBG/events
	cycle devices || return 1
	[ -z "$(ev ss_a driver hw_access_off mark)" ] ||
		fail "hw_access_off with a correct bus" || return 1
	same_counts ss_a "$a"
}

# SS-3: from ->prepare to ->complete the PM core holds a usage reference:
# no runtime suspend in between, usage back to baseline afterwards.
case_ss3() {
	make_dev ss_a || return 1
	a=$(pm_counts ss_a)
	echo clear >$DBG/events
	cycle devices || return 1
	p=$(ev ss_a driver prepare enter)
	c=$(ev ss_a driver complete exit)
	expect "usage at ->prepare" "$(evval "$p" usage)" 1 || return 1
	expect "usage at ->complete" "$(evval "$c" usage)" 1 || return 1
	n=$(awk -v a="$(evseq "$p")" -v b="$(evseq "$c")" \
		'$4 == "ss_a" && $6 == "runtime_suspend" && $7 == "enter" && $1 > a && $1 < b' \
		$DBG/events | wc -l)
	expect "runtime suspends between prepare and complete" "$n" 0 || return 1
	same_counts ss_a "$a"
}

# SS-4: runtime PM is off for the late and noirq phases: pm_runtime_resume()
# there says -EACCES for a suspended device and 1 for an active one, and it
# is on again afterwards.
case_ss4() {
	make_dev ss_a late_calls_resume=1 noirq_calls_resume=1 || return 1
	make_dev ss_b late_calls_resume=1 || return 1
	echo get_sync >$DBG/devices/ss_b/rpm
	a=$(pm_counts ss_a)
	b=$(pm_counts ss_b)
	echo clear >$DBG/events
	cycle platform || return 1
	l=$(ev ss_a driver pm_runtime_resume call 1)
	n=$(ev ss_a driver pm_runtime_resume call 2)
	[ -n "$l" ] && [ -n "$n" ] || fail "late/noirq did not run: '$l' '$n'" || return 1
	expect "pm_runtime_resume() in ->suspend_late" "$(evval "$l" ret)" -13 || return 1
	expect "pm_runtime_resume() in ->suspend_noirq" "$(evval "$n" ret)" -13 || return 1
	expect "depth in ->suspend_late" "$(evval "$(ev ss_a driver suspend_late enter)" depth)" 1 || return 1
	expect "depth in ->resume" "$(evval "$(ev ss_a driver resume enter)" depth)" 0 || return 1
	expect "pm_runtime_resume() in ->suspend_late, active" \
		"$(evval "$(ev ss_b driver pm_runtime_resume call)" ret)" 1 || return 1
	same_counts ss_a "$a" && same_counts ss_b "$b" || return 1
	echo put_sync >$DBG/devices/ss_b/rpm
}

# Phase order across parent and child (dpm_list order, parents first):
# ->prepare runs top-down, the suspend phases bottom-up, the resume phases
# top-down, ->complete bottom-up (dpm_complete() walks the list backwards).
case_ss_order() {
	make_dev ss_a || return 1
	new_dev "ss_b parent=ss_a probe=get_put" && wait_status ss_b suspended || return 1
	a=$(pm_counts ss_a)
	b=$(pm_counts ss_b)
	echo clear >$DBG/events
	cycle platform || return 1
	for ph in suspend suspend_late suspend_noirq complete; do
		before "$(ev ss_b driver $ph exit)" "$(ev ss_a driver $ph enter)" ||
			fail "child's ->$ph did not finish before the parent's" || return 1
	done
	for ph in prepare resume_noirq resume_early resume; do
		before "$(ev ss_a driver $ph exit)" "$(ev ss_b driver $ph enter)" ||
			fail "parent's ->$ph did not finish before the child's" || return 1
	done
	before "$(ev ss_a driver suspend_noirq exit)" "$(ev ss_a driver resume_noirq enter)" ||
		fail "ss_a: resume_noirq before suspend_noirq" || return 1
	same_counts ss_a "$a" && same_counts ss_b "$b"
}

# SS-5: pm_runtime_force_suspend() in ->suspend: the bus's late and noirq
# callbacks still run (the documented hazard); force_resume restores, and
# usage and children balance.
case_ss5() {
	new_dev "ss_a probe=get_put force_sleep=1" || return 1
	new_dev "ss_b parent=ss_a probe=get_put" || return 1
	wait_status ss_b suspended && wait_status ss_a suspended || return 1
	echo get_sync >$DBG/devices/ss_a/rpm
	a=$(pm_counts ss_a)
	echo clear >$DBG/events
	cycle platform || return 1
	expect "force_suspend ret" "$(evval "$(ev ss_a driver pm_runtime_force_suspend call)" ret)" 0 || return 1
	[ -n "$(ev ss_a bus suspend_late enter)" ] && [ -n "$(ev ss_a bus suspend_noirq enter)" ] ||
		fail "the bus's late/noirq callbacks did not run" || return 1
	expect "force_resume ret" "$(evval "$(ev ss_a driver pm_runtime_force_resume call)" ret)" 0 || return 1
	expect "status after" "$(state ss_a runtime_status)" 0 || return 1
	echo put_sync >$DBG/devices/ss_a/rpm
	same_counts ss_a "$(echo "$a" | awk '{ print $1 - 1, $2, $3 }')"
}

# SS-6: ->prepare returning 1 for a runtime-suspended device: direct_complete
# skips its suspend and resume callbacks.
case_ss6() {
	make_dev ss_a prepare_positive=1 || return 1
	make_dev ss_b || return 1
	a=$(pm_counts ss_a)
	echo clear >$DBG/events
	cycle devices || return 1
	[ -n "$(ev ss_a driver prepare exit)" ] && [ -n "$(ev ss_a driver complete enter)" ] ||
		fail "prepare/complete did not run" || return 1
	[ -z "$(ev ss_a bus suspend enter)$(ev ss_a bus resume enter)" ] ||
		fail "direct_complete device got suspend/resume" || return 1
	[ -n "$(ev ss_b bus suspend enter)" ] || fail "the other device was not suspended" ||
		return 1
	same_counts ss_a "$a"
}

ktap_header 7
run_case ss1_runtime_resume_nested_in_suspend case_ss1
run_case ss2_bus_changes_state_first case_ss2
run_case ss3_reference_prepare_to_complete case_ss3
run_case ss4_no_runtime_pm_late_noirq case_ss4
run_case ss5_force_suspend_hazard case_ss5
run_case ss6_direct_complete case_ss6
run_case ss_phase_order_parent_child case_ss_order
ktap_finish
