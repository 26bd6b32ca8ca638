#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rpm_sim from user space: create devices on every bus, bind and unbind
# through the standard sysfs files, drive runtime PM through debugfs, and
# check power/ and the event log at each step (RM-1, RM-2, RI-1, TL-3 and
# the control files' error answers).

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module

case_cleanup() {
	for d in st_c st_s st_plat st_bare st_as st_def st_gate st_rpm st_child st_par st_x st_h; do
		[ -d $DBG/devices/$d ] || continue
		echo "release all" >$DBG/devices/$d/gate
		del_dev $d
	done
}

# RM-1/RM-2 through drivers/rpm_sim_drv/unbind and bind; then bound again
# through the bus's drivers_probe (bus_rescan_devices_helper(), the
# device_attach() path from user space)
case_unbind_bind() {
	new_dev "st_rpm probe=get_put remove=suspend" || return 1
	p=$(dev_path st_rpm)
	require_power_debug "$p"
	[ -e "$p/driver" ] || fail "st_rpm not bound" || return 1
	wait_status st_rpm suspended || return 1
	expect runtime_usage "$(pm st_rpm runtime_usage)" 0 || return 1
	expect runtime_enabled "$(pm st_rpm runtime_enabled)" enabled || return 1
	echo clear >$DBG/events
	echo st_rpm >$BUS/drivers/rpm_sim_drv/unbind || return 1
	[ ! -e "$p/driver" ] || fail "still bound after unbind" || return 1
	# The UNBIND_DRIVER notifier saw the device active with the core's reference.
	line=$(events st_rpm | awk '$5 == "core" && $6 == "notify_unbind_driver"')
	[ -n "$line" ] || fail "no UNBIND_DRIVER notifier record" || return 1
	echo "$line" | grep -q "status=active usage=1 " ||
		fail "notifier saw: $line" || return 1
	line=$(events st_rpm | awk '$5 == "driver" && $6 == "remove" && $7 == "enter"')
	echo "$line" | grep -q "status=suspended usage=0 " ||
		fail "->remove entered with: $line" || return 1
	# Disabled: sysfs says "unsupported"; the real status is RPM_SUSPENDED.
	expect runtime_enabled "$(pm st_rpm runtime_enabled)" disabled || return 1
	expect runtime_status "$(pm st_rpm runtime_status)" unsupported || return 1
	expect "state runtime_status" "$(state st_rpm runtime_status)" suspended || return 1
	expect "state disable_depth" "$(state st_rpm disable_depth)" 1 || return 1
	echo st_rpm >$BUS/drivers/rpm_sim_drv/bind || return 1
	[ -e "$p/driver" ] || fail "not bound after bind" || return 1
	wait_status st_rpm suspended || return 1
	echo st_rpm >$BUS/drivers/rpm_sim_drv/unbind || return 1
	echo st_rpm >$BUS/drivers_probe || fail "drivers_probe refused st_rpm" || return 1
	[ -e "$p/driver" ] || fail "not bound after drivers_probe" || return 1
	wait_status st_rpm suspended || return 1
	del_dev st_rpm
}

# Runtime PM calls through debugfs, seen in power/: status, usage, the
# parent's runtime_active_kids, control
case_rpm_calls() {
	new_family st_rpm st_child || return 1
	expect control "$(pm st_rpm control)" auto || return 1
	expect runtime_active_kids "$(pm st_rpm runtime_active_kids)" 0 || return 1
	echo get_sync >$DBG/devices/st_child/rpm || return 1
	expect "child status" "$(pm st_child runtime_status)" active || return 1
	expect "parent status" "$(pm st_rpm runtime_status)" active || return 1
	expect runtime_active_kids "$(pm st_rpm runtime_active_kids)" 1 || return 1
	expect runtime_usage "$(pm st_child runtime_usage)" 1 || return 1
	echo put_sync >$DBG/devices/st_child/rpm || return 1
	expect "child status" "$(pm st_child runtime_status)" suspended || return 1
	expect runtime_usage "$(pm st_child runtime_usage)" 0 || return 1
	expect runtime_active_kids "$(pm st_rpm runtime_active_kids)" 0 || return 1
	events st_child | grep -q " harness pm_runtime_put_sync call ret=0 " ||
		fail "put_sync not logged with ret=0" || return 1
	wait_status st_rpm suspended || return 1
	del_dev st_child && del_dev st_rpm
}

