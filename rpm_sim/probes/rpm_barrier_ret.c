// SPDX-License-Identifier: GPL-2.0
/*
 * pm_runtime_barrier() returns whether it had to resume the device (up to
 * v6.18; void since "PM: runtime: Make pm_runtime_barrier() return void",
 * v6.19)
 */
#include <linux/pm_runtime.h>
int f(struct device *dev) { return pm_runtime_barrier(dev); }
