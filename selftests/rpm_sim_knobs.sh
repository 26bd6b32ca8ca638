#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every driver-behaviour knob and device option, set from user space, seen
# in power/, the debugfs state and the event log.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module

case_cleanup() {
	for d in kn_c kn_v kn_p kn_a kn_e kn_d kn_pe kn_pt kn_as kn_sy kn_ic kn_ip kn_nb kn_w kn_r kn_f kn_s \
		 kn_u kn_df kn_nc kn_np kn_rc kn_rw kn_lc kn_lp; do
		[ -d $DBG/devices/$d ] && del_dev $d
	done
	echo "register rpm_sim" >$DBG/drivers
}

beh() {	# device key=value...
	d=$1
	shift
	echo "$*" >$DBG/devices/"$d"/behaviour
}

rpm() { echo "$2" >$DBG/devices/"$1"/rpm; }

case_irq_safe() {
	new_dev "kn_p probe=get_put" && wait_status kn_p suspended || return 1
	new_dev "kn_c parent=kn_p probe=irq_safe" || return 1
	expect "irq_safe" "$(state kn_c irq_safe)" 1 || return 1
	# irq_safe holds its parent active for good.
	expect "parent usage" "$(pm kn_p runtime_usage)" 1 || return 1
	expect "parent status" "$(pm kn_p runtime_status)" active
}

case_autosuspend() {
	new_dev "kn_a probe=autosuspend autosuspend_ms=30" || return 1
	expect autosuspend_delay_ms "$(pm kn_a autosuspend_delay_ms)" 30 || return 1
	wait_status kn_a suspended || return 1
	echo clear >$DBG/events
	rpm kn_a get_sync
	rpm kn_a put_autosuspend
	wait_status kn_a suspended || return 1
	# The timer counts from last_busy (CLOCK_MONOTONIC, the clock of the
	# log's stamps): the suspend may not begin before last_busy + delay.
	busy=$(state kn_a last_busy)
	t1=$(ev kn_a driver runtime_suspend enter | awk '{ print $2 }')
	[ -n "$busy" ] && [ "$busy" -gt 0 ] && [ -n "$t1" ] ||
		fail "no last_busy ('$busy') or no ->runtime_suspend record ('$t1')" || return 1
	[ $((t1 - busy)) -ge 30000000 ] ||
		fail "->runtime_suspend $((t1 - busy)) ns after last_busy, with a 30 ms delay"
}

# A behaviour changed while bound: ->remove undoes what the probe did,
# not what the new behaviour's probe would have done.
case_autosuspend_undone() {
	new_dev "kn_u probe=autosuspend autosuspend_ms=30" && wait_status kn_u suspended || return 1
	beh kn_u probe=get_put
	echo clear >$DBG/events
	echo kn_u >$BUS/drivers/rpm_sim_drv/unbind || return 1
	[ -n "$(ev kn_u driver pm_runtime_dont_use_autosuspend call)" ] ||
		fail "->remove left on the autosuspend its probe turned on" || return 1
	echo kn_u >$BUS/drivers/rpm_sim_drv/bind && wait_status kn_u suspended || return 1
	beh kn_u probe=autosuspend autosuspend_ms=30
	echo clear >$DBG/events
	echo kn_u >$BUS/drivers/rpm_sim_drv/unbind || return 1
	[ -n "$(ev kn_u driver remove exit)" ] || fail "no ->remove record" || return 1
	[ -z "$(ev kn_u driver pm_runtime_dont_use_autosuspend call)" ] ||
		fail "->remove turned off an autosuspend its probe never turned on"
}

case_callback_errors() {
	new_dev "kn_e probe=get_put" && wait_status kn_e suspended || return 1
	beh kn_e resume_err=-5 resume_err_count=1
	echo clear >$DBG/events
	rpm kn_e get_sync
	expect "get_sync ret" "$(evval "$(ev kn_e harness pm_runtime_get_sync call)" ret)" -5 || return 1
	expect runtime_error "$(state kn_e runtime_error)" -5 || return 1
	expect runtime_status "$(pm kn_e runtime_status)" error || return 1
	rpm kn_e put_noidle
	rpm kn_e set_suspended
	expect "runtime_error after set_suspended" "$(state kn_e runtime_error)" 0 || return 1
	beh kn_e resume_err_count=0 suspend_err=-16 suspend_err_count=1
	rpm kn_e get_sync
	rpm kn_e put_sync
	expect "put_sync ret" "$(evval "$(ev kn_e harness pm_runtime_put_sync call)" ret)" -16 || return 1
	# -EBUSY from ->runtime_suspend is not an error: still active, no error.
	expect runtime_status "$(pm kn_e runtime_status)" active || return 1
	expect runtime_error "$(state kn_e runtime_error)" 0
}

