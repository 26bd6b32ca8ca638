// SPDX-License-Identifier: GPL-2.0
/*
 * devm_pm_runtime_set_active_enabled() and devm_pm_runtime_get_noresume()
 * (v6.16, 73db799bf5ef, "PM: runtime: Add new devm functions"; taken into
 * several stable series, Debian's 6.1 and 6.12 among them)
 */
#include <linux/pm_runtime.h>
int f(struct device *dev)
{
	return devm_pm_runtime_set_active_enabled(dev) ?: devm_pm_runtime_get_noresume(dev);
}
