#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# SS: runtime PM inside system suspend (the rules of 2017 in
# Documentation/driver-api/pm/devices.rst). Each case sets up devices, runs
# one test cycle through /sys/power/pm_test and "freeze", and checks the
# phase order, the nesting and the state in the event log, with usage,
# children and depth unchanged across the cycle. Every case runs on the
# rpm_sim bus and on the platform bus, each with and without the PM domain,
# and on the bare bus, which has no PM callbacks: there the PM core calls
# the driver's own.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module
[ -f /sys/power/pm_test ] || ktap_fail_all "no /sys/power/pm_test: CONFIG_PM_DEBUG is off"
grep -qw freeze /sys/power/state || ktap_fail_all "no freeze in /sys/power/state"

VARIANTS="s sd p pd b"

case_cleanup() {
	for a in $(cut -d ' ' -f 1 $DBG/attach); do
		echo "${a%%:*} ${a#*:}" >$DBG/detach
	done
	for v in $VARIANTS; do
		for d in ss_c_$v ss_b_$v ss_a_$v; do	# children first
			[ -d $DBG/devices/$d ] && del_dev $d
		done
	done
	echo "hold_rpm_across_remove=0 break_ss2=0" >$DBG/bus_opts
	echo none >/sys/power/pm_test
}

# variant V: the case's variant in $v, its creation keys in $vargs, and in
# $o the outermost layer that logs its callbacks: the PM domain, else the
# rpm_sim bus, else (the platform bus records nothing of its own) the
# driver.
variant() {
	v=$1
	case $v in
	s) vargs='' o=bus ;;
	sd) vargs=pm_domain=1 o=domain ;;
	p) vargs=bus=platform o=driver ;;
	pd) vargs="bus=platform pm_domain=1" o=domain ;;
	b) vargs=bus=bare o=driver ;;
	esac
}

# make NAME BEHAVIOUR...: bound and runtime-suspended, on the case's variant
make_dev() {
	name=$1
	shift
	new_dev "$name $vargs probe=get_put $*" && wait_status "$name" suspended
}

# make_active NAME BEHAVIOUR...: bound and active, usage 0, nothing pending
make_active() {
	make_dev "$@" || return 1
	echo get_sync >$DBG/devices/"$1"/rpm
	echo put_noidle >$DBG/devices/"$1"/rpm
	state_of "$1" runtime_status
	expect "$1 status" "$state_val" active
}

same_counts() {	# dev before
	counts_of "$1"
	expect "usage children depth of $1 after the cycle" "$counts" "$2"
}

# cycle devices|platform: sleep_cycle, and its records in $evlog for evq
# (the cases below query the snapshot, not the live log).
cycle() {
	sleep_cycle "$1" && ev_snap
}

# SS-1: ->suspend calling pm_runtime_resume() runs the middle layer's
# ->runtime_resume nested inside the middle layer's ->suspend; 0 for a
# suspended device, 1 for an active one.
case_ss1() {
	a=ss_a_$v b=ss_b_$v
	make_dev $a suspend_calls_resume=1 || return 1
	make_dev $b suspend_calls_resume=1 || return 1
	echo get_sync >$DBG/devices/$b/rpm
	counts_of $a
	ca=$counts
	counts_of $b
	cb=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	evq s_in $a $o suspend enter
	evq r_in $a $o runtime_resume enter
	evq r_out $a $o runtime_resume exit
	evq s_out $a $o suspend exit
	before "$s_in" "$r_in" && before "$r_in" "$r_out" && before "$r_out" "$s_out" ||
		fail "$o runtime_resume not nested in $o suspend: $s_in / $r_in / $r_out / $s_out" ||
		return 1
	evqv got ret $a driver pm_runtime_resume call
	expect "pm_runtime_resume() on suspended" "$got" 0 || return 1
	evqv got ret $b driver pm_runtime_resume call
	expect "pm_runtime_resume() on active" "$got" 1 || return 1
	same_counts $a "$ca" && same_counts $b "$cb" || return 1
	echo put_sync >$DBG/devices/$b/rpm
}

# SS-2: between a device's ->prepare and its driver's ->suspend nothing
# changes its runtime PM state: the core's pm_runtime_barrier() and the
# middle layer leave it as ->prepare left it. Suspended and active alike.
case_ss2() {
	a=ss_a_$v b=ss_b_$v
	make_dev $a || return 1
	make_active $b || return 1
	echo clear >$DBG/events
	cycle devices || return 1
	for d in $a $b; do
		evq p $d driver prepare exit
		evq s $d driver suspend enter
		[ -n "$p" ] && [ -n "$s" ] || fail "$d: no prepare/suspend records" || return 1
		for k in status usage children depth; do
			evv got "$s" $k
			evv want "$p" $k
			expect "$d $k at ->suspend, as at ->prepare" "$got" "$want" || return 1
		done
	done
}

