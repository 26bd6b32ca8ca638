#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Attaching to a device (debugfs "attach"/"detach" BUS DEVICE): a
# wrapping PM domain records each callback (layer "attach") and hands it
# to what the PM core would have called, on rpm_sim's devices of every
# kind (their own layers record too, so the order shows) and on a real
# in-tree driver's (a serial core port device); gates hold the callbacks;
# detach gives the device back as it was; the checks flag a callback
# after ->remove and an unbind that does not give back, on rpm_sim's
# devices and on the example driver (examples/), whose removal race a
# gate holds open; and the bad requests.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module

ATT=$DBG/attach

case_cleanup() {
	for a in $(cut -d ' ' -f 1 $ATT); do
		echo "${a%%:*} ${a#*:}" >$DBG/detach || return 1
	done
	echo none >/sys/power/pm_test
	if grep -q '^rsim_example_clk ' /proc/modules; then
		rmmod rsim_example_clk || return 1
	fi
	for d in at_s at_pd at_b at_irq at_gone at_n at_v at_pk at_pc at_pp at_fc at_fl; do
		[ ! -d $DBG/devices/$d ] || del_dev $d || return 1
	done
}

# The attach layer's ENTER and EXIT of EVENT around LAYER's own ENTER of it:
# the wrapper passed the callback on, once, to the layer the core would.
wrapped() {	# dev event inner-layer
	o=$(ev "$1" attach "$2" enter)
	i=$(ev "$1" "$3" "$2" enter)
	x=$(ev "$1" attach "$2" exit)
	before "$o" "$i" && before "$i" "$x" ||
		fail "$1: $2 not passed from the attach layer to the $3 layer: $(events "$1" |
			cut -d ' ' -f 4-7 | tail -n 12 | tr '\n' '|')"
}

# One device of each kind: attached while bound (unbound and bound again),
# a get_sync and a put_sync go through the wrapper to the layer the core
# asks first (the rpm_sim bus, the device's own PM domain, the driver on a
# bus without PM callbacks), and detach gives it back.
attach_one() {	# bus dev "new_dev args" first-layer
	new_dev "$2 $3 probe=get_put" || return 1
	wait_status "$2" suspended || return 1
	echo "$1 $2" >$ATT || return 1
	expect "attach list" "$(cat $ATT)" "$1:$2${5:+ $5}" || return 1
	expect "$2 bound again" "$(state "$2" bound)" 1 || return 1
	expect "$2 probes" "$(state "$2" probe_count)" 2 || return 1
	wait_status "$2" suspended || return 1
	echo clear >$DBG/events || return 1
	echo get_sync >$DBG/devices/"$2"/rpm || return 1
	expect "$2 status" "$(state "$2" runtime_status)" active || return 1
	wrapped "$2" runtime_resume "$4" || return 1
	x=$(ev "$2" attach runtime_resume exit)
	expect "$2 runtime_resume's return" "$(evval "$x" ret)" 0 || return 1
	expect "$2 status at its exit" "$(evval "$x" status)" resuming || return 1
	echo put_sync >$DBG/devices/"$2"/rpm || return 1
	wait_status "$2" suspended || return 1
	wrapped "$2" runtime_suspend "$4" || return 1

	echo "$1 $2" >$DBG/detach || return 1
	expect "attach list after detach" "$(cat $ATT)" "" || return 1
	expect "$2 bound after detach" "$(state "$2" bound)" 1 || return 1
	wait_status "$2" suspended || return 1
	echo clear >$DBG/events || return 1
	echo get_sync >$DBG/devices/"$2"/rpm || return 1
	echo put_sync >$DBG/devices/"$2"/rpm || return 1
	[ -n "$(ev "$2" "$4" runtime_resume enter)" ] ||
		fail "$2: no $4 runtime_resume after detach" || return 1
	[ -z "$(ev "$2" attach runtime_resume enter)" ] ||
		fail "$2: the attach layer still records after detach" || return 1
	del_dev "$2"
}

