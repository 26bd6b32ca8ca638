// SPDX-License-Identifier: GPL-2.0
/*
 * pm_runtime_get_if_active() takes the device alone (v6.9: c0ef3df8dbae,
 * "PM: runtime: Simplify pm_runtime_get_if_active() usage"); before, a
 * second argument, ign_usage_count, which every caller but one set.
 */
#include <linux/pm_runtime.h>
int f(struct device *dev) { return pm_runtime_get_if_active(dev); }