# SS-2: a resume request pending when ->prepare returns is carried out by
# the core's pm_runtime_barrier() in device_suspend(), before ->suspend.
# The driver's ->prepare makes it with pm_runtime_get(); up to v6.19 pm_wq
# is freezable, frozen from before ->prepare until after ->complete, so
# nothing else can run it. Since 4fb352df14de ("PM: sleep: Do not flag
# runtime PM workqueue as freezable", v7.0) pm_wq may run it first, and
# the barrier waits for it instead: so the case asserts what holds on both,
# that the device is resumed once, after the get and before ->suspend,
# and is active at ->suspend. The put in ->complete gives the get back.
# direct=1: ->prepare also returns 1, and the resume ends direct_complete
# (SS-6): the suspend callbacks run.
case_ss2_pending() {
	a=ss_a_$v direct=${1:-0}
	make_dev $a prepare_calls_get=1 prepare_positive=$direct || return 1
	counts_of $a
	ca=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	evq g $a driver pm_runtime_get call
	evv got "$g" ret
	expect "pm_runtime_get() in ->prepare" "$got" 0 || return 1
	evq r $a $o runtime_resume enter
	evq s $a $o suspend enter
	before "$g" "$r" && before "$r" "$s" ||
		fail "$o runtime_resume not between the get and ->suspend: $g / $r / $s" || return 1
	! evhas $a $o runtime_resume enter 2 || fail "resumed twice" || return 1
	evv got "$s" status
	expect "status at $o ->suspend" "$got" active || return 1
	evhas $a driver pm_runtime_put call || fail "no put in ->complete" || return 1
	same_counts $a "$ca"
}

case_ss6_pending() {
	case_ss2_pending 1
}

# AG-4: pm_runtime_disable() carries out a pending resume request itself
# before it disables (__pm_runtime_disable(dev, true)). In ->suspend the
# driver's pm_runtime_get() queues a resume the frozen pm_wq holds; its
# pm_runtime_disable() then resumes the device, nested in ->suspend.
# (From v7.0, 4fb352df14de, pm_wq is not frozen and may resume it first:
# the device is active after the disable either way.)
case_ag4_disable() {
	a=ss_a_$v
	make_dev $a suspend_calls_disable=1 || return 1
	counts_of $a
	ca=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	evq g $a driver pm_runtime_get call
	evq d $a driver pm_runtime_disable call
	evv got "$g" ret
	expect "pm_runtime_get() in ->suspend" "$got" 0 || return 1
	evq r $a $o runtime_resume enter
	before "$g" "$r" && before "$r" "$d" ||
		fail "$o runtime_resume not between the get and the disable: $g / $r / $d" || return 1
	for k in status:active depth:1 pending:0; do
		evv got "$d" ${k%%:*}
		expect "${k%%:*} after pm_runtime_disable()" "$got" ${k#*:} || return 1
	done
	same_counts $a "$ca"
}

# A system suspend that fails: devices x, f, y in dpm_list order, f's driver
# failing one phase with -EIO. The core stops there, resumes what it
# suspended and completes what it prepared. ->prepare runs top-down (x,
# then f fails: y is never prepared), the suspend phases bottom-up (y,
# then f fails: x never gets that phase). Each row says which of the
# driver's callbacks ran for x, f and y, in the order prepare suspend
# suspend_late suspend_noirq resume_noirq resume_early resume complete.
# Afterwards usage, children and depth are as before: the reference of
# ->prepare is given back on every path (SS-3; device_prepare()'s own put
# when its callback fails), and runtime PM is enabled again where
# ->suspend_late disabled it (SS-4; dpm_resume_early() for f too).
SS_PHASES="prepare suspend suspend_late suspend_noirq resume_noirq resume_early resume complete"
ss_abort_rows() {	# phase [flags of x]: the rows of x, f and y
	case $1${2:+:$2} in
	# x SMART_SUSPEND and runtime-suspended: no ->suspend_late; its noirq
	# turn, given up once f failed, leaves it suspended through
	# ->resume_early too (device_resume_noirq() clears must_resume).
	suspend_noirq:0x4) echo "11000011 11110111 11111111" ;;
	prepare) echo "10000001 10000000 00000000" ;;
	suspend) echo "10000001 11000001 11000011" ;;
	suspend_late) echo "11000011 11100011 11100111" ;;
	suspend_noirq) echo "11100111 11110111 11111111" ;;
	esac
}

ss_ran() {	# dev: how often each phase ran, in SS_PHASES order, in $ran
	ran=
	for ph in $SS_PHASES; do
		evcount n $1 driver $ph enter
		ran=$ran$n
	done
}

all_counts() {	# dev...: their counts_of, "/" between them, in $counts
	all=
	for ac_d; do
		counts_of $ac_d
		all=${all:+$all/}$counts
	done
	counts=$all
}