case_rpm_sim_bus() { attach_one rpm_sim at_s "" bus; }
case_platform_domain() { attach_one platform at_pd "bus=platform pm_domain=1" domain own_domain; }
case_bare_bus() { attach_one rpm_sim_bare at_b "bus=bare" driver; }

# System sleep through the wrapper, down to the late and noirq phases
# (pm_test platform): each of the device's own domain's callbacks passed
# on from the attach layer, the phases in order.
case_sleep() {
	new_dev "at_pd bus=platform pm_domain=1 probe=get_put" || return 1
	echo "platform at_pd" >$ATT || return 1
	wait_status at_pd suspended || return 1
	echo clear >$DBG/events || return 1
	sleep_cycle platform || return 1
	prev=
	for ph in prepare suspend suspend_late suspend_noirq resume_noirq resume_early \
		resume complete; do
		wrapped at_pd $ph domain || return 1
		e=$(ev at_pd attach $ph enter)
		[ -z "$prev" ] || before "$prev" "$e" ||
			fail "at_pd: $ph through the wrapper before the phase before it" || return 1
		prev=$e
	done
}

# A gate on an attached device holds its runtime resume: an asynchronous
# get leaves it RESUMING at the gate until the release.
case_gate() {
	new_dev "at_s probe=get_put" || return 1
	wait_status at_s suspended || return 1
	echo "rpm_sim at_s" >$ATT || return 1
	# Bound again by attach: its probe's put suspends it asynchronously.
	wait_status at_s suspended || return 1
	g=$DBG/attached/rpm_sim:at_s/gate
	echo "arm runtime_resume" >$g || return 1
	echo get >$DBG/devices/at_s/rpm || return 1
	echo "wait runtime_resume 5000" >$g || return 1
	expect "status at the gate" "$(state at_s runtime_status)" resuming || return 1
	expect "gate state" "$(grep '^runtime_resume ' $g)" "runtime_resume reached" || return 1
	echo "release runtime_resume" >$g || return 1
	wait_status at_s active || return 1
	echo put >$DBG/devices/at_s/rpm || return 1
	wait_status at_s suspended
}

