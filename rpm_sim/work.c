// SPDX-License-Identifier: GPL-2.0
/*
 * AG-5: "work after resume", the driver-side model of the 2012
 * ".pm_async_work" RFC. rsim_work_after_resume() takes a usage reference
 * with pm_runtime_get() and runs the device's work once it is active: at
 * once if it already is, else from the end of ->runtime_resume. The work
 * drops the reference. ->remove cancels it, so it never runs after ->remove.
 */
#include <linux/pm_runtime.h>
#include <linux/export.h>

#include "internal.h"

static void rsim_work_fn(struct work_struct *work)
{
	struct rsim_dev *rsim = container_of(work, struct rsim_dev, work);

	if (!atomic_xchg(&rsim->work_pending, 0))
		return;
	/* ret -EAGAIN marks a run on a suspended device: a violation. */
	rsim_log(rsim, RSIM_EV_WORK, RSIM_L_DRIVER, RSIM_P_MARK,
		 pm_runtime_suspended(rsim->dev) ? -EAGAIN : 0, 0);
	atomic_inc(&rsim->work_count);
	rsim_rpm(rsim, RSIM_EV_RPM_PUT);
}

void rsim_work_init(struct rsim_dev *rsim)
{
	INIT_WORK(&rsim->work, rsim_work_fn);
}

/* Called when ->runtime_resume succeeded. */
void rsim_work_kick(struct rsim_dev *rsim)
{
	if (atomic_read(&rsim->work_pending))
		schedule_work(&rsim->work);
}

/* Called from ->remove: no work runs after it; the reference is dropped. */
void rsim_work_cancel(struct rsim_dev *rsim)
{
	cancel_work_sync(&rsim->work);
	if (atomic_xchg(&rsim->work_pending, 0))
		rsim_rpm(rsim, RSIM_EV_RPM_PUT_NOIDLE);
}

/**
 * rsim_work_after_resume() - run the device's work once it is active
 * @rsim: the device, bound to its driver
 *
 * Return: what pm_runtime_get() returned (0: resume queued, 1: active
 * already), -EBUSY if work is pending already, -ENODEV if unbound, or the
 * error of pm_runtime_get(), in which case no work will run.
 */
int rsim_work_after_resume(struct rsim_dev *rsim)
{
	int ret;

	if (!READ_ONCE(rsim->bound))
		return -ENODEV;
	if (atomic_cmpxchg(&rsim->work_pending, 0, 1))
		return -EBUSY;
	ret = rsim_rpm(rsim, RSIM_EV_RPM_GET);
	if (ret < 0 && ret != -EINPROGRESS) {
		atomic_set(&rsim->work_pending, 0);
		rsim_rpm(rsim, RSIM_EV_RPM_PUT_NOIDLE);
		return ret;
	}
	if (pm_runtime_active(rsim->dev))
		schedule_work(&rsim->work);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_work_after_resume);

/**
 * rsim_work_count() - how many times the device's work has run
 * @rsim: the device
 */
unsigned int rsim_work_count(struct rsim_dev *rsim)
{
	return atomic_read(&rsim->work_count);
}
EXPORT_SYMBOL_GPL(rsim_work_count);