# A transition that fails in ->PHASE of f, made after x and before y. With
# FLAGS, x has those DPM flags and is f's parent, both asynchronous: x's
# turn in the phase waits for f and is given up once f failed, so that x
# is on the phase's list without its callback (device_resume_noirq()'s
# "aborted in the noirq phase" path), where a synchronous walk would
# never have reached it.
case_ss_abort() {	# phase [flags of x]
	x=ss_a_$v f=ss_b_$v y=ss_c_$v xkeys= fkeys=
	[ -z "${2:-}" ] || xkeys="dpm_flags=$2 async_suspend=1" fkeys="parent=$x async_suspend=1"
	make_dev $x $xkeys && make_dev $f sleep_fail=$1 $fkeys && make_dev $y &&
		wait_status $x suspended || return 1
	all_counts $x $f $y
	was=$counts
	echo clear >$DBG/events
	echo platform >/sys/power/pm_test || return 1
	if echo freeze >/sys/power/state 2>/dev/null; then
		echo none >/sys/power/pm_test
		fail "the cycle succeeded though ->$1 failed"
		return 1
	fi
	echo none >/sys/power/pm_test
	none_prepared || return 1
	ev_snap
	evqv got ret $f driver $1 exit
	expect "$f ->$1" "$got" -5 || return 1
	set -- $(ss_abort_rows "$@")
	for d in $x $f $y; do
		ss_ran $d
		expect "$d callbacks ($SS_PHASES)" "$ran" "$1" || return 1
		shift
	done
	all_counts $x $f $y
	expect "usage children depth of $x/$f/$y after the cycle" "$counts" "$was"
}

case_ss_order_async() { case_ss_order async; }
case_ss_order_async_link() { case_ss_order async link; }
case_ss_abort_prepare() { case_ss_abort prepare; }
case_ss_abort_suspend() { case_ss_abort suspend; }
case_ss_abort_late() { case_ss_abort suspend_late; }
case_ss_abort_noirq() { case_ss_abort suspend_noirq; }
case_ss7_smart_suspend_abort_noirq() { case_ss_abort suspend_noirq 0x4; }

# SS-2, the harness's own broken middle layer (break_ss2 powers the device
# off before the driver's ->suspend): the driver's access is seen, and a
# correct bus shows none.
case_ss2_broken_bus() {
	a=ss_a_$v
	make_dev $a suspend_calls_resume=1 || return 1
	counts_of $a
	ca=$counts
	echo "break_ss2=1" >$DBG/bus_opts
	echo clear >$DBG/events
	cycle devices || return 1
	evhas $a driver hw_access_off mark ||
		fail "the broken bus went unnoticed" || return 1
	echo "break_ss2=0" >$DBG/bus_opts
	echo clear >$DBG/events
	cycle devices || return 1
	! evhas $a driver hw_access_off mark ||
		fail "hw_access_off with a correct bus" || return 1
	same_counts $a "$ca"
}

# SS-3: from ->prepare to ->complete the PM core holds a usage reference.
# The device is active with usage 0 and its ->prepare asks for idle: the
# reference (baseline + 1) keeps it from suspending, until ->complete; the
# put after ->complete lets it suspend.
case_ss3() {
	a=ss_a_$v
	make_active $a prepare_calls_idle=1 || return 1
	state_of $a usage_count
	base=$state_val
	counts_of $a
	ca=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	evq p $a driver prepare enter
	evq c $a driver complete exit
	[ -n "$p" ] && [ -n "$c" ] || fail "no prepare/complete records" || return 1
	evv got "$p" usage
	expect "usage at ->prepare" "$got" $((base + 1)) || return 1
	evv got "$c" usage
	expect "usage at ->complete" "$got" $((base + 1)) || return 1
	evqv got ret $a driver pm_runtime_idle call
	expect "pm_runtime_idle() in ->prepare" "$got" -11 || return 1
	n=$(awk -v a="${p%% *}" -v b="${c%% *}" -v d=$a \
		'$4 == d && $6 == "runtime_suspend" && $7 == "enter" && $1 > a && $1 < b' \
		$DBG/events | wc -l)
	expect "runtime suspends between prepare and complete" "$n" 0 || return 1
	same_counts $a "$ca" || return 1
	# The reference goes with pm_runtime_put(), an idle check: the device,
	# active with usage 0, suspends again after ->complete.
	wait_status $a suspended ||
		fail "$a stays active after the PM core's put in ->complete"
}