# CT-1: power/control. "on" is pm_runtime_forbid(): the device resumes at
# once (its parent first) and a usage reference is held; "auto" is
# pm_runtime_allow(): the reference goes and an idle check follows, so
# both suspend again without another call.
case_control_on_auto() {
	new_family st_ctl st_ctl_kid || return 1
	echo on >"$(dev_path st_ctl_kid)/power/control" || return 1
	expect control "$(pm st_ctl_kid control)" on || return 1
	expect "child status" "$(pm st_ctl_kid runtime_status)" active || return 1
	expect runtime_usage "$(pm st_ctl_kid runtime_usage)" 1 || return 1
	expect "parent status" "$(pm st_ctl runtime_status)" active || return 1
	expect runtime_active_kids "$(pm st_ctl runtime_active_kids)" 1 || return 1
	echo auto >"$(dev_path st_ctl_kid)/power/control" || return 1
	expect control "$(pm st_ctl_kid control)" auto || return 1
	expect runtime_usage "$(pm st_ctl_kid runtime_usage)" 0 || return 1
	wait_status st_ctl_kid suspended && wait_status st_ctl suspended || return 1
	expect runtime_active_kids "$(pm st_ctl runtime_active_kids)" 0 || return 1
	del_dev st_ctl_kid && del_dev st_ctl
}

# CT-2: power/autosuspend_delay_ms (pm_runtime_set_autosuspend_delay(),
# update_autosuspend()). A negative delay forbids runtime suspend: the
# device resumes at once and the core holds one usage reference, however
# often a negative delay is written; a delay of 0 or more gives the
# reference back and an idle check follows, so the device autosuspends
# without another call. A value that is not a number is refused.
case_autosuspend_delay() {
	new_dev "st_as probe=autosuspend autosuspend_ms=20" || return 1
	f=$(dev_path st_as)/power/autosuspend_delay_ms
	wait_status st_as suspended || return 1
	expect autosuspend_delay_ms "$(cat $f)" 20 || return 1
	for i in 1 2; do
		echo -1 >$f || return 1
		expect "autosuspend_delay_ms (write $i)" "$(cat $f)" -1 || return 1
		expect "status after -1 (write $i)" "$(pm st_as runtime_status)" active ||
			return 1
		expect "runtime_usage after -1 (write $i)" "$(pm st_as runtime_usage)" 1 ||
			return 1
	done
	echo 20 >$f || return 1
	expect "runtime_usage after 20" "$(pm st_as runtime_usage)" 0 || return 1
	wait_status st_as suspended || return 1
	write_must_fail $f soon "Invalid argument" || return 1
	expect "autosuspend_delay_ms after a refused write" "$(cat $f)" 20 || return 1
	del_dev st_as
}

# The platform bus with the PM domain: the domain's callbacks are logged
case_platform_domain() {
	echo clear >$DBG/events
	new_dev "st_plat bus=platform pm_domain=1 probe=get_put" || return 1
	p=$(dev_path st_plat)
	[ -e "$p/driver" ] || fail "st_plat not bound" || return 1
	expect driver "$(basename "$(readlink "$p/driver")")" rpm_sim_plat || return 1
	wait_status st_plat suspended || return 1
	n=$(events st_plat | awk '$5 == "domain" && $6 == "runtime_resume" && $7 == "enter"' | wc -l)
	expect "domain runtime_resume" "$n" 1 || return 1
	echo st_plat >/sys/bus/platform/drivers/rpm_sim_plat/unbind || return 1
	del_dev st_plat
}

