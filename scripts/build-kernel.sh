#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build an rpm_sim test kernel from a Debian linux-source tarball.
#
#   scripts/build-kernel.sh [-f FLAVOUR] VERSION [PATCH]
#   scripts/build-kernel.sh [-f FLAVOUR] -s SRC -o OUT VERSION
#
# VERSION: 6.1, 6.12, or next: 6.12 with every upstream API change of
# patches/api/ applied (in the order of the versions that name them), the
# stand-in for mainline this machine can build. FLAVOUR: debug (default:
# lockdep, KASAN, kmemleak, DEBUG_OBJECTS, KUnit), fast (the same without
# KASAN and kmemleak, for quick loops and scripts/prove.sh) or soak (debug
# without delayed kobject release, for scripts/soak.sh's unload cycles).
#
# PATCH (optional) is applied to a scratch copy of the source first: a
# seeded regression built on its own, never in place.
#
# With -s and -o the kernel is configured and built from SRC into OUT, and
# make runs every time: an incremental rebuild after SRC changed (this is
# how scripts/prove.sh rebuilds one tree per seeded regression). The
# modules (Module.symvers, for rpm_sim's build) only the first time.
#
# tinyconfig + configs/debug.config (+ configs/VERSION.config, + the
# flavour's fragment), checked after olddefconfig: an option that did not
# stick is an error. Otherwise the build lives in the cache, keyed by the
# tarball, the fragments and the patch, so an unchanged rerun builds
# nothing. Prints the build directory (usable as KDIR) on stdout.

set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${RPM_SIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rpm_sim}
jobs=$(( $(nproc) + 1 ))
flavour=debug
src=
out=
seeded=

die() { echo "build-kernel: $*" >&2; exit 1; }
usage() { die "usage: build-kernel.sh [-f debug|fast|soak] VERSION [PATCH] | [-f F] -s SRC -o OUT VERSION"; }

while getopts f:s:o: opt; do
	case $opt in
	f) flavour=$OPTARG ;;
	s) src=$OPTARG ;;
	o) out=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
ver=${1:-}
patch=${2:-}
[ -n "$ver" ] || usage
{ [ -z "$src" ] && [ -z "$out" ]; } || { [ -n "$src" ] && [ -n "$out" ] && [ -z "$patch" ]; } ||
	usage