# A real driver's device: a serial core port device (v6.5 on), whose
# driver uses autosuspend. Its last port (no console, no results channel
# behind it) is unbound and bound again; power/control on and auto resume
# and suspend it through the wrapper, down to the port driver's callbacks.
case_real_serial_port() {
	[ -d /sys/bus/serial-base ] || {
		echo "# no /sys/bus/serial-base: the serial core has no port devices before v6.5"
		return $KSFT_SKIP
	}
	port=serial8250:0.3
	p=/sys/bus/serial-base/devices/$port
	[ -d $p ] || fail "no $p: $(ls /sys/bus/serial-base/devices | tr '\n' ' ')" || return 1
	echo "serial-base $port" >$ATT || return 1
	[ -e $p/driver ] || fail "$port not bound again after attach" || return 1
	echo on >$p/power/control || return 1
	expect "$port status with control on" "$(cat $p/power/runtime_status)" active ||
		return 1
	echo auto >$p/power/control || return 1
	i=0
	while [ "$(cat $p/power/runtime_status)" != suspended ] && [ $i -lt 300 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	expect "$port status after auto" "$(cat $p/power/runtime_status)" suspended || return 1
	s=$(ev $port attach runtime_suspend exit)
	[ -n "$s" ] || fail "no runtime_suspend of $port through the wrapper" || return 1
	expect "$port runtime_suspend's return" "$(evval "$s" ret)" 0 || return 1
	echo "serial-base $port" >$DBG/detach || return 1
	[ -e $p/driver ] || fail "$port not bound again after detach" || return 1
}

# Deleted while attached: its own domain comes back at REMOVED_DEVICE, the
# list says so, and the next command forgets it.
case_deleted_while_attached() {
	new_dev "at_gone bus=platform pm_domain=1 probe=get_put" || return 1
	echo "platform at_gone" >$ATT || return 1
	del_dev at_gone || return 1
	expect "attach list" "$(cat $ATT)" "platform:at_gone own_domain deleted" || return 1
	write_must_fail $DBG/detach "platform at_gone" "No such device" || return 1
	expect "attach list after the next command" "$(cat $ATT)" "" || return 1
}

checks_of() {	# BUS:DEVICE key: the count the checks file gives
	awk -v k="$2" '$1 == k { print $2 }' "$DBG/attached/$1/checks"
}

# One unbind of an attached rpm_sim device through sysfs (with a
# reference taken while bound and kept, if HOLD), and what the checks
# make of it: the devres mark of ->remove's return comes after the
# driver's ->remove and before what the unbind did after it.
check_one() {	# dev "new_dev args" callback_after_remove usage_not_back parent_not_back [HOLD]
	new_dev "$1 $2" || return 1
	echo "rpm_sim $1" >$ATT || return 1
	expect "$1 bound again" "$(state "$1" bound)" 1 || return 1
	expect "$1 unbinds at attach" "$(checks_of "rpm_sim:$1" unbinds)" 0 || return 1
	[ -z "${6:-}" ] || echo get_noresume >$DBG/devices/"$1"/rpm || return 1
	echo clear >$DBG/events || return 1
	echo "$1" >"$(dev_path "$1")/driver/unbind" || return 1
	expect "$1 unbinds" "$(checks_of "rpm_sim:$1" unbinds)" 1 || return 1
	expect "$1 callback_after_remove" \
		"$(checks_of "rpm_sim:$1" callback_after_remove)" "$3" || return 1
	expect "$1 usage_not_back" "$(checks_of "rpm_sim:$1" usage_not_back)" "$4" ||
		return 1
	expect "$1 parent_not_back" "$(checks_of "rpm_sim:$1" parent_not_back)" "$5" ||
		return 1
	if [ "$5" -ne 0 ]; then
		r=$(grep '^parent_not_back ' "$DBG/attached/rpm_sim:$1/checks")
		case $r in
		"parent_not_back $5 parent "*" usage_count "*" before the binding") ;;
		*) fail "$1: parent_not_back says: $r" || return 1 ;;
		esac
	fi
	m=$(ev "$1" attach remove mark)
	before "$(ev "$1" driver remove exit)" "$m" ||
		fail "$1: ->remove's return not marked after its exit: $(events "$1" |
			cut -d ' ' -f 4-7 | tail -n 12 | tr '\n' '|')" || return 1
	if [ "$3" -ne 0 ]; then
		expect "$1 the first callback after ->remove" \
			"$(grep '^callback_after_remove ' "$DBG/attached/rpm_sim:$1/checks")" \
			"callback_after_remove $3 runtime_idle entered after ->remove returned" ||
			return 1
		before "$m" "$(ev "$1" driver runtime_suspend enter)" ||
			fail "$1: no runtime_suspend of the driver after the mark" || return 1
	fi
	echo "rpm_sim $1" >$DBG/detach || return 1
	[ -z "${6:-}" ] || echo put_noidle >$DBG/devices/"$1"/rpm || return 1
	del_dev "$1"
}

