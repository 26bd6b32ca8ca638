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
	ret = rsim_bus_init();
	if (ret)
		goto err_evlog;
	ret = rsim_bare_bus_init();
	if (ret)
		goto err_bus;
	ret = rsim_notify_init();
	if (ret)
		goto err_bare;
	ret = rsim_debugfs_init();
	if (ret)
		goto err_notify;
	ret = rsim_driver_init();
	if (ret)
		goto err_debugfs;
	ret = rsim_async_shutdown_init();
	if (ret)
		goto err_driver;
	ret = rsim_reboot_init();
	if (ret)
		goto err_async;
	ret = rsim_sleep_watchdog_init();
	if (ret)
		goto err_reboot;
	/* Last: from here on devices can be created from user space. */
	ret = rsim_cmd_init();
	if (ret)
		goto err_watchdog;
	pr_info("rpm_sim: API probes found: %s\n", RSIM_PROBES);
	return 0;

err_watchdog:
	rsim_sleep_watchdog_exit();
err_reboot:
	rsim_reboot_exit();
err_async:
	rsim_async_shutdown_exit();
err_driver:
	rsim_driver_exit();
err_debugfs:
	rsim_debugfs_exit();
err_notify:
	rsim_notify_exit();
err_bare:
	rsim_bare_bus_exit();
err_bus:
	rsim_bus_exit();
err_evlog:
	rsim_evlog_exit();
	return ret;
}

static void __exit rsim_exit(void)
{
	rsim_dev_close_all();
	rsim_cmd_exit();
	/* Before the devices go: those of rpm_sim's own that are attached too */
	rsim_attach_exit();
	rsim_sleep_watchdog_exit();
	rsim_dev_destroy_all();
	rsim_objects_wait_released();
	rsim_reboot_exit();
	rsim_async_shutdown_exit();
	rsim_driver_exit();
	rsim_debugfs_exit();
	/* After debugfs: no "observe" command can start a watch again. */
	rsim_observe_exit();
	rsim_notify_exit();
	rsim_bare_bus_exit();
	rsim_bus_exit();
	rsim_evlog_exit();
}

module_init(rsim_init);
module_exit(rsim_exit);
MODULE_DESCRIPTION("rpm_sim: runtime PM and driver-core lifecycle test harness");
MODULE_LICENSE("GPL");
