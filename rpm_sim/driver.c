// SPDX-License-Identifier: GPL-2.0
/*
 * The behaviour engine: what the simulated driver does in each callback,
 * following the device's struct rsim_behaviour. Shared by the rpm_sim bus
 * driver and the platform driver, which only add their own layer around it.
 */
#include <linux/pm_runtime.h>
#include <linux/delay.h>
#include <linux/irqflags.h>

#include "internal.h"

/* Reload the one-shot counters from the behaviour; called when it is set. */
void rsim_drv_arm(struct rsim_dev *rsim)
{
	const struct rsim_behaviour *b = &rsim->beh;

	atomic_set(&rsim->fail_left, b->defer_count);
	atomic_set(&rsim->resume_err_left, b->resume_err_count);
	atomic_set(&rsim->suspend_err_left, b->suspend_err_count);
}

/* irq_safe runtime callbacks run with interrupts off: spin, do not sleep. */
static void rsim_delay(unsigned int us)
{
	if (!us)
		return;
	if (irqs_disabled())
		udelay(us);
	else
		usleep_range(us, us + us / 4 + 10);
}

/* A failed probe's errno: -EPROBE_DEFER unless the behaviour says other. */
static int rsim_probe_err(struct rsim_dev *rsim)
{
	return rsim->beh.probe_err ? rsim->beh.probe_err : -EPROBE_DEFER;
}

/*
 * The common probe: enable, get_sync, then either succeed with put (or
 * put_autosuspend) or fail. How it fails is the pattern under test.
 */
static int rsim_probe_rpm(struct rsim_dev *rsim, bool fail)
{
	const struct rsim_behaviour *b = &rsim->beh;
	int ret;

	if (b->probe == RSIM_PROBE_IRQ_SAFE)
		rsim_rpm(rsim, RSIM_EV_RPM_IRQ_SAFE);
	if (b->probe == RSIM_PROBE_AUTOSUSPEND)
		rsim_rpm(rsim, RSIM_EV_RPM_AUTOSUSPEND_ON);
	if (!pm_runtime_enabled(rsim->dev))
		rsim_rpm(rsim, RSIM_EV_RPM_ENABLE);

	ret = rsim_rpm(rsim, RSIM_EV_RPM_GET_SYNC);
	if (ret < 0) {
		rsim_rpm(rsim, RSIM_EV_RPM_PUT_NOIDLE);
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
		return ret;
	}

	if (!fail) {
		if (b->probe == RSIM_PROBE_AUTOSUSPEND)
			rsim_rpm(rsim, RSIM_EV_RPM_PUT_AUTOSUSPEND);
		else
			rsim_rpm(rsim, RSIM_EV_RPM_PUT);
		return 0;
	}

	if (b->probe == RSIM_PROBE_LEAK) {
		/* The bug: the reference from get_sync is never dropped. */
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
		return rsim_probe_err(rsim);
	}
	rsim_rpm(rsim, b->defer_put_sync ? RSIM_EV_RPM_PUT_SYNC : RSIM_EV_RPM_PUT);
	/* Left enabled, the state is the subsystem's business (RI-4). */
	if (!b->fail_keep_enabled)
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
	return rsim_probe_err(rsim);
}