# SS-4: runtime PM is off for the late and noirq phases: pm_runtime_resume()
# there says -EACCES for a suspended device and 1 for an active one; the
# core enables it again right after ->resume_early, so ->resume_early still
# runs with it disabled and ->resume with it enabled.
case_ss4() {
	a=ss_a_$v b=ss_b_$v
	make_dev $a late_calls_resume=1 noirq_calls_resume=1 || return 1
	make_dev $b late_calls_resume=1 || return 1
	echo get_sync >$DBG/devices/$b/rpm
	counts_of $a
	ca=$counts
	counts_of $b
	cb=$counts
	echo clear >$DBG/events
	cycle platform || return 1
	evq l $a driver pm_runtime_resume call 1
	evq n $a driver pm_runtime_resume call 2
	[ -n "$l" ] && [ -n "$n" ] || fail "late/noirq did not run: '$l' '$n'" || return 1
	evv got "$l" ret
	expect "pm_runtime_resume() in ->suspend_late" "$got" -13 || return 1
	evv got "$n" ret
	expect "pm_runtime_resume() in ->suspend_noirq" "$got" -13 || return 1
	evqv got depth $a driver suspend_late enter
	expect "depth in ->suspend_late" "$got" 1 || return 1
	evqv got depth $a driver resume_early enter
	expect "depth in ->resume_early" "$got" 1 || return 1
	evqv got depth $a driver resume enter
	expect "depth in ->resume" "$got" 0 || return 1
	evqv got ret $b driver pm_runtime_resume call
	expect "pm_runtime_resume() in ->suspend_late, active" "$got" 1 || return 1
	same_counts $a "$ca" && same_counts $b "$cb" || return 1
	echo put_sync >$DBG/devices/$b/rpm
}

# SS-5: pm_runtime_force_suspend() in ->suspend of a device in use (usage
# and an active child): the middle layer's late and noirq callbacks still
# run (the documented hazard); the device really goes down and comes back
# up (one ->runtime_suspend, one ->runtime_resume), force_resume restores
# it active, and usage, children and depth balance.
case_ss5() {
	a=ss_a_$v b=ss_b_$v
	new_dev "$a $vargs probe=get_put force_sleep=1" || return 1
	new_dev "$b $vargs parent=$a probe=get_put" || return 1
	wait_status $b suspended && wait_status $a suspended || return 1
	echo get_sync >$DBG/devices/$a/rpm
	echo get_sync >$DBG/devices/$b/rpm
	counts_of $a
	ca=$counts
	expect "usage children depth of $a before" "$ca" "1 1 0" || return 1
	echo clear >$DBG/events
	cycle platform || return 1
	evqv got ret $a driver pm_runtime_force_suspend call
	expect "force_suspend ret" "$got" 0 || return 1
	evhas $a $o suspend_late enter && evhas $a $o suspend_noirq enter ||
		fail "the $o late/noirq callbacks did not run" || return 1
	evqv got ret $a driver pm_runtime_force_resume call
	expect "force_resume ret" "$got" 0 || return 1
	evcount n $a driver runtime_suspend exit
	expect "->runtime_suspend of $a in the cycle" "$n" 1 || return 1
	evcount n $a driver runtime_resume exit
	expect "->runtime_resume of $a in the cycle" "$n" 1 || return 1
	state_of $a runtime_status
	expect "status after" "$state_val" active || return 1
	state_of $a needs_force_resume
	expect "needs_force_resume after" "$state_val" 0 || return 1
	same_counts $a "$ca" || return 1
	echo put_sync >$DBG/devices/$b/rpm
	echo put_sync >$DBG/devices/$a/rpm
}

# SS-6: ->prepare returning 1 for a runtime-suspended device: direct_complete
# skips its suspend and resume callbacks; a device beside it gets them.
case_ss6() {
	a=ss_a_$v b=ss_b_$v
	make_dev $a prepare_positive=1 || return 1
	make_dev $b || return 1
	counts_of $a
	ca=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	evhas $a driver prepare exit && evhas $a driver complete enter ||
		fail "prepare/complete did not run" || return 1
	{ ! evhas $a $o suspend enter && ! evhas $a $o resume enter; } ||
		fail "direct_complete device got suspend/resume" || return 1
	evhas $b $o suspend enter && evhas $b $o resume enter ||
		fail "the other device was not suspended and resumed" || return 1
	same_counts $a "$ca"
}

