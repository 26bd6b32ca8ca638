#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rmmod under load: devices bound, suspended, active, linked, in a tree on
# every bus, one callback held at a gate, and bind/unbind and create/delete
# running from other processes. rmmod must finish promptly and leave nothing
# behind; the module is loaded again afterwards for the tests that follow.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module
ko=$(module_file)
[ -f "$ko" ] || ktap_skip_all "no rpm_sim.ko to load again afterwards (set RPM_SIM_MODULE_DIR)"

# Unload/reload cycles after the first (one here, which shows a leak or a
# stale object of one unload in the next and in the kmemleak scan that
# follows the plan; make soak asks for a thousand).
CYCLES=${RPM_SIM_RMMOD_CYCLES:-1}
case "$CYCLES" in
'' | *[!0-9]*) ktap_fail_all "RPM_SIM_RMMOD_CYCLES=$CYCLES: not a number" ;;
esac

ktap_header 5

build_load() {
	new_dev "rl_root probe=get_put" || return 1
	new_dev "rl_mid parent=rl_root probe=get_put" || return 1
	new_dev "rl_leaf parent=rl_mid probe=autosuspend" || return 1
	new_dev "rl_churn parent=rl_mid probe=get_put" || return 1
	new_dev "rl_proot bus=platform pm_domain=1 probe=get_put" || return 1
	new_dev "rl_pleaf bus=platform parent=rl_proot probe=irq_safe" || return 1
	new_dev "rl_bare bus=bare parent=rl_mid probe=autosuspend" || return 1
	new_dev "rl_bdom bus=bare pm_domain=1 parent=rl_proot probe=get_put" || return 1
	new_dev "rl_def probe=defer defers=1000" || return 1
	new_dev "rl_unb bind=0" || return 1
	new_dev "rl_gated probe=get_put" || return 1
	new_dev "rl_gchild parent=rl_gated probe=get_put" || return 1
	# Attached (attach.c) through the unload, which unbinds and binds them
	# again: leaves (a parent's probe would enable runtime PM under active
	# children, see churn), one the churn binds and unbinds meanwhile, one
	# with its own PM domain.
	echo "rpm_sim rl_churn" >$DBG/attach || return 1
	echo "rpm_sim_bare rl_bdom" >$DBG/attach || return 1
	echo "rl_leaf rl_proot pm_runtime=1" >$BUS/new_link || return 1
	echo "rl_mid rl_pleaf pm_runtime=1 stateless=1" >$BUS/new_link || return 1
	echo get_sync >$DBG/devices/rl_root/rpm || return 1
	wait_status rl_gchild suspended && wait_status rl_gated suspended || return 1
	# Held past any rmmod: only rmmod's closing of the gates may let the
	# resume go (the default 10 s ran out first once, under a loaded host,
	# and would hide a gate rmmod never closed).
	echo 60000 >/sys/module/rpm_sim/parameters/gate_timeout_ms || return 1
	echo "arm runtime_resume" >$DBG/devices/rl_gated/gate || return 1
	echo get >$DBG/devices/rl_gated/rpm || return 1
	echo "wait runtime_resume 2000" >$DBG/devices/rl_gated/gate ||
		fail "the resume never reached its gate" || return 1
	# The child's resume (a pm_wq worker: an open debugfs file would pin
	# the module) waits for that one, holding its parent's usage; deleting
	# the child waits for the child's resume. rmmod must let both go.
	echo get >$DBG/devices/rl_gchild/rpm || return 1
	wait_state rl_gated usage_count 2 || return 1
	del_dev rl_gchild 2>/dev/null &
	deleter=$!
	wait_ev rl_gchild core notify_del_device mark
}

# Bind/unbind and create/delete from other processes until the bus goes.
# Errors are expected while rmmod tears the files down; the shell reports
# a redirection it cannot open on the stderr in force at that moment, so
# 2>/dev/null comes before the redirection to the file.
# The rebound device is a leaf without suppliers: enabling runtime PM of a
# device whose children are active warns (rmmod's teardown resumes
# children), and a sysfs bind that defers for a supplier leaks its
# deferral reason on 6.12 (a kernel finding, kept out of this test).
churn() {
	while [ -d $BUS ]; do
		echo rl_churn 2>/dev/null >$BUS/drivers/rpm_sim_drv/unbind
		echo rl_churn 2>/dev/null >$BUS/drivers/rpm_sim_drv/bind
		echo "rl_tmp probe=get_put" 2>/dev/null >$BUS/new_device
		echo rl_tmp 2>/dev/null >$BUS/del_device
	done
}

