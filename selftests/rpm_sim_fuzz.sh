#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A bounded fuzz of every rpm_sim control file. Malformed input from a fixed
# list must fail with a clear error; random input may pass or fail but must
# leave the module consistent: whatever it created is found and deleted, and
# the runner checks the console for splats.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module

ROUNDS=${RPM_SIM_FUZZ_ROUNDS:-60}
dev=fz_dev

setup() {
	new_dev "$dev probe=get_put" || return 1
	new_dev "fz_sup probe=get_put" || return 1
	wait_status $dev suspended
}

case_cleanup() {
	for d in $(ls $DBG/devices); do
		echo "release all" >$DBG/devices/"$d"/gate
	done
	# What random input made, children before parents: passes until none is left.
	left=x
	while [ -n "$left" ]; do
		prev=$left
		left=
		for d in $(ls $DBG/devices); do
			case "$d" in
			fz_*) ;;
			*) del_dev "$d" 2>/dev/null || left="$left $d" ;;
			esac
		done
		[ "$left" != "$prev" ] || { echo "cannot delete:$left"; return 1; }
	done
	[ ! -d $DBG/devices/$dev ] || del_dev $dev
	[ ! -d $DBG/devices/fz_sup ] || del_dev fz_sup
	echo "hold_rpm_across_remove=0 break_ss2=0" >$DBG/bus_opts
	echo "register rpm_sim" >$DBG/drivers
	echo "register platform" >$DBG/drivers
	echo "register bare" >$DBG/drivers
	# A random "add A B" may have started a watch, "A B" an attachment.
	observe_reset
	for a in $(cut -d ' ' -f 1 $DBG/attach); do
		echo "${a%%:*} ${a#*:}" >$DBG/detach
	done
}

# FILE: one malformed input per line; each must fail with ERROR.
must_fail_all() {	# file error
	bad=0
	while IFS= read -r line; do
		write_must_fail "$1" "$line" "$2" || bad=1
	done
	return $bad
}

long=$(head -c 600 /dev/zero | tr '\0' 'a')

case_new_device() {
	setup || return 1
	must_fail_all $BUS/new_device "Invalid argument" <<-EOF
	bad/name
	x bus=usb
	x pm_domain=maybe
	x probe=
	x =1
	x probe=defer defers=100000
	x probe_err=5
	x match_err=5
	x bus=platform match_err=-19
	x dpm_flags=16
	x resume_err=-99999
	x resume_delay_us=99999999
	x parent
	$long
	x shutdown_delay_ms=-1
	a_name_that_is_far_too_long_for_rpm_sim_devices
	EOF
}

case_del_device() {
	setup || return 1
	must_fail_all $BUS/del_device "No such device" <<-EOF
	nosuch
	EOF
	must_fail_all $BUS/del_device "Invalid argument" <<-EOF
	$dev extra
	$dev key=1
	EOF
}

case_links() {
	setup || return 1
	must_fail_all $BUS/new_link "Invalid argument" <<-EOF
	$dev
	$dev $dev
	$dev fz_sup pm_runtime=maybe
	$dev fz_sup colour=red
	$dev fz_sup sync_state_only=1
	$dev fz_sup sync_state_only=1 pm_runtime=1
	$dev fz_sup autoprobe_consumer=1 autoremove_consumer=1
	$dev fz_sup stateless=1 autoremove_supplier=1
	EOF
	must_fail_all $BUS/new_link "No such device" <<-EOF
	$dev nosuch
	EOF
	must_fail_all $BUS/del_link "No such file" <<-EOF
	$dev fz_sup
	EOF
}

case_debugfs() {
	setup || return 1
	d=$DBG/devices/$dev
	must_fail_all $DBG/events "Invalid argument" <<-EOF
	clean
	EOF
	must_fail_all $DBG/history "Invalid argument" <<-EOF
	since 3
	-1
	12x
	99999999999999999999999
	$long
	EOF
	must_fail_all $DBG/bus_opts "Invalid argument" <<-EOF
	hold_rpm_across_remove
	hold_rpm_across_remove=2
	break_ss3=1
	EOF
	must_fail_all $DBG/drivers "Invalid argument" <<-EOF
	register
	register usb
	load rpm_sim
	EOF
	must_fail_all $DBG/observe "Invalid argument" <<-EOF
	add
	add rpm_sim
	watch rpm_sim $dev
	clear now
	EOF
	must_fail_all $DBG/attach "Invalid argument" <<-EOF
	rpm_sim
	rpm_sim $dev extra
	bus=rpm_sim $dev
	EOF
	must_fail_all $DBG/attach "No such device" <<-EOF
	usb $dev
	rpm_sim nosuch
	- $dev
	EOF
	must_fail_all $DBG/detach "No such file" <<-EOF
	rpm_sim $dev
	EOF
	must_fail_all $d/behaviour "Invalid argument" <<-EOF
	probe
	probe=bogus
	remove=sometimes
	defers=-1
	sleep_delay_ms=1001
	EOF
	must_fail_all $d/gate "Invalid argument" <<-EOF
	arm
	arm nowhere
	wait probe 1000000
	open probe
	EOF
	must_fail_all $d/rpm "Invalid argument" <<-EOF
	getsync
	pm_runtime_explode
	EOF
	must_fail_all $d/bindable "Invalid argument" <<-EOF
	perhaps
	EOF
	must_fail_all $d/work "Invalid argument" <<-EOF
	walk
	EOF
	write_must_fail $d/behaviour "$long" "Invalid argument"
}

# Random printable input to every file; the state must stay consistent.
# One awk makes all the input (forks are slow in an emulated guest); the
# seed is printed so a failure can be replayed with RPM_SIM_FUZZ_SEED.
case_random() {
	setup || return 1
	set -- $BUS/new_device $BUS/del_device $BUS/new_link $BUS/del_link \
		$DBG/devices/$dev/behaviour $DBG/devices/$dev/gate \
		$DBG/devices/$dev/bindable $DBG/bus_opts $DBG/observe $DBG/attach $DBG/detach
	# A given seed moves on by one each round (RPM_SIM_ROUND, from the runner).
	seed=$((${RPM_SIM_FUZZ_SEED:-$(date +%s)} + ${RPM_SIM_ROUND:-1} - 1))
	echo "# seed $seed: $ROUNDS rounds of random writes to $# files"
	awk -v n=$((ROUNDS * $#)) -v seed="$seed" 'BEGIN {
		srand(seed)
		cs = "abcdefghijklmnopqrstuvwxyz0123456789_=. -"
		for (i = 0; i < n; i++) {
			s = ""
			for (j = int(rand() * 40) + 1; j > 0; j--)
				s = s substr(cs, int(rand() * length(cs)) + 1, 1)
			print s
		}
	}' | {
		i=0
		while IFS= read -r line; do
			eval "f=\${$((i % $# + 1))}"
			echo "$line" >"$f" 2>/dev/null
			i=$((i + 1))
		done
	}
	# Still alive and answering.
	[ -d $DBG/devices/$dev ] || fail "$dev vanished" || return 1
	grep -q "^bound" $DBG/devices/$dev/state || fail "state unreadable" || return 1
	# What random input made is listed; the cleanup must delete all of it.
	made=$(ls $DBG/devices | grep -v '^fz_' | tr '\n' ' ')
	echo "# random input created: ${made:-nothing}"
}

ktap_header 5
run_case fuzz_new_device case_new_device
run_case fuzz_del_device case_del_device
run_case fuzz_links case_links
run_case fuzz_debugfs case_debugfs
run_case fuzz_random case_random
ktap_finish
