#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the modules for one kernel, plan the units, pack an initramfs, boot
# it in QEMU and leave KTAP and the console under results/LABEL/.
#
#   scripts/run-kernel.sh LABEL [KDIR [KERNEL]]
#
# LABEL test-6.12, test-6.1: test kernels built from Debian's source
#       fast-6.12, fast-6.1: the same without KASAN and kmemleak
#       test-next, fast-next: 6.12 with patches/api/ applied (mainline's
#       runtime PM API, re-created)
#       soak-6.12, soak-6.1: test kernels without delayed kobject release
#       stock-6.12, stock-6.1, stock-6.12-rt: Debian's own images and headers
#       anything else: KDIR (a built tree, source or O= directory) is
#       required; KERNEL defaults to KDIR/arch/x86/boot/bzImage.
#
# Environment: RPM_SIM_UNITS (comma-separated suites and selftests to run,
# e.g. rpm_sim_rm,rpm_sim_control; "kunit" for every suite; default all), RPM_SIM_REPEAT (run
# every KUnit suite and selftest N times in one boot; unset, the suites
# run twice, at load and once more through debugfs, the selftests once),
# RPM_SIM_SELFTESTS (a directory of selftests, with lib/, in place of
# selftests/: scripts/reproduce.sh's corpus, scripts/bench.sh's figures),
# RPM_SIM_SHELL=1 (a shell in the guest on this terminal instead of the
# units: make shell), RPM_SIM_KSELFTEST=1 (the selftests not one by one
# but after the unload, as an installed kselftest collection run by the
# kernel's own run_kselftest.sh, which loads its rpm_sim.ko;
# RPM_SIM_KSFT_DIR: that kernel's tools/testing/selftests when it is not
# in KDIR), RPM_SIM_ONE_CONSOLE=1 (the results framed on
# the console's own serial port, as on a board with one UART),
# RPM_SIM_APPEND (more kernel command line),
# RPM_SIM_TIMEOUT (seconds per boot; 1500 for test-*, else 600), RPM_SIM_MODULES (a directory of
# modules already built for this kernel's configuration: used instead of
# building them), RPM_SIM_BUILD_ONLY=1 (build the modules into
# build/LABEL/src and stop there).

set -eu

label=${1:?usage: run-kernel.sh LABEL [KDIR [KERNEL]]}
kdir=${2:-}
kernel=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
results=${RPM_SIM_RESULTS:-$top/results}
build="$top/build/$label"
# A KASAN test kernel under TCG, every unit and each KUnit suite twice,
# was still busy (its sleep selftest, 870 s of guest time) when 900 s ran
# out in a cold make check beside the kernel builds (7f360c1). The
# timeout tells a hang from a slow guest: 25 minutes.
case $label in
test-*) timeout=${RPM_SIM_TIMEOUT:-1500} ;;
*) timeout=${RPM_SIM_TIMEOUT:-600} ;;
esac
repeat=${RPM_SIM_REPEAT:-}
kunit_rounds=${repeat:-2}
selftest_rounds=${repeat:-1}
[ "${RPM_SIM_KSELFTEST:-0}" != 1 ] || selftest_rounds=0
units=${RPM_SIM_UNITS:-}

die() { echo "run-kernel: $label: $*" >&2; exit 1; }

# Newest Debian image of a series, e.g. 6.12 -> 6.12.117+deb12-amd64,
# 6.12-rt -> 6.12.117+deb12-rt-amd64 (PREEMPT_RT); never the other flavour.
stock_release() {
	series=${1%-rt}
	kind=amd64
	[ "$series" = "$1" ] || kind=rt-amd64
	ls /boot/vmlinuz-"$series".* 2>/dev/null | sed 's|^/boot/vmlinuz-||' |
		grep -- "[0-9]-$kind\$" | sort -V | tail -n 1
}

kunit=yes
case "$label" in
test-* | fast-* | soak-*)
	[ -z "$kdir" ] || die "test kernels are built here; use another label with KDIR"
	flavour=${label%%-*}
	[ "$flavour" = test ] && flavour=debug
	kdir=$("$top/scripts/build-kernel.sh" -f $flavour "${label#*-}")
	;;