case_rmmod() {
	build_load || return 1
	churn &
	c1=$!
	churn &
	c2=$!
	sleep 0.2
	[ -n "$(lsmod | awk '$1 == "rpm_sim_kunit"')" ] && rmmod rpm_sim_kunit
	kill -0 $deleter 2>/dev/null ||
		fail "rl_gchild's deletion did not wait for the held resume: nothing to test" || return 1
	start=$(cut -d ' ' -f 1 /proc/uptime)
	err=$(timeout 30 rmmod rpm_sim 2>&1)
	code=$?
	end=$(cut -d ' ' -f 1 /proc/uptime)
	wait $deleter
	deleted=$?
	wait $c1 $c2
	echo "# rmmod took $(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }') s"
	[ $code -eq 0 ] || fail "rmmod rpm_sim: exit $code: $err" || return 1
	[ $deleted -eq 0 ] || fail "del_device rl_gchild failed while rmmod ran"
}

case_nothing_left() {
	[ ! -d $BUS ] || fail "/sys/bus/rpm_sim still there" || return 1
	[ ! -d $BARE ] || fail "$BARE still there" || return 1
	[ ! -d $DBG ] || fail "$DBG still there" || return 1
	# Devices made by the churn racing with rmmod too: none may outlive it.
	left=$(ls -d /sys/devices/rl_* /sys/devices/platform/rl_* 2>/dev/null)
	[ -z "$left" ] || fail "devices left after rmmod: $left" || return 1
	# The platform driver's directory goes with its kobject's release,
	# which DEBUG_KOBJECT_RELEASE delays by up to 4 s after rmmod: wait
	# for it to go, 10 s at most.
	i=0
	while [ -e /sys/bus/platform/drivers/rpm_sim_plat ]; do
		[ $i -lt 100 ] || fail "platform driver left 10 s after rmmod" || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# The driver core may release the bus's kobject after rmmod has returned:
# DEBUG_KOBJECT_RELEASE delays every release by 1 to 4 s and says so. Up to
# v6.2 that release writes into the bus_type, which lives in the module's
# memory. Wait out the longest delay with the module gone, so that a write
# into freed module memory faults here and not in whatever test runs next.
log_since_rmmod() {
	dmesg | awk 'index($0, "rpm_sim_rmmod rmmod_under_load") { n = 0 }
		{ l[n++] = $0 } END { for (i = 0; i < n; i++) print l[i] }'
}

case_release_after_unload() {
	log=$(log_since_rmmod)
	echo "$log" | grep -q "rpm_sim_rmmod rmmod_under_load" ||
		fail "the kernel log no longer holds the rmmod case" || return 1
	echo "$log" | grep -q "'rpm_sim' (.*kobject_release.*(delayed" || {
		echo "# no delayed kobject release announced for the bus"
		return $KSFT_SKIP
	}
	sleep 5
	bad=$(log_since_rmmod | grep -E 'BUG:|Oops|general protection|KASAN:')
	[ -z "$bad" ] || fail "after rmmod: $bad"
}

case_reload() {
	insmod "$ko" ${RPM_SIM_PARAMS:-} || fail "insmod $ko failed" || return 1
	new_dev "rl_again probe=get_put" || return 1
	wait_status rl_again suspended || return 1
	del_dev rl_again
}

case_cycles() {
	i=0
	while [ $i -lt "$CYCLES" ]; do
		i=$((i + 1))
		out=$( { case_rmmod && case_nothing_left && case_reload; } 2>&1) ||
			{ echo "$out"; fail "cycle $i of $CYCLES failed"; return 1; }
	done
	echo "# $CYCLES more insmod/rmmod cycles under load"
}

run_case rmmod_under_load case_rmmod
run_case nothing_left case_nothing_left
run_case release_after_unload case_release_after_unload
run_case reload case_reload
run_case rmmod_cycles case_cycles
ktap_finish
