// SPDX-License-Identifier: GPL-2.0
/*
 * The behaviour engine: what the simulated driver does in each callback,
 * following the device's struct rsim_behaviour. Shared by the rpm_sim bus
 * drivers and the platform driver, which only add their own layer around
 * it.
 */
#include <linux/pm_runtime.h>
#include <linux/pm_wakeup.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/sched.h>
#include <linux/pid.h>

#include "internal.h"

/*
 * irq_safe runtime callbacks run with interrupts off: there a delay spins,
 * and no longer than this, whatever the behaviour asks.
 */
#define RSIM_MAX_ATOMIC_DELAY_US	1000

static void rsim_delay(unsigned int us)
{
	if (!us)
		return;
	if (irqs_disabled())
		udelay(min(us, RSIM_MAX_ATOMIC_DELAY_US));
	else
		usleep_range(us, us + us / 4 + 10);
}

/* A failed probe's errno: -EPROBE_DEFER unless the behaviour says other. */
static int rsim_probe_err(const struct rsim_behaviour *b)
{
	return b->probe_err ? b->probe_err : -EPROBE_DEFER;
}

static const enum rsim_ev rsim_fail_put_call[RSIM_FAIL_PUT_NR] = {
	[RSIM_FAIL_PUT] = RSIM_EV_RPM_PUT,
	[RSIM_FAIL_PUT_SYNC] = RSIM_EV_RPM_PUT_SYNC,
	[RSIM_FAIL_PUT_NOIDLE] = RSIM_EV_RPM_PUT_NOIDLE,
};

/*
 * The common probe: enable, get_sync, then either succeed with put (or
 * put_autosuspend) or fail. How it fails is the pattern under test.
 */
static int rsim_probe_rpm(struct rsim_dev *rsim, const struct rsim_behaviour *b,
			  bool fail)
{
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
		return rsim_probe_err(b);
	}
	rsim_rpm(rsim, rsim_fail_put_call[b->fail_put]);
	/* Left enabled, the state is the subsystem's business (RI-4). */
	if (!b->fail_keep_enabled)
		rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
	return rsim_probe_err(b);
}

/*
 * Active with usage 0, the core's pm_request_idle() after probe suspends
 * it (TL-5). A failed attempt leaves it as it found it: disabled and
 * suspended, the parent's child count dropped again.
 */
static int rsim_probe_set_active(struct rsim_dev *rsim, const struct rsim_behaviour *b,
				 bool fail)
{
	int ret;

	if (pm_runtime_enabled(rsim->dev)) {
		dev_err(rsim->dev, "rpm_sim: probe=set_active: runtime PM already enabled\n");
		return -EBUSY;
	}
	ret = rsim_rpm(rsim, RSIM_EV_RPM_SET_ACTIVE);
	if (ret)
		return ret;
	if (fail) {
		rsim_rpm(rsim, RSIM_EV_RPM_SET_SUSPENDED);
		return rsim_probe_err(b);
	}
	rsim_rpm(rsim, RSIM_EV_RPM_ENABLE);
	return 0;
}

/*
 * The devres way: active and enabled, and a reference held while bound,
 * all given back by devres when the driver goes (after ->remove, before
 * UNBOUND_DRIVER) or when the probe fails: then disabled, suspended, the
 * reference dropped (RI-7).
 */
static int rsim_probe_devm(struct rsim_dev *rsim, const struct rsim_behaviour *b,
			   bool fail)
{
	int ret = rsim_devm_pm_runtime_active_in_use(rsim->dev);

	if (ret == -EOPNOTSUPP)
		dev_err(rsim->dev, "rpm_sim: probe=devm: this tree has no devm_pm_runtime_set_active_enabled() (v6.16)\n");
	if (ret)
		return ret;
	return fail ? rsim_probe_err(b) : 0;
}

/* A wakeup-capable device, wakeup enabled, as drivers set it up. */
static void rsim_probe_wakeup(struct rsim_dev *rsim)
{
	int ret = device_init_wakeup(rsim->dev, true);

	if (ret)
		dev_warn(rsim->dev, "rpm_sim: wakeup=1: device_init_wakeup() failed: %d\n", ret);
	/* Undone at ->remove either way: it may have left it capable. */
	rsim->probe_wakeup = true;
}