# The bare bus, without PM callbacks or ->probe of its own: the driver core
# calls the driver's ->probe and ->remove, the PM core its runtime PM
# callbacks; nothing is logged in a bus or domain layer. Its driver comes
# and goes with the drivers file like the others.
case_bare_bus() {
	echo clear >$DBG/events
	new_dev "st_bare bus=bare probe=get_put" || return 1
	p=$(dev_path st_bare)
	expect "sysfs path" "$p" $BARE/devices/st_bare || return 1
	expect driver "$(basename "$(readlink "$p/driver")")" rpm_sim_bare_drv || return 1
	wait_status st_bare suspended || return 1
	for e in probe runtime_resume runtime_suspend; do
		n=$(events st_bare | awk -v e=$e '$5 == "driver" && $6 == e && $7 == "enter"' | wc -l)
		expect "driver $e" "$n" 1 || return 1
	done
	n=$(events st_bare | awk '$5 == "bus" || $5 == "domain"' | wc -l)
	expect "bus and domain records" "$n" 0 || return 1
	expect "drivers file" "$(grep '^bare ' $DBG/drivers)" "bare 1" || return 1
	echo "unregister bare" >$DBG/drivers || return 1
	[ ! -e "$p/driver" ] || fail "bound after its driver was unregistered" || return 1
	expect "drivers file" "$(grep '^bare ' $DBG/drivers)" "bare 0" || return 1
	echo "register bare" >$DBG/drivers || return 1
	[ -e "$p/driver" ] || fail "not bound again when its driver came back" || return 1
	echo st_bare >$BARE/drivers/rpm_sim_bare_drv/unbind || return 1
	expect "status once unbound" "$(state st_bare runtime_status)" suspended || return 1
	n=$(events st_bare | awk '$5 == "driver" && $6 == "remove" && $7 == "exit"' | wc -l)
	expect "driver remove" "$n" 2 || return 1
	del_dev st_bare
}

# RI-1 from user space: a deferred probe, then bind; the domain resumes again
case_deferred_probe() {
	echo clear >$DBG/events
	new_dev "st_def pm_domain=1 probe=defer defers=1" || return 1
	p=$(dev_path st_def)
	[ ! -e "$p/driver" ] || fail "bound though probe deferred" || return 1
	# RI-1: put() + disable() left it active; the re-init marked it suspended.
	expect "state runtime_status" "$(state st_def runtime_status)" suspended || return 1
	expect "state usage_count" "$(state st_def usage_count)" 0 || return 1
	# The driver core retries a deferred device on its own too (after any
	# successful bind, and once from its timeout work): when that retry
	# binds it first, the write fails with -EBUSY and the device is bound.
	echo st_def >$BUS/drivers/rpm_sim_drv/bind 2>/dev/null ||
		echo "# bind: already bound by the driver core's own retry"
	[ -e "$p/driver" ] || fail "retry did not bind" || return 1
	n=$(events st_def | awk '$5 == "domain" && $6 == "runtime_resume" && $7 == "enter"' | wc -l)
	expect "domain runtime_resume (two attempts)" "$n" 2 || return 1
	del_dev st_def
}

# A gate holds ->remove from user space; the device is suspended inside it (RM-2)
case_gate_remove() {
	new_dev "st_gate probe=get_put" || return 1
	wait_status st_gate suspended || return 1
	echo "arm remove" >$DBG/devices/st_gate/gate || return 1
	echo st_gate >$BUS/drivers/rpm_sim_drv/unbind &
	bg=$!
	echo "wait remove 2000" >$DBG/devices/st_gate/gate || fail "gate never reached" || return 1
	grep -q "^remove reached" $DBG/devices/st_gate/gate || fail "gate file does not say reached" || return 1
	expect "runtime_status in ->remove" "$(pm st_gate runtime_status)" suspended || return 1
	write_must_fail $BUS/del_device st_gate "busy" || return 1
	echo "release remove" >$DBG/devices/st_gate/gate || return 1
	wait $bg || fail "unbind failed" || return 1
	del_dev st_gate
}

