#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What the event log costs: bind/unbind cycles per second with logging on
# and off, the events one cycle records, and from those the cost of one
# event. Figures are printed as KTAP diagnostics; nothing here is a
# pass/fail threshold. Run by scripts/bench.sh in a guest.

. "$(dirname "$0")/lib/rpm_sim.sh"

require_module
CYCLES=${RPM_SIM_BENCH_CYCLES:-4000}
param=/sys/module/rpm_sim/parameters/evlog_enabled
drv=$BUS/drivers/rpm_sim_drv

now_cs() {	# uptime in hundredths of a second
	awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime
}

events() { awk '$1 == "events" { print $2 }' $DBG/stats; }

# cycles MODE: prints "centiseconds events"
run_cycles() {
	echo "$1" >$param
	e0=$(events)
	t0=$(now_cs)
	i=0
	while [ $i -lt "$CYCLES" ]; do
		echo bn >$drv/unbind
		echo bn >$drv/bind
		i=$((i + 1))
	done
	t1=$(now_cs)
	echo "$((t1 - t0)) $(($(events) - e0))"
}

case_bench() {
	new_dev "bn probe=get_put remove=put_sync" || return 1
	set -- $(run_cycles Y)
	on_cs=$1 on_ev=$2
	set -- $(run_cycles N)
	off_cs=$1 off_ev=$2
	echo Y >$param
	del_dev bn
	[ "$off_ev" -eq 0 ] || fail "logging off still recorded $off_ev events" || return 1
	[ "$on_ev" -gt 0 ] || fail "logging on recorded nothing" || return 1
	awk -v n="$CYCLES" -v on="$on_cs" -v off="$off_cs" -v ev="$on_ev" 'BEGIN {
		printf "# %d bind/unbind cycles, %d events (%.1f per cycle)\n", n, ev, ev / n
		printf "# logging on:  %.2f s, %.0f cycles/s\n", on / 100, n / (on / 100)
		printf "# logging off: %.2f s, %.0f cycles/s\n", off / 100, n / (off / 100)
		printf "# cost per event: %.2f us\n", (on - off) * 10000 / ev
	}'
}

ktap_header 1
run_case evlog_cost case_bench
ktap_finish