# Each check shown to fire, and to stay quiet: get_put gives all back; a
# reference kept over the unbind is one usage_not_back; devm's runtime PM
# (probe=devm) is undone by devres after ->remove returned, and its idle
# check passes ->runtime_idle and ->runtime_suspend on to the driver: two
# callbacks after ->remove; a reference on the parent kept from ->probe
# (leak_parent) is one parent_not_back, and the driver core's own around
# ->probe is none.
# A probe that fails, tried twice with the wrapper in place: the second
# try's BIND_DRIVER compares with the first's. One gives all back (get_sync,
# put, disable), one keeps the reference of its get_sync (probe=leak).
failed_one() {	# dev "new_dev args" failed_probe_not_back
	new_dev "$1 $2" || return 1
	[ ! -e "$(dev_path "$1")/driver" ] || fail "$1 bound, its probe meant to fail" || return 1
	echo "rpm_sim $1" >$ATT || return 1
	for try in 1 2; do
		! echo "$1" 2>/dev/null >$BUS/drivers/rpm_sim_drv/bind ||
			fail "$1: bind $try succeeded" || return 1
	done
	expect "$1 failed_probes" "$(checks_of "rpm_sim:$1" failed_probes)" 2 || return 1
	expect "$1 failed_probe_not_back" "$(checks_of "rpm_sim:$1" failed_probe_not_back)" \
		"$3" || return 1
	if [ "$3" -ne 0 ]; then
		r=$(grep '^failed_probe_not_back ' "$DBG/attached/rpm_sim:$1/checks")
		case $r in
		"failed_probe_not_back 1 usage_count "*"; at the failed probe's bind "*) ;;
		*) fail "$1: failed_probe_not_back says: $r" || return 1 ;;
		esac
	fi
	echo "rpm_sim $1" >$DBG/detach || return 1
	del_dev "$1"
}

case_checks() {
	failed_one at_fc "probe=defer probe_err=-5 defers=100" 0 || return 1
	failed_one at_fl "probe=leak probe_err=-5 defers=100" 1 || return 1
	check_one at_s "probe=get_put" 0 0 0 || return 1
	check_one at_n "probe=get_put" 0 1 0 hold || return 1
	check_one at_v "probe=devm" 2 0 0 || return 1
	new_dev "at_pp probe=get_put" || return 1
	check_one at_pk "parent=at_pp probe=get_put" 0 0 0 || return 1
	check_one at_pc "parent=at_pp probe=get_put leak_parent=1" 0 0 1 || return 1
	del_dev at_pp
}

# The example driver: rsim_example_clk.ko beside rpm_sim.ko, or
# modprobe's when rpm_sim.ko is too (make install puts both there).
EX=rsim-example-clk
EXP=/sys/bus/platform/devices/$EX
EXF=/sys/module/rsim_example_clk/parameters/bus_faults

example_load() {	# bug
	m=$(module_file)
	if [ -n "$m" ]; then
		# The build makes both, and the guest and the collection carry both.
		ko=$(dirname "$m")/rsim_example_clk.ko
		[ -f "$ko" ] || fail "no rsim_example_clk.ko beside $m" || return 1
		insmod "$ko" bug="$1" || return 1
	elif ! modprobe rsim_example_clk bug="$1" 2>/dev/null; then
		echo "# modprobe has no rsim_example_clk (dkms installs rpm_sim.ko alone)"
		return $KSFT_SKIP
	fi
	[ -e $EXP/driver ] || fail "$EX not bound at load" || return 1
	# Its binding at load predates the wrapper: attach unbinds it (which
	# meets the bug already) and binds it again.
	echo "platform $EX" >$ATT || return 1
	[ -e $EXP/driver ] || fail "$EX not bound again after attach" || return 1
}

example_unload() {
	echo "platform $EX" >$DBG/detach || return 1
	rmmod rsim_example_clk
}

# Each of the example's builds, unbound once: the checks name its bug and
# the driver's own count of bus faults shows the harm, only where the bug
# is (bug=clock: devres's idle check after ->remove passes ->runtime_idle
# and ->runtime_suspend on, and the latter writes the control register
# and switches the clock off, which ->remove switched off already).
example_one() {	# bug callback_after_remove usage_not_back bus_faults
	example_load "$1" || return
	f=$(cat $EXF)
	echo $EX >$EXP/driver/unbind || return 1
	expect "bug=$1 unbinds" "$(checks_of "platform:$EX" unbinds)" 1 || return 1
	expect "bug=$1 callback_after_remove" \
		"$(checks_of "platform:$EX" callback_after_remove)" "$2" || return 1
	expect "bug=$1 usage_not_back" "$(checks_of "platform:$EX" usage_not_back)" "$3" ||
		return 1
	expect "bug=$1 bus faults at the unbind" "$(($(cat $EXF) - f))" "$4" || return 1
	example_unload
}