case_delays() {
	new_dev "kn_d probe=get_put resume_delay_us=50000" && wait_status kn_d suspended || return 1
	echo clear >$DBG/events
	rpm kn_d get_sync
	t0=$(ev kn_d driver runtime_resume enter | awk '{ print $2 }')
	t1=$(ev kn_d driver runtime_resume exit | awk '{ print $2 }')
	[ -n "$t0" ] && [ -n "$t1" ] ||
		fail "no ->runtime_resume enter ('$t0') or exit ('$t1') record" || return 1
	[ $((t1 - t0)) -ge 50000000 ] || fail "->runtime_resume took $((t1 - t0)) ns" || return 1
	rpm kn_d put_sync
}

case_remove_patterns() {
	for r in disable suspend put_sync put force_suspend none; do
		new_dev "kn_r probe=get_put remove=$r" && wait_status kn_r suspended || return 1
		echo kn_r >$BUS/drivers/rpm_sim_drv/unbind || return 1
		want=1
		[ $r = none ] && want=0
		expect "disable_depth after remove=$r" "$(state kn_r disable_depth)" $want || return 1
		expect "usage after remove=$r" "$(state kn_r usage_count)" 0 || return 1
		del_dev kn_r || return 1
	done
}

# fail_put: how a failed probe drops its get_sync reference, runtime PM
# left enabled: put (asynchronous idle), put_sync, put_noidle. The core's
# pm_request_idle() after the probe suspends it whichever it was.
case_fail_put() {
	for p in put put_sync put_noidle; do
		echo clear >$DBG/events
		new_dev "kn_f probe=defer defers=1 fail_keep_enabled=1 fail_put=$p" || return 1
		[ -n "$(ev kn_f driver pm_runtime_$p call)" ] ||
			fail "fail_put=$p: no pm_runtime_$p by the failing probe" || return 1
		wait_state kn_f runtime_status suspended || return 1
		expect "usage after fail_put=$p" "$(state kn_f usage_count)" 0 || return 1
		expect "depth after fail_put=$p" "$(state kn_f disable_depth)" 0 || return 1
		del_dev kn_f || return 1
	done
}

# probe=set_active: a failed attempt leaves the device disabled, suspended,
# and the parent without a child counted; a rebind enables it once. The
# attempt fails with -EIO, not -EPROBE_DEFER: a deferred device is the
# driver core's to retry too (a trigger, its once-a-boot timeout work), and
# a retry that binds it first makes the bind below fail with -EBUSY.
case_set_active() {
	new_dev "kn_p probe=get_put" && wait_status kn_p suspended || return 1
	new_dev "kn_c parent=kn_p probe=set_active defers=1 probe_err=-5" || return 1
	[ ! -e "$(dev_path kn_c)/driver" ] || fail "bound though probe failed" || return 1
	expect "child status" "$(state kn_c runtime_status)" suspended || return 1
	expect "child depth" "$(state kn_c disable_depth)" 1 || return 1
	expect "parent children" "$(state kn_p child_count)" 0 || return 1
	echo kn_c >$BUS/drivers/rpm_sim_drv/bind || return 1
	wait_status kn_c suspended || return 1
	echo kn_c >$BUS/drivers/rpm_sim_drv/unbind || return 1
	echo kn_c >$BUS/drivers/rpm_sim_drv/bind || return 1
	[ -e "$(dev_path kn_c)/driver" ] || fail "not bound again" || return 1
	expect "child depth after rebind" "$(state kn_c disable_depth)" 0 || return 1
	wait_status kn_c suspended
}

