// SPDX-License-Identifier: GPL-2.0
/*
 * pm_runtime_put() returns what its asynchronous idle request returned (up
 * to v7.0; void since "PM: runtime: Change pm_runtime_put() return type to
 * void", v7.1 merge window)
 */
#include <linux/pm_runtime.h>
int f(struct device *dev) { return pm_runtime_put(dev); }