case_example_driver() {
	example_one clock 2 0 2 || return
	example_one usage 0 1 0 || return
	example_one none 0 0 0
}

example_held() {	# bus_faults-before gate-file
	echo "wait runtime_suspend 5000" >"$2" || return 1
	before "$(ev $EX attach remove mark)" "$(ev $EX attach runtime_suspend enter)" ||
		fail "$EX: the held suspend is not after ->remove's end: $(events $EX |
			cut -d ' ' -f 4-7 | tr '\n' '|')" || return 1
	expect "callback_after_remove at the gate" \
		"$(checks_of "platform:$EX" callback_after_remove)" 2 || return 1
	expect "bus faults at the gate" "$(cat $EXF)" "$1"
}

# The race held open (README, "A removal race, step by step"): with
# bug=clock, a gate holds the runtime suspend that devres starts after
# ->remove returned. At the gate the log has ->remove's end before the
# suspend, the checks have counted it, and no fault has happened yet; the
# release lets the fault happen.
case_example_gate() {
	example_load clock || return
	f=$(cat $EXF)
	g=$DBG/attached/platform:$EX/gate
	echo "arm runtime_suspend" >$g || return 1
	echo clear >$DBG/events || return 1
	echo $EX >$EXP/driver/unbind 2>/dev/null &
	unbinder=$!
	example_held "$f" "$g"
	held=$?
	echo "release runtime_suspend" >$g || return 1
	wait $unbinder || fail "the unbind failed" || return 1
	[ $held -eq 0 ] || return $held
	expect "bus faults after the release" "$(cat $EXF)" $((f + 2)) || return 1
	example_unload
}

case_bad_requests() {
	new_dev "at_s probe=get_put" || return 1
	new_dev "at_irq probe=irq_safe" || return 1
	for bad in "" "rpm_sim" "rpm_sim at_s extra" "bus=rpm_sim at_s"; do
		write_must_fail $ATT "$bad" "Invalid argument" || return 1
	done
	write_must_fail $ATT "nosuchbus at_s" "No such device" || return 1
	write_must_fail $ATT "rpm_sim nosuch" "No such device" || return 1
	write_must_fail $ATT "rpm_sim at_irq" "Invalid argument" || return 1
	write_must_fail $DBG/detach "rpm_sim at_s" "No such file" || return 1
	echo "rpm_sim at_s" >$ATT || return 1
	write_must_fail $ATT "rpm_sim at_s" "exists" || return 1
	expect "attach list" "$(cat $ATT)" "rpm_sim:at_s" || return 1
	expect "modes" "$(stat -c %a $ATT $DBG/detach $DBG/attached/rpm_sim:at_s/gate \
		$DBG/attached/rpm_sim:at_s/checks | tr '\n' ' ')" "600 200 600 400 " || return 1
}

# rpm_sim_rmmod.sh unloads the module with devices attached.

ktap_header 11
run_case attach_rpm_sim_bus case_rpm_sim_bus
run_case attach_platform_domain case_platform_domain
run_case attach_bare_bus case_bare_bus
run_case attach_system_sleep case_sleep
run_case attach_gate case_gate
run_case attach_real_serial_port case_real_serial_port
run_case attach_deleted_while_attached case_deleted_while_attached
run_case attach_checks case_checks
run_case attach_example_driver case_example_driver
run_case attach_example_gate case_example_gate
run_case attach_bad_requests case_bad_requests
ktap_finish