# probe=devm, RI-7 from user space, so that Debian's own kernels (which took
# devm_pm_runtime_set_active_enabled() and devm_pm_runtime_get_noresume(),
# 73db799bf5ef, into 6.1 and 6.12) run it too: bound, the device is active
# and held and its parent counts it; a sysfs unbind leaves it disabled,
# suspended and unheld, the PM domain dismissed only after that, and the
# parent suspends; with runtime suspend forbidden ("on") the forbid's
# reference stays. A rebind enables it once.
case_devm() {
	new_dev "kn_p probe=get_put" && wait_status kn_p suspended || return 1
	new_dev "kn_v parent=kn_p pm_domain=1 probe=devm remove=disable" || return 1
	if [ ! -e "$(dev_path kn_v)/driver" ]; then
		dmesg | grep -q 'kn_v: rpm_sim: probe=devm: this tree has no' ||
			fail "probe=devm did not bind" || return 1
		echo "# this tree has no devm_pm_runtime_set_active_enabled() (v6.16, 73db799bf5ef)"
		return $KSFT_SKIP
	fi
	for control in auto on; do
		echo $control >"$(dev_path kn_v)/power/control" || return 1
		held=0
		[ $control = on ] && held=1
		expect "status bound ($control)" "$(state kn_v runtime_status)" active || return 1
		expect "usage bound ($control)" "$(state kn_v usage_count)" $((1 + held)) || return 1
		expect "depth bound ($control)" "$(state kn_v disable_depth)" 0 || return 1
		expect "parent children ($control)" "$(state kn_p child_count)" 1 || return 1
		echo clear >$DBG/events
		echo kn_v >$BUS/drivers/rpm_sim_drv/unbind || return 1
		d=$(ev kn_v domain dismiss call)
		[ -n "$d" ] || fail "no ->dismiss record" || return 1
		expect "status at dismiss ($control)" "$(evval "$d" status)" suspended || return 1
		expect "usage at dismiss ($control)" "$(evval "$d" usage)" $held || return 1
		expect "status unbound ($control)" "$(state kn_v runtime_status)" suspended || return 1
		expect "usage unbound ($control)" "$(state kn_v usage_count)" $held || return 1
		expect "depth unbound ($control)" "$(state kn_v disable_depth)" 1 || return 1
		expect "parent children unbound ($control)" "$(state kn_p child_count)" 0 || return 1
		wait_status kn_p suspended || return 1
		echo kn_v >$BUS/drivers/rpm_sim_drv/bind || return 1
	done
	echo auto >"$(dev_path kn_v)/power/control"
	expect "depth rebound" "$(state kn_v disable_depth)" 0
}

# schedule_suspend_ms: the delay of the schedule_suspend call's timer.
case_schedule_suspend() {
	new_dev "kn_s probe=get_put schedule_suspend_ms=50" && wait_status kn_s suspended || return 1
	rpm kn_s get_sync
	rpm kn_s put_noidle
	echo clear >$DBG/events
	rpm kn_s schedule_suspend
	expect "schedule_suspend ret" "$(evval "$(ev kn_s harness pm_schedule_suspend call)" ret)" 0 || return 1
	expect "timer armed" "$(evval "$(ev kn_s harness pm_schedule_suspend call)" timer)" 1 || return 1
	wait_status kn_s suspended || return 1
	expect "timer after" "$(state kn_s timer_armed)" 0
}

# probe_err: a probe failing with another error than -EPROBE_DEFER fails
# a sysfs bind with that error, and the device is not deferred: only
# -EPROBE_DEFER puts it on the deferred list (really_probe(),
# driver_probe_device(); -EAGAIN to the writer when it does). The proof
# does not read the list alone (a retry the core runs on its own takes a
# device off it while it probes it): a successful bind triggers the
# retries, "settle" waits for them, and the failed device was not probed
# a third time (which would bind it).
case_probe_error() {
	deferred=/sys/kernel/debug/devices_deferred
	[ -r $deferred ] || fail "no $deferred" || return 1
	echo clear >$DBG/events
	new_dev "kn_pe defers=2 probe_err=-5" || return 1
	[ ! -e "$(dev_path kn_pe)/driver" ] || fail "bound though probe failed" || return 1
	expect "probe ret" "$(evval "$(ev kn_pe driver probe exit)" ret)" -5 || return 1
	write_must_fail $BUS/drivers/rpm_sim_drv/bind kn_pe "Input/output error" || return 1
	new_dev "kn_pt" || return 1
	[ -e "$(dev_path kn_pt)/driver" ] || fail "trigger device not bound" || return 1
	echo settle >$DBG/drivers || return 1
	expect "probe_count after a trigger" "$(state kn_pe probe_count)" 2 || return 1
	[ ! -e "$(dev_path kn_pe)/driver" ] || fail "retried and bound after -EIO" || return 1
	! grep -q "^kn_pe[[:space:]]" $deferred || fail "deferred after -EIO" || return 1
	echo kn_pe >$BUS/drivers/rpm_sim_drv/bind || return 1
	[ -e "$(dev_path kn_pe)/driver" ] || fail "third probe did not bind"
}

