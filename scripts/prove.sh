#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prove that the suites catch what they are for: every seeded regression
# in patches/prove/ is built into the fast 6.12 test kernel, booted, and
# must turn the tests its header names red, while the same kernel without
# it must be green. Prints KTAP (one case per regression, the table in its
# diagnostics) and exits non-zero when a regression survives, is caught by
# other tests than it names, or the baseline is not green.
#
#   scripts/prove.sh [NAME...]	(default: every patches/prove/*.patch)
#   scripts/prove.sh --cover	(one regression a contract, each contract
#				 shown red: make check;
#				 scripts/prove-report.py --cover lists it)
#   scripts/prove.sh --prepare [--cover | NAME...]
#				(only build the images, boot nothing: make
#				 check runs this beside the kernel matrix)
#   scripts/prove.sh --image NAME
#				(build one image and print the tree and the
#				 image, "OBJ IMAGE": scripts/reproduce.sh's
#				 kernels, from PROVE_PATCHES)
#
# One source tree and one object tree, kept in the cache: each regression
# is applied to the tree, rebuilt incrementally, and the tree restored;
# the image is kept, keyed by the patch, so a warm run only boots. The
# modules are built once: the regressions change .c files only.

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${RPM_SIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rpm_sim}
results=${RPM_SIM_RESULTS:-$top/results}/prove
# PROVE_PATCHES: another directory of regressions (make mutate's mutants);
# their images are kept beside the others', and only a run of
# patches/prove/ drops the images nothing asks for any more.
patches=${PROVE_PATCHES:-$top/patches/prove}
ver=6.12
work=$cache/prove/$ver
src=$work/src
obj=$work/obj
images=$work/images
dirty=$work/dirty

die() { echo "prove: $*" >&2; exit 1; }
log() { echo "prove: $*" >&2; }

patches=$(cd "$patches" 2>/dev/null && pwd) || die "no directory $patches"

pristine=$("$top/scripts/kernel-src.sh" $ver) || die "no kernel source"
tarball=${RPM_SIM_SRC_DIR:-/usr/src}/linux-source-$ver.tar.xz
base_key=$( { stat -c '%n %s %Y' "$tarball"; cat "$top/configs/debug.config" \
	"$top/configs/fast.config"; } | sha256sum | cut -c1-12)

# A guest on a regression spends most of its time waiting out the suites'
# timeouts, not computing: PROVE_JOBS boots (default 3) overlap.
jobs=${PROVE_JOBS:-3}
case $jobs in
'' | *[!0-9]* | 0) die "PROVE_JOBS=$jobs: a whole number from 1" ;;
esac

