#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The corpus of fixed upstream bugs: boot each kernel with
# reproducers/rpm_sim_reproduce.sh as its only unit, then print which fixes
# each kernel lacks (scripts/reproduce-report.py), checked against what
# the Debian kernels' code shows they lack. Prints KTAP; non-zero when a
# kernel answers otherwise.
#
#   scripts/reproduce.sh [LABEL...]
#	stock-6.1, stock-6.12, stock-6.12-rt
#				Debian's kernels as they are
#	fixed-6.1, fixed-6.12	the fast test kernel with every fix of
#				patches/fixes/VERSION/ that Debian lacks applied
#	unfixed-6.12		the fast test kernel with the fixes Debian has
#				taken out (patches/fixes/6.12/revert-*.patch)
#	custom			KDIR (and KERNEL) from the environment: a kernel
#				of your own, reported, not judged
#   (default: every label but custom, or custom alone when KDIR is set)
#   scripts/reproduce.sh --prepare [LABEL...]
#	only build the kernels, boot nothing (make check, beside the matrix)

set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
results=${RPM_SIM_RESULTS:-$top/results}/reproduce
stage=$top/build/reproduce

die() { echo "reproduce: $*" >&2; exit 1; }

prepare=
[ "${1:-}" != --prepare ] || { prepare=1 && shift; }
if [ $# -eq 0 ]; then
	if [ -n "${KDIR:-}" ]; then
		set -- custom
	else
		set -- stock-6.1 stock-6.12 stock-6.12-rt fixed-6.1 fixed-6.12 unfixed-6.12
	fi
fi

# The guest's selftests: the corpus, the lib it shares with the
# selftests, and the shutdown workload that ends every boot.
rm -rf "$stage/tests" "$stage/patches"
mkdir -p "$stage/tests/shutdown" "$stage/patches" "$results"
cp -R "$top/selftests/lib" "$top/reproducers/rpm_sim_reproduce.sh" \
	"$top/reproducers/bugs" "$stage/tests/"
cp "$top/selftests/shutdown/topology.sh" "$stage/tests/shutdown/"

# patch_of LABEL: one patch of every fix (or every revert) the kernel
# takes, $stage/patches/LABEL.patch; nothing when there is none.
patch_of() {
	patch_label=$1
	ver=${1#*-}
	case $1 in
	fixed-*) set -- "$top/patches/fixes/$ver"/[!r]*.patch ;;
	unfixed-*) set -- "$top/patches/fixes/$ver"/revert-*.patch ;;
	esac
	[ -e "$1" ] || return 0
	cat "$@" >"$stage/patches/$patch_label.patch"
	echo "$stage/patches/$patch_label.patch"
}

# kernel_of LABEL: its tree and image in kdir and kernel, built when they
# are not in the cache yet (empty for Debian's: run-kernel.sh finds them).
kernel_of() {
	kdir=
	kernel=
	case $1 in
	stock-6.1 | stock-6.12 | stock-6.12-rt) ;;
	fixed-6.12 | unfixed-6.12)
		# An image of scripts/prove.sh's tree: an incremental build.
		patch=$(patch_of "$1")
		[ -n "$patch" ] || { echo "no patch in patches/fixes/6.12"; return 1; }
		built=$(PROVE_PATCHES=$stage/patches sh "$top/scripts/prove.sh" --image "$1") ||
			return 1
		kdir=${built% *}
		kernel=${built#* }
		;;
	fixed-6.1)
		patch=$(patch_of "$1")
		kdir=$(sh "$top/scripts/build-kernel.sh" -f fast 6.1 $patch) || return 1
		;;
	custom)
		[ -n "${KDIR:-}" ] || { echo "KDIR is not set"; return 1; }
		kdir=$KDIR
		kernel=${KERNEL:-}
		;;
	esac
}

for label in "$@"; do
	case $label in
	stock-6.1 | stock-6.12 | stock-6.12-rt | fixed-6.1 | fixed-6.12 | unfixed-6.12 | custom) ;;
	*) die "unknown kernel $label (stock-6.1, stock-6.12, stock-6.12-rt, fixed-6.1, fixed-6.12, unfixed-6.12, custom)" ;;
	esac
done

# A boot is one short unit, much of it the kernel's own start: up to
# REPRODUCE_JOBS (default 3) overlap, the oldest waited for first. The
# kernels are built one after another, between the boots.
jobs=${REPRODUCE_JOBS:-3}
case $jobs in
'' | *[!0-9]* | 0) die "REPRODUCE_JOBS=$jobs: a whole number from 1" ;;
esac
pids=
lost=
# wait_oldest: wait for the oldest boot in $pids, and drop it. A boot's
# verdict is its LABEL.rc; a boot that exits non-zero could not write it.
wait_oldest() {
	set -- $pids
	wait "$1" || lost=1
	shift
	pids=$*
}

for label in "$@"; do
	echo "reproduce: $label" >&2
	[ -n "$prepare" ] || rm -rf "${results:?}/$label" "$results/$label.rc"
	# A kernel that does not build is the report's "no KTAP" for it.
	if ! kernel_of "$label" >"$results/$label.log" 2>&1; then
		tail -n 5 "$results/$label.log" >&2
		continue
	fi
	[ -z "$prepare" ] || continue
	[ $(echo $pids | wc -w) -lt "$jobs" ] || wait_oldest
	# Non-zero also when the kernel lacks a fix (the corpus fails): the
	# report judges, and asks that a failing document explain the status.
	(
		rc=0
		RPM_SIM_RESULTS=$results RPM_SIM_SELFTESTS=$stage/tests \
			RPM_SIM_UNITS=rpm_sim_reproduce RPM_SIM_REPEAT=1 \
			sh "$top/scripts/run-kernel.sh" "$label" $kdir $kernel \
			>"$results/$label.log" 2>&1 || rc=$?
		echo $rc >"$results/$label.rc"
	) &
	pids="$pids $!"
done
while [ -n "$pids" ]; do
	wait_oldest
done
[ -z "$lost" ] || die "a boot's exit status could not be recorded in $results"

[ -z "$prepare" ] || exit 0
python3 "$top/scripts/reproduce-report.py" "$top/reproducers/bugs" "$top/patches/fixes" \
	"$results" "$@"
