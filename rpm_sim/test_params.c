// SPDX-License-Identifier: GPL-2.0
/*
 * The test suites' seed and stress size, as parameters of rpm_sim.ko.
 *
 * They would belong to rpm_sim_kunit.ko, but a module's parameters are
 * parsed only after the MODULE_STATE_COMING notifiers have run, and the
 * KUnit of v6.1 runs a module's suites from that notifier: there, the test
 * module's own parameters never reached its suites (v6.12's KUnit runs
 * them at MODULE_STATE_LIVE). rpm_sim.ko is loaded, parameters and all,
 * before the test module.
 */
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>

#include "internal.h"

static unsigned int seed;
module_param(seed, uint, 0644);
MODULE_PARM_DESC(seed, "Seed of the test suites' random choices (0: a random one, printed)");

static unsigned int stress_scale = 1;
module_param(stress_scale, uint, 0644);
MODULE_PARM_DESC(stress_scale, "Multiplies the stress cases' iterations (make soak)");

static DEFINE_MUTEX(rsim_seed_lock);

/**
 * rsim_test_seed() - the seed of the test suites' random choices
 *
 * Return: the parameter seed; if it is 0, a random one, drawn once and
 * kept, so that every case of a load shares it.
 */
u32 rsim_test_seed(void)
{
	u32 s;

	mutex_lock(&rsim_seed_lock);
	if (!seed)
		seed = get_random_u32() ? : 1;
	s = seed;
	mutex_unlock(&rsim_seed_lock);
	return s;
}
EXPORT_SYMBOL_GPL(rsim_test_seed);

/** rsim_test_stress_scale() - what the stress cases multiply their iterations by */
unsigned int rsim_test_stress_scale(void)
{
	return max(READ_ONCE(stress_scale), 1U);
}
EXPORT_SYMBOL_GPL(rsim_test_stress_scale);