prepare=
image_only=
case ${1:-} in
--prepare) prepare=1 && shift ;;
--image) image_only=1 && shift && [ $# -eq 1 ] || die "--image takes one name" ;;
esac
# The covering set boots each regression with the units that hold its
# tests only (prove-report.py --units), of its KUnit suite only the cases
# it names and their kin (--glob, kunit.filter_glob), and of its
# selftests only the cases it names (--cases, the selftests'
# RPM_SIM_CASES); a run of chosen or all regressions runs every KUnit
# suite, so that its report of the tests no regression turned red covers
# them all.
focus=
if [ "${1:-}" = --cover ]; then
	[ $# -eq 1 ] || die "--cover takes no names"
	focus=1
	cover=$(python3 "$top/scripts/prove-report.py" --cover "$patches") ||
		die "cannot choose the covering set"
	set -- $cover
	[ $# -gt 0 ] || die "the covering set is empty"
elif [ $# -eq 0 ]; then
	set -- $(cd "$patches" && ls *.patch | sed 's/\.patch$//')
fi
for n in "$@"; do
	[ -f "$patches/$n.patch" ] || die "no $patches/$n.patch"
done

# One prove.sh at a time owns the tree. A --prepare still building hands
# it over after its current image: this run builds the rest between boots.
mkdir -p "$images"
[ -n "$prepare" ] || : >"$work/.wanted"
exec 8>"$work/.lock"
flock 8 || die "cannot lock $work/.lock"
[ -n "$prepare" ] || rm -f "$work/.wanted"
if [ -z "$prepare$image_only" ]; then
	rm -rf "$results"
	mkdir -p "$results"
fi

# The source tree: hard links to the pristine tree, a file copied before
# it is patched; a run cut short leaves the list of files to restore.
if [ ! -f "$src/Makefile" ]; then
	log "linking a source tree at $src"
	rm -rf "$src.tmp"
	cp -al "$pristine" "$src.tmp" && mv "$src.tmp" "$src" || die "cannot link $src"
fi
restore() {
	[ -f "$dirty" ] || return 0
	while IFS= read -r f; do
		cp --remove-destination "$pristine/$f" "$src/$f" || return 1
	done <"$dirty"
	rm -f "$dirty"
}
restore || die "cannot restore $src"

patched_files() { sed -n 's|^+++ b/\([^	]*\).*|\1|p' "$1"; }

# build IMAGE [PATCH]: the tree with PATCH applied, rebuilt, saved as IMAGE
build() {
	if [ -n "${2:-}" ]; then
		patched_files "$2" >"$dirty"
		while IFS= read -r f; do
			cp --remove-destination "$pristine/$f" "$src/$f"
		done <"$dirty"
		if ! patch -d "$src" -p1 --no-backup-if-mismatch -s <"$2" >&2; then
			restore
			return 1
		fi
	fi
	sh "$top/scripts/build-kernel.sh" -f fast -s "$src" -o "$obj" $ver >/dev/null &&
		cp "$obj/arch/x86/boot/bzImage" "$1.tmp" && mv "$1.tmp" "$1"
	ret=$?
	restore || return 1
	return $ret
}

# boot NAME IMAGE UNITS [CASES [GLOB]]: UNITS (run-kernel.sh's
# RPM_SIM_UNITS; "" all), CASES the selftests' RPM_SIM_CASES, GLOB the
# KUnit cases' kunit.filter_glob; results/prove/NAME. The baseline runs
# every unit and each KUnit suite twice (run-kernel.sh's default: make
# check's short repeat), a regression one round of a few.
boot() {
	if [ "$1" = baseline ]; then
		rounds= limit=1200
	else
		rounds=1 limit=300
	fi
	RPM_SIM_RESULTS=$results RPM_SIM_REPEAT=$rounds RPM_SIM_UNITS=$3 \
		RPM_SIM_TIMEOUT=$limit \
		RPM_SIM_APPEND="${4:+rpm_sim_env.RPM_SIM_CASES=$4} ${5:+kunit.filter_glob=$5}" \
		RPM_SIM_MODULES=${modules:-} \
		sh "$top/scripts/run-kernel.sh" "prove-$1" "$obj" "$2" >"$results/$1.log" 2>&1
}


# image_of NAME: the regression's image; the key is the change itself, so
# editing a header rebuilds nothing.
image_of() {
	key=$( { echo "$base_key"; sed -n '/^--- /,$p' "$patches/$1.patch"; } |
		sha256sum | cut -c1-12)
	echo "$images/$1-$key.bzImage"
}

# The images of edited or deleted regressions and of other baselines are
# never booted again: the cache keeps what today's patches ask for.
[ "$patches" = "$top/patches/prove" ] && for img in "$images"/*.bzImage; do
	[ -e "$img" ] || continue
	n=$(basename "$img" .bzImage)
	n=${n%-*}
	if [ "$n" = baseline ]; then
		[ "$img" = "$images/baseline-$base_key.bzImage" ] && continue
	elif [ -f "$patches/$n.patch" ] && [ "$img" = "$(image_of "$n")" ]; then
		continue
	fi
	rm -f "$img"
done

# image NAME: the regression's image, built when not in the cache yet.
image() {
	img=$(image_of "$1")
	[ ! -f "$img" ] || return 0
	log "$1: building"
	t=$(date +%s)
	if ! build "$img" "$patches/$1.patch"; then
		# A --prepare leaves the report to the run that boots it.
		[ -n "$prepare$image_only" ] || echo "build failed" >"$results/$1.build-failed"
		return 1
	fi
	log "$1: built in $(($(date +%s) - t)) s"
}

# Regressions of one file one after another: between two of them the
# tree recompiles that file once, not the last one's file and this one's.
names=$*
set -- $(for n in $names; do echo "$(patched_files "$patches/$n.patch" | head -n 1) $n"; done |
	sort | cut -d' ' -f2)

start=$(date +%s)
baseline=$images/baseline-$base_key.bzImage
if [ ! -f "$baseline" ]; then
	log "building the baseline kernel"
	build "$baseline" || die "the baseline kernel does not build (log: $obj/build.log)"
fi
if [ -n "$image_only" ]; then
	image "$1" || die "$1 does not build (log: $obj/build.log)"
	echo "$obj $(image_of "$1")"
	exit 0
fi
if [ -n "$prepare" ]; then
	for n in "$@"; do
		if [ -e "$work/.wanted" ]; then
			log "a run wants the tree: it builds the rest"
			break
		fi
		image "$n"
	done
	log "prepared in $(($(date +%s) - start)) s"
	exit 0
fi

# The modules, built once against the baseline: the regressions change
# .c files only.
modules=$top/build/prove-baseline/src
RPM_SIM_BUILD_ONLY=1 sh "$top/scripts/run-kernel.sh" prove-baseline "$obj" "$baseline" \
	>"$results/modules.log" 2>&1 ||
	die "rpm_sim does not build against the baseline (see $results/modules.log)"

# The builder: one image after another (one tree), each name on the
# "ready" pipe when its image is there ("-NAME" when it failed). It starts
# now, while the baseline boots.
ready=$work/ready
rm -f "$ready"
mkfifo "$ready" || die "cannot make $ready"
exec 7<>"$ready"
for n in "$@"; do
	if image "$n"; then echo "$n"; else echo "-$n"; fi
done >"$ready" &

# The baseline is one of the boots that overlap, PROVE_JOBS at a time: a
# boot starts as soon as any one ends (each says so on the "ended" pipe),
# not when the oldest does, which left slots idle behind a long boot.
ended=$work/ended
rm -f "$ended"
mkfifo "$ended" || die "cannot make $ended"
exec 6<>"$ended"
log "booting the baseline with every unit"
{ boot baseline "$baseline" ""; echo >&6; } &
running=1
left=$#
while [ $left -gt 0 ] && read -r n <&7; do
	left=$((left - 1))
	case $n in -*) continue ;; esac
	cases=
	glob=
	if [ -n "$focus" ]; then
		units=$(python3 "$top/scripts/prove-report.py" --units "$patches/$n.patch")
		cases=$(python3 "$top/scripts/prove-report.py" --cases "$patches/$n.patch")
		glob=$(python3 "$top/scripts/prove-report.py" --glob "$patches/$n.patch")
	else
		units=kunit
		sel=$(sed -n 's/^Selftests: *//p' "$patches/$n.patch")
		[ -z "$sel" ] || units=$units,$(echo $sel | tr ' ' ',')
	fi
	if [ $running -ge "$jobs" ]; then
		read -r _slot <&6
		running=$((running - 1))
	fi
	(
		t=$(date +%s)
		boot "$n" "$(image_of "$n")" "$units" "$cases" "$glob"
		log "$n: booted in $(($(date +%s) - t)) s"
		echo >&6
	) &
	running=$((running + 1))
done
wait
exec 7<&- 6<&-
rm -f "$ready" "$ended"
set -- $names
log "$# regressions in $(($(date +%s) - start)) s"

python3 "$top/scripts/prove-report.py" "$patches" "$results" "$@"