int rsim_drv_probe(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;
	bool fail;
	int ret;

	atomic_inc(&rsim->probe_count);
	/* As drivers do; the driver core must clear it at unbind (lifecycle.c). */
	dev_set_drvdata(rsim->dev, rsim);
	rsim_log(rsim, RSIM_EV_PROBE, RSIM_L_DRIVER, RSIM_P_ENTER, 0,
		 task_pid_nr(current));
	rsim_lc_probe(rsim, true, 0);
	rsim_gate_pass(rsim, RSIM_GATE_PROBE);

	fail = rsim_behaviour_take(rsim, &rsim->fail_left, &b);
	/*
	 * Only when asked, as drivers do: device_unbind_cleanup() must clear
	 * what an earlier probe set, and a probe that set 0 would hide it.
	 */
	if (b.dpm_flags)
		dev_pm_set_driver_flags(rsim->dev, b.dpm_flags);
	/* The core never clears it, nor puts back the sysfs files it drops. */
	if (b.no_callbacks)
		pm_runtime_no_callbacks(rsim->dev);
	switch (b.probe) {
	case RSIM_PROBE_PLAIN:
		ret = fail ? rsim_probe_err(&b) : 0;
		break;
	case RSIM_PROBE_SET_ACTIVE:
		ret = rsim_probe_set_active(rsim, &b, fail);
		break;
	case RSIM_PROBE_DEVM:
		ret = rsim_probe_devm(rsim, &b, fail);
		break;
	default:
		ret = rsim_probe_rpm(rsim, &b, fail);
		break;
	}

	if (!ret)
		rsim_work_open(rsim);
	if (!ret && b.wakeup)
		rsim_probe_wakeup(rsim);
	/* The bug: nothing gives it back (attach's parent_not_back finds it). */
	if (!ret && b.leak_parent && rsim->dev->parent)
		pm_runtime_get_noresume(rsim->dev->parent);
	rsim->probe_autosuspend = !ret && b.probe == RSIM_PROBE_AUTOSUSPEND;
	rsim->probe_devm = !ret && b.probe == RSIM_PROBE_DEVM;
	WRITE_ONCE(rsim->bound, !ret);
	rsim_lc_probe(rsim, false, ret);
	rsim_log(rsim, RSIM_EV_PROBE, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	return ret;
}

void rsim_drv_remove(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;

	rsim_log(rsim, RSIM_EV_REMOVE, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_lc_remove(rsim, true);
	rsim_gate_pass(rsim, RSIM_GATE_REMOVE);
	rsim_work_cancel(rsim);
	rsim_behaviour_get(rsim, &b);
	/* Its probe left the undoing to devres: remove= does not apply. */
	if (rsim->probe_devm)
		b.remove = RSIM_REMOVE_NO_DISABLE;

	switch (b.remove) {
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
	if (rsim->probe_autosuspend)
		rsim_rpm(rsim, RSIM_EV_RPM_AUTOSUSPEND_OFF);
	if (rsim->probe_wakeup)
		device_init_wakeup(rsim->dev, false);
	rsim->probe_autosuspend = false;
	rsim->probe_wakeup = false;
	rsim->probe_devm = false;

	WRITE_ONCE(rsim->bound, false);
	rsim_lc_remove(rsim, false);
	rsim_log(rsim, RSIM_EV_REMOVE, RSIM_L_DRIVER, RSIM_P_EXIT, 0, 0);
}

/* The driver's own ->shutdown; the order it runs in is async_shutdown.c's. */
void rsim_drv_shutdown(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;

	rsim_behaviour_get(rsim, &b);
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_shutdown_step(rsim, "begin");
	if (b.shutdown_delay_ms)
		msleep(b.shutdown_delay_ms);
	rsim_shutdown_step(rsim, "end");
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_DRIVER, RSIM_P_EXIT, 0, 0);
}

/* Runtime PM callbacks of the driver */

static int rsim_engine_runtime_suspend(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;
	bool fail;
	int ret = 0;

	rsim_log(rsim, RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	/* SD-3: after ->shutdown began, runtime PM must be blocked. */
	if (READ_ONCE(rsim->shutdown_started))
		rsim_shutdown_step(rsim, "runtime_suspend");
	rsim_gate_pass(rsim, RSIM_GATE_SUSPEND_ENTRY);
	fail = rsim_behaviour_take(rsim, &rsim->suspend_err_left, &b);
	rsim_delay(b.suspend_delay_us);
	if (fail)
		ret = b.suspend_err;
	rsim_log(rsim, RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	return ret;
}

static int rsim_engine_runtime_resume(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;
	bool fail;
	int ret = 0;

	rsim_log(rsim, RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_gate_pass(rsim, RSIM_GATE_RESUME_ENTRY);
	fail = rsim_behaviour_take(rsim, &rsim->resume_err_left, &b);
	rsim_delay(b.resume_delay_us);
	if (fail)
		ret = b.resume_err;
	rsim_work_resume_end(rsim, ret);
	rsim_gate_pass(rsim, RSIM_GATE_RESUME_EXIT);
	rsim_log(rsim, RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	return ret;
}

static int rsim_engine_runtime_idle(struct rsim_dev *rsim)
{
	rsim_log(rsim, RSIM_EV_RUNTIME_IDLE, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_gate_pass(rsim, RSIM_GATE_IDLE);
	rsim_log(rsim, RSIM_EV_RUNTIME_IDLE, RSIM_L_DRIVER, RSIM_P_EXIT, 0, 0);
	return 0;
}

/* System sleep callbacks of the driver */

/*
 * A resume request made in a system-sleep callback stays queued up to
 * v6.19: pm_wq is freezable, frozen before ->prepare and thawed after
 * ->complete (from v7.0, 4fb352df14de, it is not). What resumes the device
 * then is the core's pm_runtime_barrier() before ->suspend
 * (prepare_calls_get), or the driver's own pm_runtime_disable()
 * (suspend_calls_disable): each carries out a pending resume request.
 * A request made in ->suspend (suspend_calls_get) meets no barrier: up to
 * v6.19 the late phase's __pm_runtime_disable(dev, false) drops it.
 */
static void rsim_suspend_disable_pending(struct rsim_dev *rsim)
{
	rsim_rpm(rsim, RSIM_EV_RPM_GET);
	rsim_rpm(rsim, RSIM_EV_RPM_DISABLE);
	rsim_rpm(rsim, RSIM_EV_RPM_ENABLE);
	rsim_rpm(rsim, RSIM_EV_RPM_PUT_NOIDLE);
}

static bool rsim_sleep_fails(const struct rsim_behaviour *b, enum rsim_ev ev)
{
	switch (b->sleep_fail) {
	case RSIM_SLEEP_FAIL_PREPARE:
		return ev == RSIM_EV_PREPARE;
	case RSIM_SLEEP_FAIL_SUSPEND:
		return ev == RSIM_EV_SUSPEND;
	case RSIM_SLEEP_FAIL_SUSPEND_LATE:
		return ev == RSIM_EV_SUSPEND_LATE;
	case RSIM_SLEEP_FAIL_SUSPEND_NOIRQ:
		return ev == RSIM_EV_SUSPEND_NOIRQ;
	default:
		return false;
	}
}

/* device_for_each_child(): -EBUSY while @dev or one below it is suspended. */
static int rsim_suspended_below(struct device *dev, void *unused)
{
	if (dev->power.is_suspended)
		return -EBUSY;
	return device_for_each_child(dev, NULL, rsim_suspended_below);
}

/*
 * resume_waits_subtree: hold the device's system ->resume until the PM core
 * has begun the resume of every device below it (device_resume() clears
 * power.is_suspended before it waits for the device's parent and
 * suppliers), so that those waits are known to have started when ->resume
 * returns. This orders what a resume walk otherwise leaves to a race: on
 * v6.1, whose dpm_resume() schedules an async device only when its walk
 * reaches it, whether an async child looks at its supplier's completion
 * before or after the walk re-arms it. Bounded by gate_timeout_ms.
 */
static void rsim_wait_subtree_resuming(struct rsim_dev *rsim)
{
	unsigned long end = jiffies + msecs_to_jiffies(rsim_gate_timeout_ms);
	int ret;

	while ((ret = device_for_each_child(rsim->dev, NULL, rsim_suspended_below)) &&
	       time_before(jiffies, end))
		usleep_range(100, 200);
	if (ret)
		pr_warn("rpm_sim: %s: a device below it still suspended after %u ms, resuming anyway\n",
			rsim->name, rsim_gate_timeout_ms);
	rsim_log(rsim, RSIM_EV_SUBTREE_RESUMING, RSIM_L_HARNESS, RSIM_P_MARK,
		 ret ? -ETIMEDOUT : 0, 0);
}

static int rsim_engine_sleep_cb(struct rsim_dev *rsim, enum rsim_ev ev)
{
	struct rsim_behaviour b;
	int ret = 0;

	rsim_behaviour_get(rsim, &b);
	rsim_log(rsim, ev, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	/* Slow callbacks: a wait the core leaves out shows as an overlap. */
	if (ev != RSIM_EV_PREPARE && ev != RSIM_EV_COMPLETE)
		rsim_delay(b.sleep_delay_ms * USEC_PER_MSEC);
	switch (ev) {
	case RSIM_EV_PREPARE:
		if (b.prepare_calls_idle)
			rsim_rpm(rsim, RSIM_EV_RPM_IDLE);
		if (b.prepare_calls_get)
			rsim_rpm(rsim, RSIM_EV_RPM_GET);
		ret = b.prepare_positive ? 1 : 0;
		break;
	case RSIM_EV_SUSPEND:
		if (READ_ONCE(rsim->hw_off))
			rsim_log(rsim, RSIM_EV_HW_ACCESS_OFF, RSIM_L_DRIVER,
				 RSIM_P_MARK, -EIO, 0);
		if (b.suspend_calls_resume)
			rsim_rpm(rsim, RSIM_EV_RPM_RESUME);
		if (b.suspend_calls_disable)
			rsim_suspend_disable_pending(rsim);
		if (b.suspend_calls_get)
			rsim_rpm(rsim, RSIM_EV_RPM_GET);
		if (b.force_sleep)
			ret = rsim_rpm(rsim, RSIM_EV_RPM_FORCE_SUSPEND);
		break;
	case RSIM_EV_SUSPEND_LATE:
		if (b.late_calls_resume)
			rsim_rpm(rsim, RSIM_EV_RPM_RESUME);
		break;
	case RSIM_EV_SUSPEND_NOIRQ:
		if (b.noirq_calls_resume)
			rsim_rpm(rsim, RSIM_EV_RPM_RESUME);
		break;
	case RSIM_EV_RESUME:
		if (b.resume_waits_subtree)
			rsim_wait_subtree_resuming(rsim);
		if (b.force_sleep)
			ret = rsim_rpm(rsim, RSIM_EV_RPM_FORCE_RESUME);
		break;
	case RSIM_EV_COMPLETE:
		if (b.prepare_calls_get)
			rsim_rpm(rsim, RSIM_EV_RPM_PUT);
		if (b.suspend_calls_get)
			rsim_rpm(rsim, RSIM_EV_RPM_PUT);
		break;
	default:
		break;
	}
	if (rsim_sleep_fails(&b, ev)) {
		ret = -EIO;
		/* What qemu/run.py reads to expect the PM core's reports of it. */
		pr_info("rpm_sim: %s: %s fails with %d as told (sleep_fail)\n",
			rsim->name, rsim_ev_name(ev), ret);
	}
	rsim_log(rsim, ev, RSIM_L_DRIVER, RSIM_P_EXIT, ret, 0);
	return ret;
}

static int rsim_drv_dispatch(struct device *dev, enum rsim_ev ev, size_t off)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	switch (ev) {
	case RSIM_EV_RUNTIME_SUSPEND:
		return rsim_engine_runtime_suspend(rsim);
	case RSIM_EV_RUNTIME_RESUME:
		return rsim_engine_runtime_resume(rsim);
	case RSIM_EV_RUNTIME_IDLE:
		return rsim_engine_runtime_idle(rsim);
	default:
		return rsim_engine_sleep_cb(rsim, ev);
	}
}

RSIM_DEFINE_PM_CALLBACKS(rsim_drv);

const struct dev_pm_ops rsim_drv_pm_ops = RSIM_PM_OPS_INIT(rsim_drv);
