// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime PM guards pm_runtime_active and pm_runtime_active_auto
 * (v6.18, 9a0abc39450a, "PM: runtime: Add auto-cleanup macros for "resume
 * and get" operations").
 */
#include <linux/pm_runtime.h>
void f(struct device *dev) { guard(pm_runtime_active)(dev); }
void g(struct device *dev) { guard(pm_runtime_active_auto)(dev); }
