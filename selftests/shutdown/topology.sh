#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The shutdown workload (SD-1..SD-4), set up by the guest init just before
# `reboot -f`: trees up to four levels deep on every bus, device links
# across the trees, a shutdown delay on the asynchronous devices and the
# asynchronous opt-in on most. Synchronous pairs (a parent and child, a
# consumer created before its supplier) show the driver core's own order;
# asynchronous ones show the model's. scripts/shutdown-check.py reads what
# the module prints while the kernel shuts them down, and the manifest line
# below says how much of it there must be.

. "$(dirname "$0")/../lib/rpm_sim.sh"

[ -d $BUS ] || { echo "rpm_sim.ko is not loaded"; exit 1; }

# Asynchronous devices take 40 ms each. Synchronous ones run inline in
# device_shutdown()'s loop, so all but one (sd_f0) take no time: otherwise
# they, not the dependency chains, would set the total.
a="probe=get_put shutdown_delay_ms=40 async_shutdown=1"
d="probe=get_put"
devices=0
links=0

dev() { new_dev "$*" && devices=$((devices + 1)); }
link() { echo "$*" >$BUS/new_link && links=$((links + 1)); }

set -e
# A synchronous consumer made before its synchronous supplier (SD-2, kernel)
dev "sd_h0 $d"
# Tree A, async, four levels
dev "sd_a0 $a"
dev "sd_a1 parent=sd_a0 $a"
dev "sd_a2 parent=sd_a0 $a"
dev "sd_a11 parent=sd_a1 $a"
dev "sd_a12 parent=sd_a1 $a"
dev "sd_a21 parent=sd_a2 $a"
dev "sd_a111 parent=sd_a11 $a"
# Tree B, async
dev "sd_b0 $a"
dev "sd_b1 parent=sd_b0 $a"
dev "sd_b2 parent=sd_b0 $a"
dev "sd_b3 parent=sd_b0 $a"
dev "sd_b11 parent=sd_b1 $a"
# Tree C on the platform bus, synchronous, three levels (SD-1, kernel)
dev "sd_c0 bus=platform $d"
dev "sd_c1 bus=platform parent=sd_c0 $d"
dev "sd_c2 bus=platform parent=sd_c1 $d"
# Tree D, a synchronous root over asynchronous children
dev "sd_d0 $d"
dev "sd_d1 parent=sd_d0 $a"
dev "sd_d2 parent=sd_d0 $a"
dev "sd_d11 parent=sd_d1 $a"
# Tree I on the rpm_sim bus, synchronous (SD-1, kernel)
dev "sd_i0 $d"
dev "sd_i1 parent=sd_i0 $d"
# Tree J on the bare bus, synchronous: the bus has no ->shutdown, so
# device_shutdown() calls the driver's own (SD-1, kernel); sd_i1 is made
# its consumer below, before it (SD-2, kernel)
dev "sd_j0 bus=bare $d"
dev "sd_j1 bus=bare parent=sd_j0 $d"
# Independent devices
dev "sd_e0 $a"
dev "sd_e1 parent=sd_e0 $a"
dev "sd_f0 $d shutdown_delay_ms=40"
dev "sd_g0 bus=platform $a"
dev "sd_h1 $d"
# SD-3: an autosuspend timer armed (for a minute) as the system goes down:
# device_shutdown()'s barrier must have cancelled it before ->shutdown
dev "sd_auto probe=autosuspend autosuspend_ms=60000"
# Links across trees: consumer supplier
link "sd_a12 sd_b2 pm_runtime=1"
link "sd_c2 sd_a21 pm_runtime=1"
link "sd_d11 sd_b11 pm_runtime=1 stateless=1"
link "sd_b3 sd_c0 pm_runtime=1"
link "sd_h0 sd_h1 pm_runtime=1"
link "sd_i1 sd_j1 pm_runtime=1"
echo get_sync >$DBG/devices/sd_auto/rpm
echo put_autosuspend >$DBG/devices/sd_auto/rpm
echo "rpm_sim-workload: devices=$devices links=$links" >/dev/kmsg