# SS-6 up the tree: a device that really suspended takes direct_complete
# away from its parent, or with "link" from its supplier (a stateless
# device link), though their ->prepare returned 1
# (dpm_clear_superiors_direct_complete()): they get their suspend and
# resume callbacks. With "both" the child (or consumer) returns 1 as well
# and direct-completes too: then neither gets them.
case_ss6_superior() {	# [link] [both]
	a=ss_a_$v b=ss_b_$v up=parent=$a pos=0 what=parent
	for w in "$@"; do
		case $w in
		link) up= what=supplier ;;
		both) pos=1 ;;
		esac
	done
	make_dev $a prepare_positive=1 || return 1
	new_dev "$b $vargs $up probe=get_put prepare_positive=$pos" &&
		wait_status $b suspended || return 1
	[ -n "$up" ] || echo "$b $a stateless=1" >$BUS/new_link || return 1
	# The child's probe resumed the parent, whose suspend is queued after
	# the child's: direct_complete needs it done before the freeze.
	wait_status $a suspended || return 1
	counts_of $a
	ca=$counts
	counts_of $b
	cb=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	for d in $a $b; do
		evhas $d driver prepare exit && evhas $d driver complete enter ||
			fail "$d: prepare/complete did not run" || return 1
	done
	if [ $pos = 1 ]; then
		{ ! evhas $a $o suspend enter && ! evhas $a $o resume enter; } &&
			{ ! evhas $b $o suspend enter && ! evhas $b $o resume enter; } ||
			fail "direct_complete $what or its dependant got suspend/resume" ||
			return 1
	else
		evhas $b $o suspend enter && evhas $b $o resume enter ||
			fail "$b (->prepare 0) was not suspended and resumed" || return 1
		evhas $a $o suspend enter && evhas $a $o resume enter ||
			fail "$what $a kept direct_complete after $b really suspended" ||
			return 1
	fi
	same_counts $a "$ca" && same_counts $b "$cb"
}

case_ss6_parent() { case_ss6_superior; }
case_ss6_supplier() { case_ss6_superior link; }
case_ss6_tree() { case_ss6_superior both; }

# SS-7: the DPM driver flags the PM core acts on itself (dpm_flags=, the
# DPM_FLAG_* bits). NO_DIRECT_COMPLETE: a runtime-suspended device whose
# ->prepare returns 1 still gets its suspend and resume callbacks
# (device_prepare() leaves direct_complete off).
case_ss7_no_direct_complete() {
	a=ss_a_$v
	make_dev $a prepare_positive=1 dpm_flags=0x1 || return 1
	state_of $a driver_flags
	expect "$a driver_flags" "$state_val" 0x1 || return 1
	counts_of $a
	ca=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	evhas $a driver prepare exit || fail "$a: no ->prepare" || return 1
	evhas $a $o suspend enter && evhas $a $o resume enter ||
		fail "NO_DIRECT_COMPLETE: $a's suspend/resume skipped (direct_complete)" ||
		return 1
	same_counts $a "$ca"
}

# SS-7 on the platform bus without the domain, where no middle layer has a
# late or noirq callback and the core decides for the driver. SMART_SUSPEND
# (0x4): a device runtime-suspended at ->suspend_late gets neither
# ->suspend_late nor ->suspend_noirq (dev_pm_skip_suspend()). Without
# MAY_SKIP_RESUME it must resume: ->resume_noirq and ->resume_early run,
# the core having marked it active first. With MAY_SKIP_RESUME (0xc) and
# not in use, it stays suspended: neither runs, and ->resume (which the
# core never skips) finds it suspended. A child or a consumer that must
# resume makes its parent or supplier resume
# (dpm_superior_set_must_resume()), and so does a use of its own (a
# reference, pm_runtime_need_not_resume()). A device beside them without
# flags gets every callback, and is a's supplier through a link without
# PM_RUNTIME, which leaves a's SMART_SUSPEND alone (on kernels whose
# device_prepare() drops the flag for a superior without it, only
# PM_RUNTIME suppliers count).
case_ss7_smart_suspend() {	# flags of a: 0x4 or 0xc; [child|consumer|in_use]
	a=ss_a_$v b=ss_b_$v c=ss_c_$v flags=$1 shape=${2:-} child=
	make_dev $a dpm_flags=$flags || return 1
	make_dev $b || return 1
	echo "$a $b stateless=1" >$BUS/new_link || return 1
	case $shape in
	child | consumer)
		child=$c up=parent=$a
		[ $shape = child ] || up=
		new_dev "$c $vargs $up probe=get_put" && wait_status $c suspended ||
			return 1
		[ -n "$up" ] || echo "$c $a stateless=1" >$BUS/new_link || return 1
		wait_status $a suspended || return 1
		;;
	in_use)
		echo get_noresume >$DBG/devices/$a/rpm || return 1
		;;
	esac
	counts_of $a
	ca=$counts
	counts_of $b
	cb=$counts
	echo clear >$DBG/events
	cycle platform || return 1
	for d in $b $child; do
		for ph in suspend suspend_late suspend_noirq resume_noirq resume_early resume; do
			evhas $d driver $ph enter || fail "$d (no flags): no ->$ph" ||
				return 1
		done
	done
	evhas $a driver suspend enter || fail "$a: no ->suspend" || return 1
	for ph in suspend_late suspend_noirq; do
		! evhas $a driver $ph enter ||
			fail "SMART_SUSPEND: $a, runtime-suspended, got ->$ph" || return 1
	done
	evq rn $a driver resume_noirq enter
	evq re $a driver resume_early enter
	evq r $a driver resume enter
	[ -n "$r" ] || fail "$a: no ->resume" || return 1
	if [ "$flags" = 0x4 ] || [ -n "$shape" ]; then
		case $shape in
		'') why="must resume" ;;
		in_use) why="in use, must resume" ;;
		*) why="its $shape must resume, so it must too" ;;
		esac
		[ -n "$rn" ] && [ -n "$re" ] ||
			fail "$a $why: ->resume_noirq '$rn', ->resume_early '$re'" || return 1
		evv got "$rn" status
		expect "$a status at ->resume_noirq" "$got" active || return 1
	else
		[ -z "$rn$re" ] ||
			fail "MAY_SKIP_RESUME: $a, not in use, got ->resume_noirq/->resume_early" ||
			return 1
		evv got "$r" status
		expect "$a status at ->resume" "$got" suspended || return 1
	fi
	same_counts $a "$ca" && same_counts $b "$cb" || return 1
	[ "$shape" != in_use ] || echo put_noidle >$DBG/devices/$a/rpm
}

