#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A QEMU stand-in whose guest never finishes: it writes a boot and the start
# of a unit to the console (-serial file:) and to the results channel (the
# -chardev file), then hangs, the way a guest stuck in a deadlock does.
# tests/pipeline/run.sh passes it to qemu/run.py --qemu to check the timeout.

if [ "$1" = --version ]; then
	echo "QEMU emulator version 0.0 (fake-qemu)"
	exit 0
fi

console=
raw=
while [ $# -gt 0 ]; do
	case "$1" in
	-serial)
		console=${2#file:}
		shift
		;;
	-chardev)
		raw=${2##*,path=}
		shift
		;;
	esac
	shift
done

cat >"$console" <<'LOG'
[    0.000000] Linux version 6.12.0 (fake-qemu) #1 SMP
[    0.000000] Command line: console=ttyS0 loglevel=8 rdinit=/init
[    1.200000] Run /init as init process
rpm_sim-init: plan: module-load module-unload
[    1.400000] rpm_sim: loading out-of-tree module taints kernel.
LOG
printf 'RPM_SIM_PLAN module-load module-unload\nRPM_SIM_BEGIN module-load\n' >"$raw"
exec sleep 100000
