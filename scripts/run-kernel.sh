#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the modules for one kernel, pack an initramfs, boot it in QEMU and
# leave KTAP and the console under results/LABEL/.
#
#   scripts/run-kernel.sh LABEL [KDIR [KERNEL]]
#
# LABEL test-6.12, test-6.1: test kernels built from Debian's source
#       stock-6.12, stock-6.1: Debian's own images and headers
#       anything else: KDIR (a built tree, source or O= directory) is
#       required; KERNEL defaults to KDIR/arch/x86/boot/bzImage.

set -eu

label=${1:?usage: run-kernel.sh LABEL [KDIR [KERNEL]]}
kdir=${2:-}
kernel=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
results=${RPM_SIM_RESULTS:-$top/results}
build="$top/build/$label"

die() { echo "run-kernel: $label: $*" >&2; exit 1; }

# Newest Debian image of a series, e.g. 6.12 -> 6.12.117+deb12-amd64.
stock_release() {
	ls /boot/vmlinuz-"$1".* 2>/dev/null | sed 's|^/boot/vmlinuz-||' |
		grep -- '-amd64$' | sort -V | tail -n 1
}

case "$label" in
test-*)
	[ -z "$kdir" ] || die "test kernels are built here; use another label with KDIR"
	kdir=$("$top/scripts/build-kernel.sh" "${label#test-}")
	;;
stock-*)
	rel=$(stock_release "${label#stock-}")
	[ -n "$rel" ] || die "no /boot/vmlinuz-${label#stock-}.* (apt-get install linux-image-${label#stock-}-amd64)"
	kdir=/lib/modules/$rel/build
	kernel=/boot/vmlinuz-$rel
	;;
*)
	[ -n "$kdir" ] || die "KDIR is required for a kernel of your own"
	;;
esac

[ -n "$kernel" ] || kernel=$kdir/arch/x86/boot/bzImage
[ -f "$kdir/Makefile" ] || die "KDIR $kdir is not a kernel build tree (no Makefile)"
[ -f "$kdir/Module.symvers" ] || die "KDIR $kdir has no Module.symvers: run 'make modules' there first"
[ -f "$kernel" ] || die "no kernel image at $kernel (set KERNEL=/path/to/bzImage)"

# Build in a copy so kernels never share objects.
rm -rf "$build"
mkdir -p "$build/src"
cp -r "$top/Kbuild" "$top/rpm_sim" "$top/kunit" "$build/src/"
echo "run-kernel: $label: building modules against $kdir" >&2
if ! make -C "$kdir" M="$build/src" W=1 modules >"$build/make.log" 2>&1; then
	tail -n 30 "$build/make.log" >&2
	die "module build failed (log: $build/make.log)"
fi
if grep -q 'warning:' "$build/make.log"; then
	grep 'warning:' "$build/make.log" >&2
	die "module build has warnings at W=1"
fi

"$top/scripts/build-initramfs.sh" "$build/initramfs.cpio.gz" "$build/src" \
	"${RPM_SIM_SELFTESTS:-$top/selftests}"

rm -rf "${results:?}/$label"
mkdir -p "$results"
boot() {
	python3 "$top/qemu/run.py" --kernel "$kernel" --initrd "$build/initramfs.cpio.gz" \
		--label "$label" --results "$results" ${RPM_SIM_TIMEOUT:+--timeout "$RPM_SIM_TIMEOUT"}
}

# A guest that dies before /init runs has not run a line of ours: under TCG
# the stock kernels very rarely oops in early boot (seen once in some twenty
# boots: int3 in sched_clock_cpu while patching text). Boot such a guest
# once more, keeping the first console in the build directory.
status=0
if ! boot; then
	if grep -q '^RPM_SIM_PLAN' "$results/$label/results.raw" 2>/dev/null; then
		status=1
	else
		echo "run-kernel: $label: the guest died before /init; booting once more" >&2
		rm -rf "$build/first-boot"
		mv "$results/$label" "$build/first-boot"
		boot || status=1
	fi
fi
# SD: the shutdown that ended the boot, as the console recorded it.
python3 "$top/scripts/shutdown-check.py" "$results/$label/console.log" \
	>"$results/$label/shutdown.ktap" || status=1
exit $status