# dpm_flags: the probe's dev_pm_set_driver_flags(); device_unbind_cleanup()
# clears them after a failed probe and at unbind (RI-8), and a probe that
# sets none leaves none.
case_dpm_flags() {
	new_dev "kn_df dpm_flags=0xf defers=1 probe_err=-5" || return 1
	[ ! -e "$(dev_path kn_df)/driver" ] || fail "bound though probe failed" || return 1
	expect "driver_flags after a failed probe" "$(state kn_df driver_flags)" 0x0 || return 1
	echo kn_df >$BUS/drivers/rpm_sim_drv/bind || return 1
	expect "driver_flags bound" "$(state kn_df driver_flags)" 0xf || return 1
	echo kn_df >$BUS/drivers/rpm_sim_drv/unbind || return 1
	expect "driver_flags unbound" "$(state kn_df driver_flags)" 0x0 || return 1
	beh kn_df dpm_flags=0 defers=0 || return 1
	echo kn_df >$BUS/drivers/rpm_sim_drv/bind || return 1
	expect "driver_flags bound by a probe that set none" "$(state kn_df driver_flags)" 0x0
}

# no_callbacks: the probe's pm_runtime_no_callbacks(). The core drops the
# device's runtime PM control files from power/ and runs none of its runtime
# callbacks, at any layer, through the probe's get and put and through a
# resume that wakes the parent first (RS-11).
case_no_callbacks() {
	new_dev "kn_np probe=get_put" && wait_status kn_np suspended || return 1
	echo clear >$DBG/events
	new_dev "kn_nc parent=kn_np probe=get_put no_callbacks=1" &&
		wait_state kn_nc runtime_status suspended || return 1
	# The probe ran with the parent resumed by the driver core (the
	# shortcut past an active parent); now a resume that must wake it.
	wait_status kn_np suspended || return 1
	rpm kn_nc get_sync
	expect "kn_nc status after get_sync" "$(state kn_nc runtime_status)" active || return 1
	# (its first resume was the driver core's, for the probe)
	[ -n "$(ev kn_np driver runtime_resume enter 2)" ] ||
		fail "the suspended parent was not resumed" || return 1
	rpm kn_nc put_sync
	expect "kn_nc status after put_sync" "$(state kn_nc runtime_status)" suspended || return 1
	p=$(dev_path kn_nc)/power
	# runtime_status stays where CONFIG_PM_ADVANCED_DEBUG lists it among
	# the debug files (sysfs.c), as on every kernel here.
	for f in control runtime_active_time runtime_suspended_time autosuspend_delay_ms; do
		[ ! -e "$p/$f" ] || fail "power/$f is still there" || return 1
	done
	! events kn_nc | grep -q " runtime_[a-z]* enter " ||
		fail "a runtime PM callback ran: $(events kn_nc | grep " runtime_[a-z]* enter " | head -n 1)" ||
		return 1
	wait_status kn_np suspended
}

# leak_parent: the probe takes a usage reference on the parent that nothing
# gives back, a driver's bug for attach's parent_not_back to find: the
# parent's power/runtime_usage stays where the unbind found it, one up a
# binding.
case_leak_parent() {
	new_dev "kn_lp" && new_dev "kn_lc parent=kn_lp leak_parent=1" || return 1
	echo kn_lc >$BUS/drivers/rpm_sim_drv/unbind || return 1
	u=$(pm kn_lp runtime_usage)
	[ "${u:-0}" -ge 1 ] || fail "the parent's usage after the first binding: '$u'" || return 1
	echo kn_lc >$BUS/drivers/rpm_sim_drv/bind || return 1
	echo kn_lc >$BUS/drivers/rpm_sim_drv/unbind || return 1
	expect "the parent's usage after one more binding" "$(pm kn_lp runtime_usage)" $((u + 1))
}

