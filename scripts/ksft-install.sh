#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install rpm_sim's selftests as a kselftest collection, in the layout of
# the kernel's own "make -C tools/testing/selftests install" (which takes
# in-tree targets only), so that "./run_kselftest.sh -c rpm_sim" runs them
# on a board or in a lab:
#
#   INSTALL_PATH/run_kselftest.sh     the kernel's runner and its helpers
#   INSTALL_PATH/kselftest/           (kselftest/*.sh, *.pl, *.py)
#   INSTALL_PATH/kselftest-list.txt   rpm_sim:rpm_sim_control.sh ...
#   INSTALL_PATH/rpm_sim/             the scripts, lib/, config, settings
#                                     (lib.mk's install), rpm_sim.ko and
#                                     the example driver built beside it
#
#   scripts/ksft-install.sh INSTALL_PATH KSFT_DIR|KDIR MODULE.ko
#
# KSFT_DIR is the tools/testing/selftests directory of the kernel under
# test: its runner and lib.mk are the ones that run there. A kernel tree
# (KDIR, or an O= build directory with its source link) stands for its own.

set -eu

usage() { echo "usage: ksft-install.sh INSTALL_PATH KSFT_DIR|KDIR MODULE.ko" >&2; exit 2; }
die() { echo "ksft-install: $*" >&2; exit 1; }

[ $# -eq 3 ] || usage
dest=$1
ksft=$2
ko=$3
top=$(cd "$(dirname "$0")/.." && pwd)

for d in "$ksft" "$ksft/source/tools/testing/selftests" "$ksft/tools/testing/selftests"; do
	[ -f "$d/lib.mk" ] && [ -f "$d/run_kselftest.sh" ] && ksft=$d && break
done
[ -f "$ksft/lib.mk" ] && [ -f "$ksft/run_kselftest.sh" ] ||
	die "$ksft is neither a kernel's tools/testing/selftests nor a tree that has one"
[ -f "$ko" ] || die "$ko not found (build the module first)"
example=$(dirname "$ko")/rsim_example_clk.ko
[ -f "$example" ] || die "$example not found: the build makes it with rpm_sim.ko"
command -v rsync >/dev/null || die "lib.mk's install needs rsync (apt-get install rsync)"

mkdir -p "$dest/kselftest"
dest=$(cd "$dest" && pwd)
install -m 744 "$ksft/run_kselftest.sh" "$dest/"
# 6.1 has runner.sh, module.sh and prefix.pl; later trees add helpers.
for f in "$ksft"/kselftest/*; do
	install -m 744 "$f" "$dest/kselftest/"
done

build=$(mktemp -d "${TMPDIR:-/tmp}/rpm_sim-ksft.XXXXXX")
trap 'rm -rf "$build"' EXIT INT TERM
make -s -C "$top/selftests" KSFT_DIR="$ksft" OUTPUT="$build" \
	INSTALL_PATH="$dest/rpm_sim" install
install -m 644 "$ko" "$example" "$dest/rpm_sim/"
make -s --no-print-directory -C "$top/selftests" KSFT_DIR="$ksft" OUTPUT="$build" \
	COLLECTION=rpm_sim emit_tests >"$dest/kselftest-list.txt"
grep -q '^rpm_sim:' "$dest/kselftest-list.txt" || die "lib.mk emitted no tests"
echo "ksft-install: rpm_sim collection in $dest ($(wc -l <"$dest/kselftest-list.txt") tests)"
