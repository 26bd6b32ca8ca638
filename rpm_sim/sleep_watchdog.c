// SPDX-License-Identifier: GPL-2.0
/*
 * The system-sleep watchdog. A suspend that has not come back
 * sleep_watchdog_ms after PM_SUSPEND_PREPARE is stuck: a dpm_wait() cycle
 * through rpm_sim devices is the way rpm_sim can make one (a parent and a
 * child that wait for each other through a device link, as upstream
 * 632d31067be2 fixed). The watchdog says so in the kernel log, counts it
 * (debugfs "stats": sleep_stuck) and completes the power.completion of
 * every rpm_sim device, which ends any dpm_wait() on them, so the guest
 * lives on to report the hang rather than waiting for the host to kill it.
 * sleep_watchdog_ms=0 turns it off.
 */
#include <linux/device.h>
#include <linux/moduleparam.h>
#include <linux/suspend.h>
#include <linux/workqueue.h>

#include "internal.h"

static unsigned int rsim_sleep_watchdog_ms = 20000;
module_param_named(sleep_watchdog_ms, rsim_sleep_watchdog_ms, uint, 0644);
MODULE_PARM_DESC(sleep_watchdog_ms,
		 "a system suspend not back after this many ms is stuck (0: never)");

static atomic_t rsim_sleep_stuck = ATOMIC_INIT(0);

static void rsim_sleep_watchdog_fn(struct work_struct *work)
{
	struct rsim_dev *rsim;

	atomic_inc(&rsim_sleep_stuck);
	pr_err("rpm_sim: system sleep stuck for %u ms: ending the dpm waits on rpm_sim devices\n",
	       rsim_sleep_watchdog_ms);
	mutex_lock(&rsim_lock);
	list_for_each_entry(rsim, &rsim_devices, node) {
		if (!completion_done(&rsim->dev->power.completion))
			pr_err("rpm_sim: %s: system sleep still waits for it\n", rsim->name);
		complete_all(&rsim->dev->power.completion);
	}
	mutex_unlock(&rsim_lock);
}

static DECLARE_DELAYED_WORK(rsim_sleep_watchdog, rsim_sleep_watchdog_fn);

static int rsim_sleep_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	unsigned int ms = READ_ONCE(rsim_sleep_watchdog_ms);

	if (action == PM_SUSPEND_PREPARE && ms)
		schedule_delayed_work(&rsim_sleep_watchdog, msecs_to_jiffies(ms));
	else if (action == PM_POST_SUSPEND)
		cancel_delayed_work_sync(&rsim_sleep_watchdog);
	return NOTIFY_DONE;
}

static struct notifier_block rsim_sleep_nb = { .notifier_call = rsim_sleep_notify };

/* How many suspends the watchdog found stuck since the module loaded. */
unsigned int rsim_sleep_stuck_count(void)
{
	return atomic_read(&rsim_sleep_stuck);
}

int rsim_sleep_watchdog_init(void)
{
	return register_pm_notifier(&rsim_sleep_nb);
}

void rsim_sleep_watchdog_exit(void)
{
	unregister_pm_notifier(&rsim_sleep_nb);
	cancel_delayed_work_sync(&rsim_sleep_watchdog);
}
