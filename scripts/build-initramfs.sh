#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the rpm_sim guest initramfs (gzip'd newc cpio).
#
#   scripts/build-initramfs.sh OUT.cpio.gz MODULE_DIR SELFTEST_DIR PLAN [KSFT_DIR]
#
# Contents:
#   /init                     qemu/init.sh
#   /bin/busybox + applets    from busybox-static ($RPM_SIM_BUSYBOX overrides)
#   /lib/rpm_sim/*.ko         every module in MODULE_DIR (rpm_sim.ko required)
#   /lib/rpm_sim/plan         the units to run, in order (the file PLAN)
#   /lib/rpm_sim/*.awk        qemu/*.awk, the guest's helpers
#   /selftests/               a copy of SELFTEST_DIR
#   /kselftest/               a copy of KSFT_DIR, when given: an installed
#                             kselftest collection (scripts/ksft-install.sh)
#
# No root needed: files are archived as owned by 0:0.

set -eu

usage() { echo "usage: build-initramfs.sh OUT.cpio.gz MODULE_DIR SELFTEST_DIR PLAN [KSFT_DIR]" >&2; exit 2; }
die() { echo "build-initramfs: $*" >&2; exit 1; }

[ $# -eq 4 ] || [ $# -eq 5 ] || usage
out=$1
moddir=$2
stdir=$3
plan=$4
ksft=${5:-}
top=$(cd "$(dirname "$0")/.." && pwd)
busybox=${RPM_SIM_BUSYBOX:-/bin/busybox}

[ -f "$moddir/rpm_sim.ko" ] || die "$moddir/rpm_sim.ko not found (build the module first)"
[ -d "$stdir" ] || die "selftest directory $stdir not found"
[ -f "$plan" ] || die "no plan file $plan"
[ -z "$ksft" ] || [ -f "$ksft/run_kselftest.sh" ] || die "$ksft is not an installed kselftest collection"
[ -x "$busybox" ] || die "$busybox not found (apt-get install busybox-static)"
# A dynamically linked busybox would find no libc in the guest.
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked (apt-get install busybox-static)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpm_sim-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root

mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
	"$root/lib/rpm_sim" "$root/selftests"

cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done

cp "$top/qemu/init.sh" "$root/init"
chmod 755 "$root/init"
cp "$moddir"/*.ko "$root/lib/rpm_sim/"
cp "$plan" "$root/lib/rpm_sim/plan"
cp "$top"/qemu/*.awk "$root/lib/rpm_sim/"
cp -R "$stdir/." "$root/selftests/"
[ -z "$ksft" ] || cp -R "$ksft" "$root/kselftest"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --quiet) |
	gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
