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
#                                     (lib.mk's install) and rpm_sim.ko
#
#   scripts/ksft-install.sh INSTALL_PATH KSFT_DIR MODULE.ko
#
# KSFT_DIR is the tools/testing/selftests directory of the kernel under
# test: its runner and lib.mk are the ones that run there.

set -eu

usage() { echo "usage: ksft-install.sh INSTALL_PATH KSFT_DIR MODULE.ko" >&2; exit 2; }
die() { echo "ksft-install: $*" >&2; exit 1; }

[ $# -eq 3 ] || usage
dest=$1
ksft=$2
ko=$3
top=$(cd "$(dirname "$0")/.." && pwd)

[ -f "$ksft/lib.mk" ] && [ -f "$ksft/run_kselftest.sh" ] ||
	die "$ksft is not a kernel's tools/testing/selftests (no lib.mk or run_kselftest.sh)"
[ -f "$ko" ] || die "$ko not found (build the module first)"
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
install -m 644 "$ko" "$dest/rpm_sim/"
make -s --no-print-directory -C "$top/selftests" KSFT_DIR="$ksft" OUTPUT="$build" \
	COLLECTION=rpm_sim emit_tests >"$dest/kselftest-list.txt"
grep -q '^rpm_sim:' "$dest/kselftest-list.txt" || die "lib.mk emitted no tests"
echo "ksft-install: rpm_sim collection in $dest ($(wc -l <"$dest/kselftest-list.txt") tests)"
