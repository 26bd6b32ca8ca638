#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The shutdown workload (SD-1..SD-4), set up by the guest init just before
# `reboot -f`: 24 devices in trees up to four levels deep on both buses,
# device links across the trees, a shutdown delay on every device and the
# asynchronous opt-in on most. scripts/shutdown-check.py reads what the
# module prints while the kernel shuts them down.

. "$(dirname "$0")/../lib/rpm_sim.sh"

[ -d $BUS ] || { echo "rpm_sim.ko is not loaded"; exit 1; }

# Asynchronous devices take 40 ms each. Synchronous ones run inline in
# device_shutdown()'s loop, so all but one (sd_f0) take no time: otherwise
# they, not the dependency chains, would set the total.
a="probe=get_put shutdown_delay_ms=40 shutdown_async=1"
d="probe=get_put"

set -e
# Tree A, async, four levels
new_dev "sd_a0 $a"
new_dev "sd_a1 parent=sd_a0 $a"
new_dev "sd_a2 parent=sd_a0 $a"
new_dev "sd_a11 parent=sd_a1 $a"
new_dev "sd_a12 parent=sd_a1 $a"
new_dev "sd_a21 parent=sd_a2 $a"
new_dev "sd_a111 parent=sd_a11 $a"
# Tree B, async
new_dev "sd_b0 $a"
new_dev "sd_b1 parent=sd_b0 $a"
new_dev "sd_b2 parent=sd_b0 $a"
new_dev "sd_b3 parent=sd_b0 $a"
new_dev "sd_b11 parent=sd_b1 $a"
# Tree C on the platform bus, synchronous, three levels
new_dev "sd_c0 bus=platform $d"
new_dev "sd_c1 bus=platform parent=sd_c0 $d"
new_dev "sd_c2 bus=platform parent=sd_c1 $d"
# Tree D, a synchronous root over asynchronous children
new_dev "sd_d0 $d"
new_dev "sd_d1 parent=sd_d0 $a"
new_dev "sd_d2 parent=sd_d0 $a"
new_dev "sd_d11 parent=sd_d1 $a"
# Independent devices
new_dev "sd_e0 $a"
new_dev "sd_e1 parent=sd_e0 $a"
new_dev "sd_f0 $d shutdown_delay_ms=40"
new_dev "sd_g0 $a"
# SD-3: an autosuspend timer armed as the system goes down
new_dev "sd_auto probe=autosuspend"
# Links across trees: consumer supplier
echo "sd_a12 sd_b2 pm_runtime=1" >$BUS/new_link
echo "sd_c2 sd_a21 pm_runtime=1" >$BUS/new_link
echo "sd_d11 sd_b11 pm_runtime=1 stateless=1" >$BUS/new_link
echo "sd_b3 sd_c0 pm_runtime=1" >$BUS/new_link
echo get_sync >$DBG/devices/sd_auto/rpm
echo put_autosuspend >$DBG/devices/sd_auto/rpm
