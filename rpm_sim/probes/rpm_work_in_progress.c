// SPDX-License-Identifier: GPL-2.0
/*
 * dev->power.work_in_progress (v6.15, 3038b22bc098, "PM: sleep: Rename
 * power.async_in_progress to power.work_in_progress"): the compile-visible
 * sign of the v6.15 PM pull, whose "PM: runtime: Unify error handling
 * during suspend and resume" (72263869656d) changes static code only.
 */
#include <linux/device.h>
void f(struct device *dev) { dev->power.work_in_progress = false; }