case_ss7_smart_suspend_must_resume() { case_ss7_smart_suspend 0x4; }
case_ss7_may_skip_resume() { case_ss7_smart_suspend 0xc; }
case_ss7_child_must_resume_parent() { case_ss7_smart_suspend 0xc child; }
case_ss7_consumer_must_resume_supplier() { case_ss7_smart_suspend 0xc consumer; }
case_ss7_in_use_must_resume() { case_ss7_smart_suspend 0xc in_use; }

# SS-8: wakeup (Documentation/driver-api/pm/devices.rst). A device that may
# wake the system (wakeup=1: its probe's device_init_wakeup()) never
# direct-completes, though its ->prepare returns 1, so that its wakeup
# path can reach its parent.
case_ss8_wakeup_no_direct_complete() {
	a=ss_a_$v
	make_dev $a prepare_positive=1 wakeup=1 || return 1
	pm_of $a wakeup
	expect "$a power/wakeup" "$pm_val" enabled || return 1
	counts_of $a
	ca=$counts
	echo clear >$DBG/events
	cycle devices || return 1
	evhas $a $o suspend enter && evhas $a $o resume enter ||
		fail "wakeup device $a direct-completed" || return 1
	same_counts $a "$ca"
}

# The core sets power.wakeup_path on a device that may wake the system
# once it has suspended, and on its parent (dpm_propagate_wakeup_to_parent())
# before the parent's ->suspend, unless the parent ignores its children;
# never on a sibling without wakeup; and clears it at the next ->prepare
# (device_prepare()): with wakeup disabled, a second cycle finds none.
case_ss8_wakeup_path() {	# [ignore]
	a=ss_a_$v b=ss_b_$v c=ss_c_$v ic=0 want=1
	[ "${1:-}" != ignore ] || ic=1 want=0
	make_dev $a ignore_children=$ic || return 1
	new_dev "$b $vargs parent=$a probe=get_put wakeup=1" && wait_status $b suspended ||
		return 1
	new_dev "$c $vargs parent=$a probe=get_put" && wait_status $c suspended ||
		return 1
	wait_status $a suspended || return 1
	for cycle in 1 2; do
		wb=1 wa=$want
		if [ $cycle = 2 ]; then
			echo disabled >"$(dev_path $b)/power/wakeup" || return 1
			wb=0 wa=0
		fi
		echo clear >$DBG/events
		cycle devices || return 1
		for d in $a $b $c; do
			evhas $d driver suspend enter && evhas $d driver resume enter ||
				fail "cycle $cycle: $d was not suspended and resumed" || return 1
		done
		evqv got wakeup_path $b driver resume enter
		expect "cycle $cycle: $b wakeup_path at ->resume" "$got" $wb || return 1
		evqv got wakeup_path $c driver resume enter
		expect "cycle $cycle: $c (no wakeup) wakeup_path at ->resume" "$got" 0 || return 1
		evqv got wakeup_path $a driver suspend enter
		expect "cycle $cycle: parent $a (ignore_children=$ic) wakeup_path at ->suspend" "$got" $wa || return 1
	done
}

case_ss8_wakeup_path_parent() { case_ss8_wakeup_path; }
case_ss8_wakeup_path_ignore() { case_ss8_wakeup_path ignore; }

# order_pair DEPENDENT SUPERIOR WHAT: the dependent's suspend phases end
# before the superior's begin, and the superior's resume phases before
# the dependent's.
order_pair() {
	for ph in suspend suspend_late suspend_noirq complete; do
		evq x $1 driver $ph exit
		evq y $2 driver $ph enter
		before "$x" "$y" ||
			fail "$3: $1's ->$ph did not finish before $2's began" || return 1
	done
	for ph in prepare resume_noirq resume_early resume; do
		evq x $2 driver $ph exit
		evq y $1 driver $ph enter
		before "$x" "$y" ||
			fail "$3: $2's ->$ph did not finish before $1's began" || return 1
	done
}