case_async_suspend() {
	new_dev "kn_as async_suspend=1" && new_dev "kn_sy" || return 1
	expect "power/async with async_suspend=1" "$(pm kn_as async)" enabled || return 1
	expect "power/async by default" "$(pm kn_sy async)" disabled
}

# resume_waits_subtree: the system ->resume of an async device returns
# once every device below has begun its resume; the child's callbacks
# still come after it, since the child's resume waits for its parent's.
# A synchronous device holds the walk that would begin its child's: the
# wait gives up after gate_timeout_ms and says so. The two halves show the
# wait's condition can be met and can fail.
case_resume_waits_subtree() {
	new_dev "kn_rw async_suspend=1 resume_waits_subtree=1" &&
		new_dev "kn_rc parent=kn_rw" || return 1
	sleep_cycle devices || return 1
	expect "the wait's end" \
		"$(evval "$(ev kn_rw harness subtree_resuming mark)" ret)" 0 || return 1
	before "$(ev kn_rw driver resume exit)" "$(ev kn_rc driver resume enter)" ||
		fail "kn_rc's ->resume ran before its parent's returned" || return 1

	echo clear >$DBG/events
	del_dev kn_rc && del_dev kn_rw || return 1
	new_dev "kn_rw resume_waits_subtree=1" && new_dev "kn_rc parent=kn_rw" || return 1
	gt=/sys/module/rpm_sim/parameters/gate_timeout_ms
	read -r old_gt <$gt
	echo 300 >$gt
	sleep_cycle devices
	ret=$?
	echo "$old_gt" >$gt
	[ $ret -eq 0 ] || return 1
	expect "the bounded wait's end" \
		"$(evval "$(ev kn_rw harness subtree_resuming mark)" ret)" -110
}

case_ignore_children() {
	new_dev "kn_ip probe=get_put ignore_children=1" && wait_status kn_ip suspended || return 1
	new_dev "kn_ic parent=kn_ip probe=get_put" && wait_status kn_ic suspended || return 1
	rpm kn_ic get_sync
	# A parent that ignores its children is not resumed for them.
	expect "parent" "$(pm kn_ip runtime_status)" suspended || return 1
	expect "child" "$(pm kn_ic runtime_status)" active || return 1
	rpm kn_ic put_sync
}

case_bindable() {
	new_dev "kn_nb bind=0 probe=get_put" || return 1
	[ ! -e "$(dev_path kn_nb)/driver" ] || fail "bound with bind=0" || return 1
	write_must_fail $BUS/drivers/rpm_sim_drv/bind kn_nb "No such device" || return 1
	echo 1 >$DBG/devices/kn_nb/bindable
	echo kn_nb >$BUS/drivers/rpm_sim_drv/bind || return 1
	[ -e "$(dev_path kn_nb)/driver" ] || fail "not bound after bindable=1"
}

case_work_and_drivers() {
	new_dev "kn_w probe=get_put" && wait_status kn_w suspended || return 1
	echo run >$DBG/devices/kn_w/work || return 1
	i=0
	while [ "$(state kn_w work_count)" != 1 ] && [ $i -lt 200 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	expect work_count "$(state kn_w work_count)" 1 || return 1
	wait_status kn_w suspended || return 1
	echo "unregister rpm_sim" >$DBG/drivers
	[ ! -e "$(dev_path kn_w)/driver" ] || fail "bound with the driver gone" || return 1
	echo "register rpm_sim" >$DBG/drivers
	[ -e "$(dev_path kn_w)/driver" ] || fail "not bound again by driver_attach()"
}

ktap_header 19
run_case irq_safe case_irq_safe
run_case autosuspend case_autosuspend
run_case autosuspend_undone_by_remove case_autosuspend_undone
run_case callback_errors case_callback_errors
run_case callback_delays case_delays
run_case remove_patterns case_remove_patterns
run_case fail_put case_fail_put
run_case set_active case_set_active
run_case devm case_devm
run_case schedule_suspend case_schedule_suspend
run_case probe_error case_probe_error
run_case dpm_flags case_dpm_flags
run_case no_callbacks case_no_callbacks
run_case leak_parent case_leak_parent
run_case async_suspend case_async_suspend
run_case resume_waits_subtree case_resume_waits_subtree
run_case ignore_children case_ignore_children
run_case bindable case_bindable
run_case work_after_resume_and_driver_attach case_work_and_drivers
ktap_finish