# A deletion that waits for another device's gate holds no lock: the child's
# get_sync waits at its parent's held resume, and deleting the child waits
# for that get_sync (its debugfs file is in use, and the unbind resumes it).
# new_device and del_device must return while the gate is still held, not
# when it gives up.
case_del_waits_unlocked() {
	new_family st_par st_child || return 1
	echo clear >$DBG/events
	echo "arm runtime_resume" >$DBG/devices/st_par/gate || return 1
	# Out of the case's stdout: a waiting job must not hold the case open.
	echo get_sync 2>/dev/null >$DBG/devices/st_child/rpm &
	getter=$!
	echo "wait runtime_resume 2000" >$DBG/devices/st_par/gate ||
		fail "the parent's resume never reached its gate" || return 1
	del_dev st_child >/dev/null 2>&1 &
	deleter=$!
	wait_ev st_child core notify_del_device mark || return 1
	new_dev "st_x probe=get_put" || return 1
	del_dev st_x || return 1
	# Until it is gone from sysfs, the child keeps its name and its place
	# under its parent, and no command finds it.
	write_must_fail $BUS/new_device st_child "exists" || return 1
	write_must_fail $BUS/del_device st_child "No such device" || return 1
	write_must_fail $BUS/del_device st_par "busy" || return 1
	grep -q "^runtime_resume reached" $DBG/devices/st_par/gate ||
		fail "new_device and del_device returned only once the parent's gate gave up" ||
		return 1
	kill -0 $deleter 2>/dev/null ||
		fail "del_device did not wait for the held resume: nothing was tested" || return 1
	echo "release runtime_resume" >$DBG/devices/st_par/gate || return 1
	wait $getter || fail "get_sync of the child failed" || return 1
	wait $deleter || fail "del_device of the child failed" || return 1
	[ ! -d $DBG/devices/st_child ] || fail "st_child still there" || return 1
	expect "parent child_count" "$(state st_par child_count)" 0 || return 1
	del_dev st_par
}

# TL-3 through a link made from user space
case_link() {
	new_dev "st_s probe=get_put" || return 1
	new_dev "st_c probe=get_put" || return 1
	wait_status st_s suspended && wait_status st_c suspended || return 1
	echo "st_c st_s pm_runtime=1 stateless=1" >$BUS/new_link || return 1
	write_must_fail $BUS/new_link "st_s st_c pm_runtime=1 stateless=1" "Invalid argument" || return 1
	echo get_sync >$DBG/devices/st_c/rpm || return 1
	expect "supplier status" "$(pm st_s runtime_status)" active || return 1
	expect "supplier usage" "$(pm st_s runtime_usage)" 1 || return 1
	echo put_sync >$DBG/devices/st_c/rpm || return 1
	wait_status st_s suspended || return 1
	# Deleting the link while the consumer is active drops its reference.
	echo get_sync >$DBG/devices/st_c/rpm || return 1
	expect "supplier usage, consumer active" "$(pm st_s runtime_usage)" 1 || return 1
	echo "st_c st_s" >$BUS/del_link || return 1
	expect "supplier usage after del_link" "$(pm st_s runtime_usage)" 0 || return 1
	echo put_sync >$DBG/devices/st_c/rpm || return 1
	wait_status st_s suspended || return 1
	del_dev st_c && del_dev st_s
}

# DL-3 through a link made from user space: the driver core deletes it
case_link_autoremove() {
	dl=/sys/class/devlink/rpm_sim:st_s--rpm_sim:st_c
	new_dev "st_s probe=get_put" || return 1
	new_dev "st_c probe=get_put" || return 1
	echo "st_c st_s pm_runtime=1 autoremove_consumer=1" >$BUS/new_link || return 1
	expect "devlink auto_remove_on" "$(cat $dl/auto_remove_on 2>&1)" "consumer unbind" ||
		return 1
	expect "devlink status" "$(cat $dl/status 2>&1)" active || return 1
	echo st_c >$BUS/drivers/rpm_sim_drv/unbind || return 1
	[ ! -e $dl ] || fail "$dl outlived its consumer's unbind" || return 1
	write_must_fail $BUS/del_link "st_c st_s" "No such file" || return 1
	# Gone, so it may be made again: persistent this time
	echo "st_c st_s" >$BUS/new_link || return 1
	expect "devlink status of the new link" "$(cat $dl/status 2>&1)" available || return 1
	echo st_c >$BUS/drivers/rpm_sim_drv/bind || return 1
	expect "devlink status, consumer bound" "$(cat $dl/status 2>&1)" active || return 1
	del_dev st_c && del_dev st_s
}