# Phase order across parent and child (dpm_list order, parents first):
# ->prepare runs top-down, the suspend phases bottom-up, the resume phases
# top-down, ->complete bottom-up (dpm_complete() walks the list backwards).
# With "async" both suspend and resume asynchronously and each callback
# takes sleep_delay_ms: only the core's waits keep the order (parent after
# child, dpm_wait_for_subordinate(); child after parent,
# dpm_wait_for_superior()), and one left out shows as an overlap. With
# "link" the child is a consumer of its sibling instead (a stateless
# device link), which system sleep orders the same way.
case_ss_order() {	# [async] [link]
	a=ss_a_$v b=ss_b_$v keys= up=parent=$a
	for w in "$@"; do
		case $w in
		async) keys="async_suspend=1 sleep_delay_ms=30" ;;
		link) up= ;;
		esac
	done
	make_dev $a $keys || return 1
	new_dev "$b $vargs $up probe=get_put $keys" && wait_status $b suspended ||
		return 1
	[ -n "$up" ] || echo "$b $a stateless=1" >$BUS/new_link || return 1
	counts_of $a
	ca=$counts
	counts_of $b
	cb=$counts
	echo clear >$DBG/events
	cycle platform || return 1
	order_pair $b $a "$b under $a" || return 1
	evq x $a driver suspend_noirq exit
	evq y $a driver resume_noirq enter
	before "$x" "$y" ||
		fail "$a: resume_noirq before suspend_noirq" || return 1
	same_counts $a "$ca" && same_counts $b "$cb"
}

# The phase order of devices the driver core moved to the end of the
# lists (dpm_list and devices_kset) because they were made before what
# they depend on. "link": b, with its child c, was made before a, and the
# link from b to a moves b and then c after a (device_reorder_to_tail()).
# "defer": b's first probe deferred, and the retry that a's bind starts
# moves b after a before probing it again (deferred_probe_work_func()).
# Synchronous devices: the list order alone decides.
case_ss_order_moved() {	# link|defer
	a=ss_a_$v b=ss_b_$v c=ss_c_$v
	if [ $1 = link ]; then
		make_dev $b || return 1
		new_dev "$c $vargs parent=$b probe=get_put" && wait_status $c suspended &&
			wait_status $b suspended || return 1
		make_dev $a || return 1
		echo "$b $a stateless=1" >$BUS/new_link || return 1
	else
		new_dev "$b $vargs probe=defer defers=1" || return 1
		state_of $b bound
		expect "$b bound before $a was made" "$state_val" 0 || return 1
		make_dev $a || return 1
		wait_state $b bound 1 && wait_status $b suspended || return 1
	fi
	counts_of $a
	ca=$counts
	counts_of $b
	cb=$counts
	echo clear >$DBG/events
	cycle platform || return 1
	order_pair $b $a "$b moved after $a ($1)" || return 1
	if [ $1 = link ]; then
		order_pair $c $b "$c moved after its parent $b" || return 1
	fi
	same_counts $a "$ca" && same_counts $b "$cb"
}

case_ss_order_moved_link() { case_ss_order_moved link; }
case_ss_order_moved_defer() { case_ss_order_moved defer; }

# SS-9: a device without PM callbacks (on the bare bus, unbound, without
# the PM domain) is left alone by the PM core: device_prepare() marks it
# direct_complete (power.no_pm_callbacks), so runtime-suspended it keeps
# its parent's direct_complete. Bound, its driver's callbacks count:
# device_pm_check_callbacks() at the bind (driver_bound()) sees them, the
# driver's ->prepare runs and, returning 0, ends the parent's
# direct_complete. Unbound again (__device_release_driver() checks once
# more), it has none again. With the PM domain it always has some: the
# domain's ->prepare runs on it unbound and ends the parent's
# direct_complete as well, and so does a domain set on the registered
# device (dev_pm_domain_set()). The parent is on the case's variant.
case_ss9_no_callbacks() {
	a=ss_a_$v b=ss_b_$v c=ss_c_$v
	drv=$BARE/drivers/rpm_sim_bare_drv
	make_dev $a prepare_positive=1 || return 1
	new_dev "$b bus=bare parent=$a bind=0 probe=get_put" || return 1
	new_dev "$c bus=bare pm_domain=1 bind=0" || return 1
	counts_of $a
	ca=$counts
	ss9_cycle kept "$b unbound, without callbacks" || return 1
	[ -z "$(events $b)" ] || fail "$b has no callbacks, yet the log has $(events $b)" ||
		return 1
	evhas $c domain prepare exit || fail "$c: the domain's ->prepare did not run" ||
		return 1
	echo 1 >$DBG/devices/$b/bindable && echo $b >$drv/bind || return 1
	wait_status $b suspended && wait_status $a suspended || return 1
	ss9_cycle ended "$b bound" || return 1
	evhas $b driver prepare exit && evhas $b driver suspend enter ||
		fail "$b bound: its driver's ->prepare and ->suspend did not run" || return 1
	echo $b >$drv/unbind || return 1
	wait_status $a suspended || return 1
	ss9_cycle kept "$b unbound again" || return 1
	[ -z "$(events $b)" ] || fail "$b unbound again, yet the log has $(events $b)" ||
		return 1
	# A domain set on the device once registered, as genpd's attach at
	# probe does (attach.c's wrapper here): dev_pm_domain_set() must check
	# the callbacks again, so its ->prepare runs, and again once it goes.
	echo "rpm_sim_bare $b" >$DBG/attach || return 1
	ss9_cycle ended "$b unbound, a domain set on it" || return 1
	evhas $b attach prepare exit ||
		fail "$b: the domain set on it had no ->prepare call" || return 1
	echo "rpm_sim_bare $b" >$DBG/detach || return 1
	ss9_cycle kept "$b unbound, its domain gone" || return 1
	del_dev $c && same_counts $a "$ca"
}

