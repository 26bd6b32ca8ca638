#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Soak rpm_sim itself on a KASAN/kmemleak test kernel: many random control
# writes, many insmod/rmmod cycles under load, many racing unbind cycles,
# in one boot, then the kmemleak scan and the console's splat check.
#
#   scripts/soak.sh [LABEL]		(default soak-6.12: the 6.12 test kernel
#					 without delayed kobject release, so
#					 that an unload cycle takes seconds,
#					 not ten)
#
# Sizes (environment): SOAK_WRITES (random control writes, default 10000),
# SOAK_CYCLES (insmod/rmmod cycles, default 1000), SOAK_RACES (racing
# get/put against unbind, default 10000), SOAK_SEED (the fuzz and stress
# seed, default 1: a failure replays with the same value), SOAK_TIMEOUT
# (seconds for the whole boot, default 10800).

set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
label=${1:-soak-6.12}
writes=${SOAK_WRITES:-10000}
cycles=${SOAK_CYCLES:-1000}
races=${SOAK_RACES:-10000}
seed=${SOAK_SEED:-1}
timeout=${SOAK_TIMEOUT:-10800}

for v in "$writes" "$cycles" "$races" "$seed" "$timeout"; do
	case $v in
	'' | *[!0-9]*) echo "soak: $v is not a whole number" >&2; exit 2 ;;
	esac
done

# Eight rounds in one boot (RPM_SIM_REPEAT): each KUnit case stays well
# under KUnit's 5 minutes, and the selftests share the counts out.
# rpm_sim_fuzz writes to 8 files a round; per scale, on each of their 4
# bus parameters, the RM-4 stress cases race 40 times through
# device_release_driver(), 2 through driver_unregister() and 40 through
# device_del(): 328 in all.
repeat=8
rounds=$(( (writes + 8 * repeat - 1) / (8 * repeat) ))
per_cycles=$(( (cycles + repeat - 1) / repeat ))
scale=$(( (races + 328 * repeat - 1) / (328 * repeat) ))

echo "soak: $label: $((rounds * 8 * repeat)) random writes," \
	"$((per_cycles * repeat)) unload cycles, $((scale * 328 * repeat)) racing unbinds," \
	"seed $seed" >&2
# A stress case may keep the insmod that runs it waiting longer than the
# test kernels' 60 s hung-task limit: raise it for the soak only.
RPM_SIM_UNITS=rpm_sim_rm,rpm_sim_fuzz,rpm_sim_rmmod \
RPM_SIM_REPEAT=$repeat \
RPM_SIM_TIMEOUT=$timeout \
RPM_SIM_APPEND="sysctl.kernel.hung_task_timeout_secs=600 \
rpm_sim.stress_scale=$scale rpm_sim.seed=$seed \
rpm_sim_env.RPM_SIM_FUZZ_ROUNDS=$rounds rpm_sim_env.RPM_SIM_FUZZ_SEED=$seed \
rpm_sim_env.RPM_SIM_RMMOD_CYCLES=$per_cycles rpm_sim_env.RPM_SIM_SELFTEST_TIMEOUT=$timeout" \
	sh "$top/scripts/run-kernel.sh" "$label"