# Defined answers to bad requests
case_bad_requests() {
	new_dev "st_par probe=get_put" || return 1
	new_dev "st_child parent=st_par" || return 1
	write_must_fail $BUS/new_device "st_par" "exists" || return 1
	write_must_fail $BUS/new_device "st_x parent=nosuch" "No such device" || return 1
	write_must_fail $BUS/new_device "st_x probe=bogus" "Invalid argument" || return 1
	# DPM_FLAG_* stop at 0x8
	write_must_fail $BUS/new_device "st_x dpm_flags=0x10" "Invalid argument" || return 1
	write_must_fail $BUS/del_device "st_par" "busy" || return 1
	write_must_fail $BUS/del_device "nosuch" "No such device" || return 1
	write_must_fail $DBG/devices/st_par/gate "arm nowhere" "Invalid argument" || return 1
	write_must_fail $DBG/devices/st_par/rpm "explode" "Invalid argument" || return 1
	write_must_fail $DBG/drivers "settle rpm_sim" "Invalid argument" || return 1
	# the platform bus's ->match is the kernel's: it cannot defer or fail
	write_must_fail $BUS/new_device "st_x bus=platform match_defer=1" "Invalid argument" || return 1
	new_dev "st_plat bus=platform" || return 1
	write_must_fail $DBG/devices/st_plat/behaviour "match_err=-19" "Invalid argument" || return 1
	expect "match_defer of st_plat after refusals" \
		"$(grep -o 'match_defer=[0-9]* match_err=[-0-9]*' $DBG/devices/st_plat/behaviour)" \
		"match_defer=0 match_err=0" || return 1
	del_dev st_plat && del_dev st_child && del_dev st_par
}

# history: what a unit logged, from a record number on, with what its
# tests cleared (the runner's timelines); events no longer shows it.
case_history() {
	new_dev "st_h probe=get_put" || return 1
	wait_status st_h suspended || return 1
	from=$(sed -n 's/^events //p' $DBG/stats)
	echo get_sync >$DBG/devices/st_h/rpm || return 1
	echo put_sync >$DBG/devices/st_h/rpm || return 1
	echo clear >$DBG/events || return 1
	[ -z "$(events st_h)" ] || fail "events still shows st_h after clear" || return 1
	got=$( (exec 4<>$DBG/history && echo "$from" >&4 && cat <&4) | cut -d ' ' -f 1,4-7)
	expect "history's first record" "$(echo "$got" | head -n 1 | cut -d ' ' -f 1)" "$from" ||
		return 1
	for want in "harness pm_runtime_get_sync call" "driver runtime_suspend exit"; do
		echo "$got" | grep -q " st_h $want$" ||
			fail "history lacks st_h's $want: $got" || return 1
	done
	next=$(sed -n 's/^events //p' $DBG/stats)
	expect "history past the end" \
		"$( (exec 4<>$DBG/history && echo "$next" >&4 && cat <&4) | wc -l)" 0 || return 1
	del_dev st_h
}

# Control files are root-only
case_modes() {
	for f in new_device del_device new_link del_link; do
		expect "mode of $f" "$(stat -c %a $BUS/$f)" 200 || return 1
	done
	for f in events history bus_opts drivers; do
		expect "mode of $f" "$(stat -c %a $DBG/$f)" 600 || return 1
	done
	expect "mode of stats" "$(stat -c %a $DBG/stats)" 400 || return 1
	new_dev "st_rpm" || return 1
	for f in state:400 behaviour:600 gate:600 rpm:200 bindable:600 work:200; do
		expect "mode of devices/st_rpm/${f%%:*}" \
			"$(stat -c %a $DBG/devices/st_rpm/${f%%:*})" "${f#*:}" || return 1
	done
	del_dev st_rpm
}

ktap_header 14
run_case unbind_bind_rm1_rm2 case_unbind_bind
run_case rpm_calls case_rpm_calls
run_case control_on_auto_ct1 case_control_on_auto
run_case autosuspend_delay_ct2 case_autosuspend_delay
run_case platform_domain case_platform_domain
run_case bare_bus case_bare_bus
run_case deferred_probe_ri1 case_deferred_probe
run_case gate_remove_rm2 case_gate_remove
run_case del_device_waits_unlocked case_del_waits_unlocked
run_case link_tl3 case_link
run_case link_autoremove_dl3 case_link_autoremove
run_case bad_requests case_bad_requests
run_case history_keeps_cleared case_history
run_case control_files_root_only case_modes
ktap_finish
