// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime PM guard pm_runtime_noresume ("PM: runtime: Introduce one
 * more usage counter guard", the v6.18 cycle).
 */
#include <linux/pm_runtime.h>
void f(struct device *dev) { guard(pm_runtime_noresume)(dev); }