# ss9_cycle kept|ended WHAT: a cycle, in which the parent's suspend and
# resume are skipped (direct_complete kept) or run.
ss9_cycle() {
	echo clear >$DBG/events
	cycle devices || return 1
	evhas $a driver prepare exit && evhas $a driver complete enter ||
		fail "$a: prepare/complete did not run" || return 1
	skipped=ended
	evhas $a $o suspend enter || evhas $a $o resume enter || skipped=kept
	[ $skipped = $1 ] || fail "$2: $a's direct_complete $skipped, want $1"
}

ktap_header $((26 * 5 + 1 + 6 * 2))
for v in $VARIANTS; do
	variant $v
	run_case ss1_runtime_resume_nested_in_suspend_$v case_ss1
	run_case ss2_state_untouched_prepare_to_suspend_$v case_ss2
	run_case ss2_pending_resume_carried_out_$v case_ss2_pending
	run_case ss6_pending_resume_ends_direct_complete_$v case_ss6_pending
	run_case ag4_disable_carries_out_pending_resume_$v case_ag4_disable
	run_case ss3_reference_prepare_to_complete_$v case_ss3
	run_case ss4_no_runtime_pm_late_noirq_$v case_ss4
	run_case ss5_force_suspend_hazard_$v case_ss5
	run_case ss6_direct_complete_$v case_ss6
	run_case ss6_direct_complete_parent_and_child_$v case_ss6_tree
	run_case ss6_child_ends_parent_direct_complete_$v case_ss6_parent
	run_case ss6_consumer_ends_supplier_direct_complete_$v case_ss6_supplier
	run_case ss7_no_direct_complete_$v case_ss7_no_direct_complete
	run_case ss8_wakeup_ends_direct_complete_$v case_ss8_wakeup_no_direct_complete
	run_case ss8_wakeup_path_reaches_parent_$v case_ss8_wakeup_path_parent
	run_case ss8_wakeup_path_stops_at_ignore_children_$v case_ss8_wakeup_path_ignore
	run_case ss9_no_callbacks_keeps_parent_direct_complete_$v case_ss9_no_callbacks
	run_case ss_phase_order_parent_child_$v case_ss_order
	run_case ss_phase_order_async_parent_child_$v case_ss_order_async
	run_case ss_phase_order_async_supplier_consumer_$v case_ss_order_async_link
	run_case ss_phase_order_consumer_moved_by_link_$v case_ss_order_moved_link
	run_case ss_phase_order_moved_by_deferred_probe_$v case_ss_order_moved_defer
	run_case ss_abort_failed_prepare_$v case_ss_abort_prepare
	run_case ss_abort_failed_suspend_$v case_ss_abort_suspend
	run_case ss_abort_failed_suspend_late_$v case_ss_abort_late
	run_case ss_abort_failed_suspend_noirq_$v case_ss_abort_noirq
done
variant s
run_case ss2_broken_bus_detected case_ss2_broken_bus
for v in p b; do
	variant $v
	run_case ss7_smart_suspend_must_resume_$v case_ss7_smart_suspend_must_resume
	run_case ss7_may_skip_resume_$v case_ss7_may_skip_resume
	run_case ss7_child_must_resume_parent_$v case_ss7_child_must_resume_parent
	run_case ss7_consumer_must_resume_supplier_$v case_ss7_consumer_must_resume_supplier
	run_case ss7_in_use_must_resume_$v case_ss7_in_use_must_resume
	run_case ss7_smart_suspend_abort_noirq_stays_suspended_$v case_ss7_smart_suspend_abort_noirq
done
ktap_finish
