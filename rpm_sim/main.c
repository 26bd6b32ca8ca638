// SPDX-License-Identifier: GPL-2.0
/*
 * rpm_sim: a test harness for runtime PM and driver-core lifecycle
 * contracts. Load and unload only; the parts live in their own files.
 */
#include <linux/module.h>

#include "internal.h"

static unsigned int evlog_entries = 16384;
module_param(evlog_entries, uint, 0444);
MODULE_PARM_DESC(evlog_entries, "Event log ring size, in records (>= 16)");

static int __init rsim_init(void)
{
	int ret;

	ret = rsim_evlog_init(evlog_entries);
	if (ret)
		return ret;
	rsim_debugfs_init();
	ret = rsim_bus_init();
	if (ret)
		goto err_debugfs;
	ret = rsim_platform_init();
	if (ret)
		goto err_bus;
	ret = rsim_shutdown_init();
	if (ret)
		goto err_platform;
	return 0;

err_platform:
	rsim_platform_exit();
err_bus:
	rsim_bus_exit();
err_debugfs:
	rsim_debugfs_exit();
	rsim_evlog_exit();
	return ret;
}

static void __exit rsim_exit(void)
{
	rsim_dev_destroy_all();
	rsim_shutdown_exit();
	rsim_platform_exit();
	rsim_bus_exit();
	rsim_debugfs_exit();
	rsim_evlog_exit();
}

module_init(rsim_init);
module_exit(rsim_exit);
MODULE_DESCRIPTION("rpm_sim: runtime PM and driver-core lifecycle test harness");
MODULE_LICENSE("GPL");