stock-*)
	rel=$(stock_release "${label#stock-}")
	[ -n "$rel" ] || die "no Debian ${label#stock-} image in /boot (apt-get install linux-image-${label#stock-}-amd64)"
	kdir=/lib/modules/$rel/build
	kernel=/boot/vmlinuz-$rel
	# Debian's kernels have no KUnit: the matrix runs selftests on them.
	kunit=no
	;;
*)
	[ -n "$kdir" ] || die "KDIR is required for a kernel of your own"
	;;
esac

[ -n "$kernel" ] || kernel=$kdir/arch/x86/boot/bzImage
[ -f "$kdir/Makefile" ] || die "KDIR $kdir is not a kernel build tree (no Makefile)"
[ -f "$kdir/Module.symvers" ] || die "KDIR $kdir has no Module.symvers: run 'make modules' there first"
[ -f "$kernel" ] || die "no kernel image at $kernel (set KERNEL=/path/to/bzImage)"
case $kunit_rounds in
'' | *[!0-9]* | 0) die "RPM_SIM_REPEAT=$repeat: a whole number from 1" ;;
esac

# What the guest needs of any kernel, said before a boot that would fail
# without saying why: both CPUs from microvm's MP table (qemu/run.py),
# the console and the results channel on ttyS0 and ttyS1, a gzipped
# initramfs whose init is a busybox script, the file systems init.sh
# mounts, module unload, and the PM and debugfs files the units use.
# configs/debug.config has them all.
[ -f "$kdir/.config" ] || die "KDIR $kdir has no .config"
missing=
for opt in SMP X86_MPPARSE SERIAL_8250 SERIAL_8250_CONSOLE BLK_DEV_INITRD RD_GZIP \
	BINFMT_ELF BINFMT_SCRIPT PROC_FS SYSFS DEVTMPFS TMPFS DEBUG_FS MODULES \
	MODULE_UNLOAD PM PM_SLEEP SUSPEND PM_DEBUG PM_ADVANCED_DEBUG; do
	grep -qx "CONFIG_$opt=y" "$kdir/.config" || missing="$missing CONFIG_$opt=y"
done
uarts=$(sed -n 's/^CONFIG_SERIAL_8250_RUNTIME_UARTS=//p' "$kdir/.config")
[ "${uarts:-0}" -ge 2 ] 2>/dev/null || missing="$missing CONFIG_SERIAL_8250_RUNTIME_UARTS>=2"
[ -z "$missing" ] || die "$kdir/.config lacks what the guest needs:$missing"

rm -rf "${results:?}/$label"
mkdir -p "$results/$label"
# What ran, for scripts/export-results.py (KCIDB's build object); the
# last stage= line says how far the host got (build: the modules did not
# build or the guest was not packed; boot: QEMU ran, boot.env says how).
{
	echo "label=$label"
	echo "kdir=$kdir"
	echo "kernel=$kernel"
	echo "release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null)"
	echo "config_sha256=$(sha256sum <"$kdir/.config" | cut -c 1-64)"
	echo "rpm_sim=$(git -C "$top" rev-parse HEAD 2>/dev/null)"
	echo "start_time=$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
	echo "stage=build"
} >"$results/$label/run.env"

# One failing case in a document of its own, for what stops a unit from running.
host_fail() {	# unit case reason
	{
		echo "KTAP version 1"
		echo "1..1"
		echo "# $3"
		echo "not ok 1 $2"
	} >"$results/$label/$1.ktap"
}