# next: one patch of all of patches/api/, kept beside the builds (its
# contents key the build like any patch's).
if [ "$ver" = next ]; then
	[ -z "$patch" ] && [ -z "$src" ] || die "next takes no PATCH and no -s/-o: patches/api/ is its patch"
	api=$(ls "$top"/patches/api/*.patch 2>/dev/null | sort -V)
	[ -n "$api" ] || die "no patches in $top/patches/api"
	mkdir -p "$cache/kernels"
	patch=$(mktemp "$cache/kernels/api-next.XXXXXX")
	trap 'rm -f "$patch"' EXIT
	trap 'exit 1' HUP INT TERM
	cat $api >"$patch"
	label=next
	ver=6.12
else
	label=
fi

frags="$top/configs/debug.config"
[ -f "$top/configs/$ver.config" ] && frags="$frags $top/configs/$ver.config"
case $flavour in
debug) ;;
fast | soak) frags="$frags $top/configs/$flavour.config" ;;
*) die "unknown flavour $flavour (debug, fast or soak)" ;;
esac

tarball=${RPM_SIM_SRC_DIR:-/usr/src}/linux-source-$ver.tar.xz
[ -f "$tarball" ] || die "$tarball not found (apt-get install linux-source-$ver)"

if [ -n "$patch" ]; then
	[ -f "$patch" ] || die "no patch $patch"
	patch=$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")
fi

# One build at a time: two runs asking for the same tree would write into
# each other, and two different trees only slow each other on this machine.
# A finished tree is answered at once, before and after waiting.
done_or_lock() {
	if [ -f "$out/.rpm_sim_done" ]; then
		echo "$out"
		exit 0
	fi
	mkdir -p "$cache/kernels"
	exec 9>"$cache/kernels/.lock"
	flock 9 || die "cannot lock $cache/kernels/.lock"
	if [ -f "$out/.rpm_sim_done" ]; then
		echo "$out"
		exit 0
	fi
}

# seed_from TREE SRC: $out, a copy of the built TREE whose recorded paths
# into its source (Kbuild's own record of it: TREE/source) name SRC;
# non-zero (and no $out) when a .cmd file still names the old source.
seed_from() {
	echo "build-kernel: starting from $1" >&2
	rm -rf "$out" "$out.seed"
	old=$(readlink "$1/source") && [ -n "$old" ] && new=$(cd "$2" && pwd -P) || return 1
	old_re=$(printf '%s' "$old" | sed 's/[].[*^$\\]/\\&/g')
	if cp -a "$1" "$out.seed" && rm -f "$out.seed/.rpm_sim_done" &&
	   find "$out.seed" -name '*.cmd' -exec sed -i "s|$old_re|$new|g" {} + &&
	   ! grep -rlF --include='*.cmd' "$old" "$out.seed" >/dev/null &&
	   grep -qF "$new" "$out.seed/init/.main.o.cmd"; then
		mv "$out.seed" "$out" &&
			echo "build-kernel: seeded from $1" >"$out/build.log" && return 0
	fi
	echo "build-kernel: cannot start from $1: building from nothing" >&2
	rm -rf "$out.seed"
	return 1
}

# tree_of NAME [PATCH [SUFFIX]]: the cache's build directory of NAME in
# this flavour; the key covers what changes the result: tarball, fragments
# and patch.
tree_of() {
	t=linux-$1
	[ "$flavour" = debug ] || t=$t-$flavour
	echo "$cache/kernels/$t${3:-}-$( { stat -c '%n %s %Y' "$tarball"; cat $frags ${2:+"$2"}; } |
		sha256sum | cut -c1-12)"
}

if [ -z "$out" ]; then
	suffix=
	[ -n "$label" ] || suffix=${patch:+-$(basename "$patch" .patch)}
	out=$(tree_of "${label:-$ver}" "$patch" "$suffix")
	done_or_lock
	src=$("$top/scripts/kernel-src.sh" "$ver")
	# A patched kernel builds from a hard-linked copy; patch(1) writes
	# each file it changes anew, and the copy breaks the link first to be
	# sure.
	if [ -n "$patch" ]; then
		scratch="$out.src"
		rm -rf "$scratch"
		cp -al "$src" "$scratch"
		for f in $(sed -n 's|^+++ b/\([^	]*\).*|\1|p' "$patch"); do
			cp --remove-destination "$src/$f" "$scratch/$f"
		done
		patch -d "$scratch" -p1 --no-backup-if-mismatch <"$patch" >&2 ||
			die "$patch does not apply to linux $ver"
		src=$scratch
	fi
	rm -rf "$out"
	incremental=
	# next starts from the 6.12 tree of its flavour when that one is built
	# (make check builds it first): a copy of its objects, rebuilt where
	# patches/api/ changed a file or a header they include (520 of the
	# debug kernel's 779 compiled files, most through linux/pm.h). Kbuild
	# records each source path in .cmd files, the dependencies among them:
	# each is moved to next's source, and should one still name the old
	# tree (a changed header it would hide), next is built from nothing.
	if [ "$label" = next ]; then
		base=$(tree_of "$ver")
		[ ! -f "$base/.rpm_sim_done" ] || ! seed_from "$base" "$src" ||
			seeded=1
	fi
else
	[ -f "$src/Makefile" ] || die "$src is not a kernel source tree"
	done_or_lock
	incremental=1
fi

mkdir -p "$out"
log="$out/build.log"
[ -z "$patch" ] || echo "build-kernel: with $patch" >>"$log"

run() {
	if ! "$@" >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "failed: $* (full log: $log)"
	fi
}

# What the fragments ask for, later fragments overriding earlier ones:
# "CONFIG_X=v" or "CONFIG_X=n" (for "is not set"), one per option.
requested() {
	cat $frags | awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { k = $0; sub(/=.*/, "", k); want[k] = $0; next }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { want[$2] = $2 "=n" }
	END { for (k in want) print want[k] }' | sort
}

configure() {
	echo "build-kernel: configuring linux $ver ($flavour) in $out" >&2
	: >"$out/.rpm_sim_frags"
	run make -C "$src" O="$out" tinyconfig
	run "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" $frags
	run make -C "$src" O="$out" olddefconfig

	# olddefconfig silently drops what it cannot satisfy: check it all.
	missing=0
	for line in $(requested); do
		opt=${line%%=*}
		have=$(grep "^$opt=" "$out/.config" || echo "$opt=n")
		[ "$have" = "$line" ] && continue
		echo "build-kernel: $line requested, got $have" >&2
		missing=1
	done
	[ "$missing" -eq 0 ] || die "config options did not stick (see above)"
	requested >"$out/.rpm_sim_frags"
}

# An incremental tree is configured once, and again when its fragments
# change; a seeded one has its base's configuration, from the same ones.
if { [ -z "$incremental" ] && [ -z "$seeded" ]; } || [ ! -f "$out/.config" ] ||
   [ "$(requested)" != "$(cat "$out/.rpm_sim_frags" 2>/dev/null)" ]; then
	configure
fi

echo "build-kernel: building linux $ver ($flavour, -j$jobs; log: $log)" >&2
targets="bzImage modules"
[ -z "$incremental" ] || [ ! -f "$out/Module.symvers" ] || targets=bzImage
run make -C "$src" O="$out" -j"$jobs" $targets
[ -n "$incremental" ] || touch "$out/.rpm_sim_done"
echo "$out"