int rsim_drv_probe(struct rsim_dev *rsim)
{
	bool fail;
	int ret;

	atomic_inc(&rsim->probe_count);
	rsim_log(rsim, RSIM_EV_PROBE, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_gate_pass(rsim, RSIM_GATE_PROBE);
	rsim->removed = false;

	fail = atomic_dec_if_positive(&rsim->fail_left) >= 0;
	switch (rsim->beh.probe) {
	case RSIM_PROBE_PLAIN:
		ret = fail ? rsim_probe_err(rsim) : 0;
		break;
	case RSIM_PROBE_SET_ACTIVE:
		/* Active, usage 0: the core's pm_request_idle() suspends it (TL-5). */
		rsim_rpm(rsim, RSIM_EV_RPM_SET_ACTIVE);
		rsim_rpm(rsim, RSIM_EV_RPM_ENABLE);
		ret = fail ? rsim_probe_err(rsim) : 0;
		break;
	default:
		ret = rsim_probe_rpm(rsim, fail);
		break;
	}

	rsim->bound = !ret;
	rsim_log(rsim, RSIM_EV_PROBE, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	return ret;
}

void rsim_drv_remove(struct rsim_dev *rsim)
{
	rsim_log(rsim, RSIM_EV_REMOVE, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_gate_pass(rsim, RSIM_GATE_REMOVE);
	rsim_work_cancel(rsim);

	switch (rsim->beh.remove) {
	case RSIM_REMOVE_DISABLE:
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
		break;
	case RSIM_REMOVE_SUSPEND:
		rsim_rpm(rsim, RSIM_EV_RPM_SUSPEND);
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
		break;
	case RSIM_REMOVE_PUT_SYNC:
		rsim_rpm(rsim, RSIM_EV_RPM_GET_SYNC);
		rsim_rpm(rsim, RSIM_EV_RPM_PUT_SYNC);
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
		break;
	case RSIM_REMOVE_PUT:
		rsim_rpm(rsim, RSIM_EV_RPM_GET_SYNC);
		rsim_rpm(rsim, RSIM_EV_RPM_PUT);
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
		break;
	case RSIM_REMOVE_FORCE_SUSPEND:
		rsim_rpm(rsim, RSIM_EV_RPM_FORCE_SUSPEND);
		break;
	case RSIM_REMOVE_NO_DISABLE:
	default:
		break;
	}
	if (rsim->beh.probe == RSIM_PROBE_AUTOSUSPEND)
		pm_runtime_dont_use_autosuspend(rsim->dev);

	rsim->bound = false;
	rsim->removed = true;
	rsim_log(rsim, RSIM_EV_REMOVE, RSIM_L_DRIVER, RSIM_P_EXIT, 0, 0);
}

/* Runtime PM callbacks of the driver */

static int rsim_drv_runtime_suspend(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	int ret = 0;

	rsim_log(rsim, RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	/* SD-3: after ->shutdown began, runtime PM must be blocked. */
	if (READ_ONCE(rsim->shutdown_started))
		rsim_shutdown_step(rsim, "runtime_suspend");
	rsim_gate_pass(rsim, RSIM_GATE_SUSPEND_ENTRY);
	rsim_delay(rsim->beh.suspend_delay_us);
	if (atomic_dec_if_positive(&rsim->suspend_err_left) >= 0)
		ret = rsim->beh.suspend_err;
	rsim_gate_pass(rsim, RSIM_GATE_SUSPEND_EXIT);
	rsim_log(rsim, RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	return ret;
}

static int rsim_drv_runtime_resume(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	int ret = 0;

	rsim_log(rsim, RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_gate_pass(rsim, RSIM_GATE_RESUME_ENTRY);
	rsim_delay(rsim->beh.resume_delay_us);
	if (atomic_dec_if_positive(&rsim->resume_err_left) >= 0)
		ret = rsim->beh.resume_err;
	rsim_gate_pass(rsim, RSIM_GATE_RESUME_EXIT);
	rsim_log(rsim, RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	if (!ret)
		rsim_work_kick(rsim);
	return ret;
}

static int rsim_drv_runtime_idle(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	rsim_log(rsim, RSIM_EV_RUNTIME_IDLE, RSIM_L_DRIVER, RSIM_P_MARK, 0, 0);
	return 0;
}

/* System sleep callbacks of the driver */

static int rsim_drv_sleep_cb(struct device *dev, enum rsim_ev ev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	const struct rsim_behaviour *b = &rsim->beh;
	int ret = 0;

	rsim_log(rsim, ev, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	switch (ev) {
	case RSIM_EV_PREPARE:
		ret = b->prepare_positive ? 1 : 0;
		break;
	case RSIM_EV_SUSPEND:
		if (READ_ONCE(rsim->hw_off))
			rsim_log(rsim, RSIM_EV_HW_ACCESS_OFF, RSIM_L_DRIVER,
				 RSIM_P_MARK, -EIO, 0);
		if (b->suspend_calls_resume)
			rsim_rpm(rsim, RSIM_EV_RPM_RESUME);
		if (b->force_sleep)
			ret = rsim_rpm(rsim, RSIM_EV_RPM_FORCE_SUSPEND);
		break;
	case RSIM_EV_SUSPEND_LATE:
		if (b->late_calls_resume)
			rsim_rpm(rsim, RSIM_EV_RPM_RESUME);
		break;
	case RSIM_EV_SUSPEND_NOIRQ:
		if (b->noirq_calls_resume)
			rsim_rpm(rsim, RSIM_EV_RPM_RESUME);
		break;
	case RSIM_EV_RESUME:
		if (b->force_sleep)
			ret = rsim_rpm(rsim, RSIM_EV_RPM_FORCE_RESUME);
		break;
	default:
		break;
	}
	rsim_log(rsim, ev, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	return ret;
}

static int rsim_drv_prepare(struct device *dev)
{
	return rsim_drv_sleep_cb(dev, RSIM_EV_PREPARE);
}

static void rsim_drv_complete(struct device *dev)
{
	rsim_drv_sleep_cb(dev, RSIM_EV_COMPLETE);
}

#define RSIM_DRV_SLEEP_OP(fn, ev)				\
static int rsim_drv_##fn(struct device *dev)			\
{								\
	return rsim_drv_sleep_cb(dev, ev);			\
}

RSIM_DRV_SLEEP_OP(suspend, RSIM_EV_SUSPEND)
RSIM_DRV_SLEEP_OP(suspend_late, RSIM_EV_SUSPEND_LATE)
RSIM_DRV_SLEEP_OP(suspend_noirq, RSIM_EV_SUSPEND_NOIRQ)
RSIM_DRV_SLEEP_OP(resume_noirq, RSIM_EV_RESUME_NOIRQ)
RSIM_DRV_SLEEP_OP(resume_early, RSIM_EV_RESUME_EARLY)
RSIM_DRV_SLEEP_OP(resume, RSIM_EV_RESUME)

const struct dev_pm_ops rsim_drv_pm_ops = {
	.prepare = rsim_drv_prepare,
	.complete = rsim_drv_complete,
	.suspend = rsim_drv_suspend,
	.resume = rsim_drv_resume,
	.freeze = rsim_drv_suspend,
	.thaw = rsim_drv_resume,
	.poweroff = rsim_drv_suspend,
	.restore = rsim_drv_resume,
	.suspend_late = rsim_drv_suspend_late,
	.resume_early = rsim_drv_resume_early,
	.freeze_late = rsim_drv_suspend_late,
	.thaw_early = rsim_drv_resume_early,
	.poweroff_late = rsim_drv_suspend_late,
	.restore_early = rsim_drv_resume_early,
	.suspend_noirq = rsim_drv_suspend_noirq,
	.resume_noirq = rsim_drv_resume_noirq,
	.freeze_noirq = rsim_drv_suspend_noirq,
	.thaw_noirq = rsim_drv_resume_noirq,
	.poweroff_noirq = rsim_drv_suspend_noirq,
	.restore_noirq = rsim_drv_resume_noirq,
	.runtime_suspend = rsim_drv_runtime_suspend,
	.runtime_resume = rsim_drv_runtime_resume,
	.runtime_idle = rsim_drv_runtime_idle,
};
