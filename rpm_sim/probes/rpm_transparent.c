// SPDX-License-Identifier: GPL-2.0
/*
 * RPM_TRANSPARENT and pm_runtime_get_active() (v6.18, 9a0abc39450a, "PM:
 * runtime: Add auto-cleanup macros for "resume and get" operations"); also
 * the compile-visible sign of the v6.18 PM pull, whose "PM: runtime: Make
 * put{,_sync}() return 1 when already suspended" (d0b8651a0261) changes
 * static code only.
 */
#include <linux/pm_runtime.h>
int f(struct device *dev) { return pm_runtime_get_active(dev, RPM_TRANSPARENT); }
