// SPDX-License-Identifier: GPL-2.0
/*
 * AG-5: "work after resume", the driver-side model of the 2012
 * ".pm_async_work" RFC. rsim_work_after_resume() takes a usage reference
 * with pm_runtime_get() and has the device's work run once the device is
 * powered: at once if it is active already, else when its ->runtime_resume
 * succeeds. The work drops the reference. A resume that fails drops the
 * work and the reference (a "work_dropped" record). ->remove cancels it,
 * so it never runs after ->remove.
 *
 * work_lock makes the reference and its record one step: the reference is
 * taken and work_pending published under the lock, so ->remove never drops
 * a reference that was not taken, and a resume that ends meanwhile waits
 * for the record and then finds it.
 *
 * When the get says -EINPROGRESS a resume is under way, and the helper
 * cannot tell how far it got: the core marks the device RESUMING before it
 * resumes the suppliers and calls the callbacks, and leaves it RESUMING for
 * a moment after they return. So the work is queued to wait: for the kick
 * of ->runtime_resume if that comes first, else for the status to leave
 * RESUMING (the core wakes power.wait_queue when it does), and then runs
 * if the device is active, or is dropped.
 *
 * A device made active without ->runtime_resume (pm_runtime_set_active())
 * is not seen: the work then waits for the next resume or for ->remove.
 */
#include <linux/pm_runtime.h>
#include <linux/export.h>
#include <linux/wait.h>

#include "internal.h"

/* work_outcome of a work that waits for the resume under way to end. */
#define RSIM_WORK_AWAIT		1
/* The longest such a wait: a gate holds a callback 10 s by default. */
#define RSIM_WORK_AWAIT_MS	60000

static bool rsim_work_resuming(struct device *dev)
{
	bool resuming;

	spin_lock_irq(&dev->power.lock);
	resuming = dev->power.runtime_status == RPM_RESUMING;
	spin_unlock_irq(&dev->power.lock);
	return resuming;
}

/* The resume under way has ended: 0 if it left the device active. */
static int rsim_work_await_resume(struct rsim_dev *rsim)
{
	struct device *dev = rsim->dev;
	int ret = 0;

	rsim_log(rsim, RSIM_EV_WORK_WAIT, RSIM_L_DRIVER, RSIM_P_MARK, 0, 0);
	if (!wait_event_timeout(dev->power.wait_queue, !rsim_work_resuming(dev),
				msecs_to_jiffies(RSIM_WORK_AWAIT_MS)))
		return -ETIMEDOUT;
	spin_lock_irq(&dev->power.lock);
	if (dev->power.runtime_status != RPM_ACTIVE)
		ret = dev->power.runtime_error ? : -EAGAIN;
	spin_unlock_irq(&dev->power.lock);
	return ret;
}

static void rsim_work_fn(struct work_struct *work)
{
	struct rsim_dev *rsim = container_of(work, struct rsim_dev, work);
	int outcome;
	bool run;

	spin_lock_irq(&rsim->work_lock);
	run = rsim->work_pending;
	outcome = rsim->work_outcome;
	rsim->work_pending = false;
	spin_unlock_irq(&rsim->work_lock);
	if (!run)
		return;

	if (outcome == RSIM_WORK_AWAIT)
		outcome = rsim_work_await_resume(rsim);
	if (outcome) {
		rsim_log(rsim, RSIM_EV_WORK_DROPPED, RSIM_L_DRIVER, RSIM_P_MARK,
			 outcome, 0);
		rsim_rpm(rsim, RSIM_EV_RPM_PUT_NOIDLE);
		return;
	}
	rsim_log(rsim, RSIM_EV_WORK, RSIM_L_DRIVER, RSIM_P_MARK, 0, 0);
	atomic_inc(&rsim->work_count);
	rsim_rpm(rsim, RSIM_EV_RPM_PUT);
}

void rsim_work_init(struct rsim_dev *rsim)
{
	spin_lock_init(&rsim->work_lock);
	INIT_WORK(&rsim->work, rsim_work_fn);
}

/* Caller holds work_lock: the work is due, with @outcome (0: run it). */
static void rsim_work_due(struct rsim_dev *rsim, int outcome)
{
	rsim->work_outcome = outcome;
	schedule_work(&rsim->work);
}

/* ->runtime_resume end, with what it returns: the kick. */
void rsim_work_resume_end(struct rsim_dev *rsim, int ret)
{
	unsigned long flags;

	spin_lock_irqsave(&rsim->work_lock, flags);
	if (rsim->work_pending)
		rsim_work_due(rsim, ret);
	spin_unlock_irqrestore(&rsim->work_lock, flags);
}

/* A successful probe lets work be queued. */
void rsim_work_open(struct rsim_dev *rsim)
{
	spin_lock_irq(&rsim->work_lock);
	rsim->work_open = true;
	spin_unlock_irq(&rsim->work_lock);
}

/* ->remove: no work runs after it, and its reference is dropped. */
void rsim_work_cancel(struct rsim_dev *rsim)
{
	bool drop;

	spin_lock_irq(&rsim->work_lock);
	rsim->work_open = false;
	spin_unlock_irq(&rsim->work_lock);
	cancel_work_sync(&rsim->work);
	spin_lock_irq(&rsim->work_lock);
	drop = rsim->work_pending;
	rsim->work_pending = false;
	spin_unlock_irq(&rsim->work_lock);
	if (drop)
		rsim_rpm(rsim, RSIM_EV_RPM_PUT_NOIDLE);
}

/**
 * rsim_work_after_resume() - run the device's work once it is active
 * @rsim: the device, bound to its driver
 *
 * Return: what pm_runtime_get() returned (0: resume queued, 1: active
 * already, -EINPROGRESS: a resume is under way), -EBUSY if work is pending
 * already, -ENODEV if the driver is not bound, or the error of
 * pm_runtime_get(), in which case no work will run.
 */
int rsim_work_after_resume(struct rsim_dev *rsim)
{
	unsigned long flags;
	bool took = false;
	int ret;

	spin_lock_irqsave(&rsim->work_lock, flags);
	if (!rsim->work_open) {
		ret = -ENODEV;
	} else if (rsim->work_pending) {
		ret = -EBUSY;
	} else {
		ret = rsim_rpm(rsim, RSIM_EV_RPM_GET);
		took = true;
		if (ret >= 0 || ret == -EINPROGRESS) {
			rsim->work_pending = true;
			if (ret == 1)
				rsim_work_due(rsim, 0);
			else if (ret == -EINPROGRESS)
				rsim_work_due(rsim, RSIM_WORK_AWAIT);
		}
	}
	spin_unlock_irqrestore(&rsim->work_lock, flags);
	/* pm_runtime_get() took its reference even when it failed. */
	if (took && ret < 0 && ret != -EINPROGRESS)
		rsim_rpm(rsim, RSIM_EV_RPM_PUT_NOIDLE);
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