suites=$(for f in "$top"/kunit/*.c; do cat "$f"; done |
	grep -o '\.name *= *"rpm_sim_[a-z0-9_]*"' | sed 's/.*"\(.*\)"/\1/' | awk '!seen[$0]++')
# The selftests: those of the directory the guest gets (RPM_SIM_SELFTESTS).
selftest_dir=${RPM_SIM_SELFTESTS:-$top/selftests}
selftests=$(cd "$selftest_dir" && ls *.sh | sed 's/\.sh$//')

# "kunit" in RPM_SIM_UNITS stands for every suite.
units=$(for u in $(echo "$units" | tr ',' ' '); do
	if [ "$u" = kunit ]; then echo "$suites"; else echo "$u"; fi
done | paste -sd,)

# Keep only the units RPM_SIM_UNITS names; refuse a name that is neither.
wanted() {	# name
	[ -z "$units" ] || case ",$units," in *",$1,"*) return 0 ;; *) return 1 ;; esac
}
for u in $(echo "$units" | tr ',' ' '); do
	echo "$suites $selftests" | tr ' ' '\n' | grep -qx "$u" ||
		die "RPM_SIM_UNITS: no suite or selftest named $u (have: $(echo $suites $selftests))"
done
all_suites=$suites
suites=$(for s in $suites; do if wanted "$s"; then echo "$s"; fi; done)
selftests=$(for s in $selftests; do if wanted "$s"; then echo "$s"; fi; done)

# KUnit suites need CONFIG_KUNIT=y: they run as the module loads.
if [ "$kunit" = yes ] && [ -n "$suites" ]; then
	case $(grep '^CONFIG_KUNIT=' "$kdir/.config") in
	CONFIG_KUNIT=y) ;;
	CONFIG_KUNIT=m)
		host_fail kunit-config kunit_config "CONFIG_KUNIT=m in $kdir/.config: rpm_sim's suites need it built in (=y); or run selftests only with RPM_SIM_UNITS"
		suites= ;;
	*)
		host_fail kunit-config kunit_config "no CONFIG_KUNIT in $kdir/.config: the contract suites cannot run; set CONFIG_KUNIT=y, or run selftests only with RPM_SIM_UNITS"
		suites= ;;
	esac
else
	suites=
fi

# One suite of several asked for: the others need not run at insmod either
# (kunit.filter_glob; 6.1 ignores it for a module's suites, and runs them
# all). A filter of the caller's own in RPM_SIM_APPEND wins.
filter=
if [ -n "$suites" ] && [ "$suites" = "$(echo "$suites" | head -n 1)" ] &&
	[ "$suites" != "$all_suites" ]; then
	case " ${RPM_SIM_APPEND:-} " in
	*" kunit.filter_glob="*) ;;
	*) filter="kunit.filter_glob=$suites" ;;
	esac
fi

# The plan: load, every KUnit round (the run at insmod, a rerun, and more
# with RPM_SIM_REPEAT), every selftest round, unload.
mkdir -p "$build"
plan=module-load
for s in $suites; do plan="$plan $s"; done
r=2
while [ -n "$suites" ] && [ $r -le "$kunit_rounds" ]; do
	for s in $suites; do
		[ $r -eq 2 ] && plan="$plan $s-rerun" || plan="$plan $s-r$r"
	done
	r=$((r + 1))
done
r=1
while [ $r -le "$selftest_rounds" ]; do
	for s in $selftests; do
		[ $r -eq 1 ] && plan="$plan selftest-$s" || plan="$plan selftest-$s-r$r"
	done
	r=$((r + 1))
done
plan="$plan module-unload"
ksft_install=
if [ "${RPM_SIM_KSELFTEST:-0}" = 1 ]; then
	plan="$plan kselftest-rpm_sim"
	ksft_install=$build/kselftest
fi
echo "$plan" >"$build/plan"

# Where the kernel's tools/testing/selftests is, whose runner runs the
# collection: KDIR, which ksft-install.sh searches; for Debian's own
# kernels, the source package of their series.
ksft_dir() {
	if [ -n "${RPM_SIM_KSFT_DIR:-}" ]; then
		echo "$RPM_SIM_KSFT_DIR"
	elif [ "${label#stock-}" != "$label" ]; then
		"$top/scripts/kernel-src.sh" "$(echo "${label#stock-}" | sed 's/-rt$//')"
	else
		echo "$kdir"
	fi
}

# Build in a copy of the label's own, so kernels never share objects. The
# copy stays between runs and takes only the sources whose contents
# changed: Kbuild rebuilds what they, the kernel's headers or its config
# changed (make reproduce boots Debian's kernels again, after the matrix).
# A build that failed or warned leaves nothing to build on.
modules=${RPM_SIM_MODULES:-$build/src}
if [ -z "${RPM_SIM_MODULES:-}" ]; then
	sources=$(cd "$top" && find Kbuild rpm_sim kunit examples -type f | LC_ALL=C sort)
	# A source added or gone: afresh (Kbuild takes kunit/*.c by wildcard).
	[ "$sources" = "$(cat "$build/src/.sources" 2>/dev/null)" ] || rm -rf "$build/src"
	for f in $sources; do
		cmp -s "$top/$f" "$build/src/$f" && continue
		mkdir -p "$(dirname "$build/src/$f")"
		cp "$top/$f" "$build/src/$f"
	done
	echo "$sources" >"$build/src/.sources"
	echo "run-kernel: $label: building modules against $kdir" >&2
	if ! make -C "$kdir" M="$build/src" W=1 modules >"$build/make.log" 2>&1; then
		rm -rf "$build/src"
		tail -n 30 "$build/make.log" >&2
		die "module build failed (log: $build/make.log)"
	fi
	if grep -q 'warning:' "$build/make.log"; then
		rm -rf "$build/src"
		grep 'warning:' "$build/make.log" >&2
		die "module build has warnings at W=1"
	fi
fi
[ "${RPM_SIM_BUILD_ONLY:-0}" != 1 ] || exit 0

if [ -n "$ksft_install" ]; then
	ksft=$(ksft_dir) || die "no kernel source for the kselftest runner (set RPM_SIM_KSFT_DIR)"
	rm -rf "$ksft_install"
	"$top/scripts/ksft-install.sh" "$ksft_install" "$ksft" "$modules/rpm_sim.ko" >&2 ||
		die "kselftest install failed (RPM_SIM_KSFT_DIR: the kernel's tools/testing/selftests)"
fi

"$top/scripts/build-initramfs.sh" "$build/initramfs.cpio.gz" "$modules" \
	"$selftest_dir" "$build/plan" $ksft_install

# make shell: the guest's console on this terminal, rpm_sim loaded, no unit.
if [ "${RPM_SIM_SHELL:-0}" = 1 ]; then
	exec python3 "$top/qemu/run.py" --shell --kernel "$kernel" \
		--initrd "$build/initramfs.cpio.gz" --label "$label" --results "$results" \
		--append "${RPM_SIM_APPEND:-}"
fi

echo "stage=boot" >>"$results/$label/run.env"
set -- --kernel "$kernel" --initrd "$build/initramfs.cpio.gz" --label "$label" \
	--results "$results" --timeout "$timeout" --plan "$build/plan" \
	--append "rpm_sim.deadline=$((timeout - 20)) $filter ${RPM_SIM_APPEND:-}"
[ -f "$kdir/vmlinux" ] && set -- "$@" --vmlinux "$kdir/vmlinux" --modules "$modules"
[ "${RPM_SIM_ONE_CONSOLE:-0}" = 1 ] && set -- "$@" --one-console
# Debian's 6.12 PREEMPT_RT kernel under multi-threaded TCG (QEMU 7.2) died
# in 2 of 32 bare boots on an idle host, before any module: "Oops: int3"
# in sched_clock_cpu() right after "sched_clock: Marking stable", the
# static key's site already rewritten in memory (the Code: line shows the
# new bytes) while a vCPU still ran the int3 that text_poke_bp() had put
# there, from a stale translation. With both vCPUs on one host thread:
# 0 of 60 (bare boots 1.3 times slower). Not seen on the other kernels.
case $label in
*-rt) set -- "$@" --tcg-one-thread ;;
esac

status=0
python3 "$top/qemu/run.py" "$@" || status=1
# SD: the shutdown that ended the boot, as the console recorded it.
python3 "$top/scripts/shutdown-check.py" "$results/$label/console.log" \
	>"$results/$label/shutdown.ktap" || status=1
# Each unit's event log and the shutdown, drawn: results/LABEL/timeline/.
python3 "$top/scripts/timeline.py" "$results/$label" >&2 || status=1
exit $status
