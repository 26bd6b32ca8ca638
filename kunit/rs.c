// SPDX-License-Identifier: GPL-2.0
/*
 * RS: rules the runtime PM core keeps for one device, whatever its driver
 * does (drivers/base/power/runtime.c, 6.1 and 6.12):
 *
 * RS-1: pm_runtime_get_if_in_use() takes a reference only on an active
 *       device that is in use, pm_runtime_get_if_active() on any active
 *       device; neither on a suspended one (0), and with runtime PM
 *       disabled both return -EINVAL with the count untouched. "In use"
 *       includes active children the device does not ignore since
 *       51888393cc64 ("PM: runtime: Take active children into account in
 *       pm_runtime_get_if_in_use()", v6.17, a fix for every stable from
 *       5.10).
 * RS-2: a successful resume stamps last_busy, so an autosuspend delay
 *       counts from the resume.
 * RS-3: with runtime PM disabled, a resume returns 1 only when the device
 *       was active when it was disabled and still is; otherwise -EACCES
 *       (c24efa673278, "PM: runtime: Capture device status before
 *       disabling runtime PM", v5.17). No callback runs either way.
 * RS-4: the put variants: pm_runtime_put_sync() asks ->runtime_idle first,
 *       pm_runtime_put_sync_suspend() goes straight to ->runtime_suspend,
 *       pm_runtime_put_noidle() runs nothing, and none of them suspends a
 *       device still in use. With autosuspend, the _autosuspend variants
 *       wait for the delay (the timer is armed, the device stays active)
 *       while pm_runtime_put_sync_suspend() does not; the timer
 *       computes its expiry again when it fires.
 * RS-5: pm_runtime_forbid() resumes the device at once and holds one
 *       reference however often it is called; pm_runtime_allow() gives
 *       that one reference back and lets the device idle (the power/control
 *       file's "on" and "auto", CT-1).
 * RS-6: pm_runtime_force_resume() resumes what pm_runtime_force_suspend()
 *       left for it (needs_force_resume), though the usage count fell in
 *       between, so the parent's count of active children, which
 *       force_suspend() kept for that resume, stays paired (c745253e2a69,
 *       "PM: runtime: Fix unpaired parent child_count for force_resume",
 *       v5.13).
 * RS-7: a suspend that meets one in progress: an asynchronous one returns
 *       -EINPROGRESS, a synchronous one waits for it and finds the device
 *       suspended (1); but once a resume was asked for meanwhile (deferred
 *       behind the suspend), every suspend returns -EAGAIN at once, and the
 *       resume runs when the suspend ends, unless the suspend fails: then
 *       the resume is dropped with it, the device being active anyway
 *       (rpm_check_suspend_allowed(), rpm_suspend(), 6.1 and 6.12 alike).
 * RS-8: a put that drops the usage count to 0 on a device already
 *       suspended runs no callback and returns 1 since d0b8651a0261 ("PM:
 *       runtime: Make put{,_sync}() return 1 when already suspended",
 *       v6.18), -EAGAIN before; an idle check without a put says -EAGAIN
 *       there on every kernel, and a put that leaves users 0.
 * RS-9: a callback's error, as the caller gets it and as it sticks in
 *       runtime_error (which refuses every later call with -EINVAL until
 *       the status is set again). Since 72263869656d ("PM: runtime: Unify
 *       error handling during suspend and resume", v6.15) -EACCES comes
 *       back as -EAGAIN and -EAGAIN, -EBUSY never stick; before, -EACCES
 *       came back as -EIO, every error of a resume stuck and a failed
 *       suspend unstuck only -EAGAIN and -EBUSY. Other errors stick on
 *       both sides.
 * RS-10: pm_runtime_get_active(dev, RPM_TRANSPARENT) (v6.18, 9a0abc39450a)
 *       takes a reference and succeeds on a device whose runtime PM is
 *       disabled, without resuming it; without the flag it gives the
 *       reference back and returns -EACCES, as pm_runtime_resume_and_get()
 *       does; on an enabled device both resume it and keep the reference.
 * RS-11: pm_runtime_no_callbacks(): no runtime PM callback of any layer
 *       runs; a resume with the parent active skips the parent and
 *       answers 1 (rpm_resume(), 6.1 and 6.12 alike).
 * RS-13: the runtime PM guards (v6.18) give back, when their scope ends,
 *       the one reference they took, also when the resume failed:
 *       pm_runtime_active (get_sync, put: an idle check), _auto (get_sync,
 *       put_autosuspend: no idle callback, the autosuspend timer),
 *       pm_runtime_noresume (get_noresume, put_noidle: no callback at all).
 * RS-14: a resume latency of 0 in the device's PM QoS (no time to resume
 *       at all) forbids runtime suspend: every suspend and idle check
 *       answers -EPERM and runs no callback, on a suspended device too (the
 *       check comes before the status one in rpm_check_suspend_allowed());
 *       resumes go on; any other value forbids nothing (0cc2b4e5a020, "PM /
 *       QoS: Fix device resume latency PM QoS", 2017: 0 means no latency at
 *       all, S32_MAX no constraint; 6.1 and 6.12 alike).
 */
#include <kunit/test.h>
#include <linux/pm_qos.h>

#include "compat.h"
#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

/* RS-1 on one device: suspended, active in use, active idle, disabled. */
static void rs1_conditional_gets(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs1", NULL, false);
	struct device *dev = rsim_dev_device(rsim);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_IN_USE), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_ACTIVE), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_IN_USE), 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_ACTIVE), 1);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 3, 0, 0);

	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_IN_USE), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_ACTIVE), 1);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);

	rsim_rpm_call(rsim, RSIM_EV_RPM_DISABLE);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_IN_USE), -EINVAL);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_IF_ACTIVE), -EINVAL);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_ENABLE);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * RS-1: a parent kept active by its child alone (usage 0) is in use,
 * unless it ignores its children.
 */
static void rs1_in_use_by_child(struct kunit *test, bool ignore_children)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "rs1c_par", NULL, ignore_children);
	struct rsim_dev *child = rsim_kunit_ready_child(test, "rs1c_child", par, false);
	struct device *pdev = rsim_dev_device(par);
	int ret;

	/* The child does not resume a parent that ignores it: do it here. */
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(par, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(par, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);

	ret = rsim_rpm_call(par, RSIM_EV_RPM_GET_IF_IN_USE);
	if (ignore_children)
		KUNIT_EXPECT_EQ_MSG(test, ret, 0,
				    "a child counted although the parent ignores its children");
	else
		KUNIT_EXPECT_EQ_MSG(test, ret, 1,
				    "an active child does not make its parent in use: the tree lacks upstream 51888393cc64 (\"PM: runtime: Take active children into account in pm_runtime_get_if_in_use()\")");
	/* The count follows the answer, whichever it was. */
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, ret > 0 ? 1 : 0, 1, 0);
	if (ret > 0)
		rsim_rpm_call(par, RSIM_EV_RPM_PUT_NOIDLE);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_PUT_SYNC), 0);
	if (ignore_children)
		KUNIT_EXPECT_EQ(test, rsim_rpm_call(par, RSIM_EV_RPM_IDLE), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(pdev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

static void rs1_active_child_makes_parent_in_use(struct kunit *test)
{
	rs1_in_use_by_child(test, false);
}

static void rs1_ignored_child_does_not(struct kunit *test)
{
	rs1_in_use_by_child(test, true);
}

/* RS-2: last_busy is stamped between the get's call and its return. */
static void rs2_resume_marks_last_busy(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs2", NULL, false);
	struct device *dev = rsim_dev_device(rsim);
	u64 old = rsim_pm(dev).last_busy;
	u64 before, after, busy;

	before = ktime_get_mono_fast_ns();
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	after = ktime_get_mono_fast_ns();
	busy = rsim_pm(dev).last_busy;
	KUNIT_EXPECT_GE_MSG(test, busy, before,
			    "last_busy not stamped by the resume (it was %llu)", old);
	KUNIT_EXPECT_LE(test, busy, after);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

static void rs3_expect_last_status(struct kunit *test, struct device *dev,
				   const char *want)
{
	KUNIT_EXPECT_STREQ_MSG(test, rsim_status_name(rsim_pm(dev).last_status), want,
			       "last_status after pm_runtime_disable()");
}

/*
 * RS-3 on a bound device: active at disable, then marked suspended; and
 * suspended at disable, then marked active.
 */
static void rs3_disabled_resume_trusts_status_at_disable(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs3", NULL, false);
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	mark = rsim_evlog_mark();
	rsim_rpm_call(rsim, RSIM_EV_RPM_DISABLE);
	rs3_expect_last_status(test, dev, "active");
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 1);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 2, 0, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);

	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), -EACCES);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_ENABLE);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	rsim_rpm_call(rsim, RSIM_EV_RPM_DISABLE);
	rs3_expect_last_status(test, dev, "suspended");
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SET_ACTIVE), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), -EACCES);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
	rsim_rpm_call(rsim, RSIM_EV_RPM_ENABLE);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
}

/* RS-3 on a device whose runtime PM was never enabled: nothing was captured. */
static void rs3_never_enabled_resume_refused(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "rs3n"),
		.no_bind = true,
	};
	struct rsim_dev *rsim;
	struct device *dev;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_dev(test, &cfg);
	dev = rsim_dev_device(rsim);
	KUNIT_EXPECT_STREQ(test, rsim_status_name(rsim_pm(dev).last_status), "invalid");
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SET_ACTIVE), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), -EACCES);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
}

/* RS-4: which callbacks a put runs, by variant, on a device in use or not */
static void rs4_put_variants(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs4", NULL, false);
	const char *name = rsim_dev_name(rsim);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_event idle, susp;
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC_SUSPEND), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_IDLE,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_IDLE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &idle));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_SUSPEND,
						RSIM_L_DRIVER, RSIM_P_ENTER, mark, 0, &susp));
	KUNIT_EXPECT_LT(test, idle.seq, susp.seq);

	/* Still in use after the put: nothing runs, whichever variant. */
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_GET_NORESUME);
	rsim_rpm_call(rsim, RSIM_EV_RPM_GET_NORESUME);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC_SUSPEND), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * RS-4 with autosuspend, a delay far longer than the case: a put that
 * honours it arms the timer and leaves the device active; one that does
 * not suspends it at once.
 */
static void rs4_autosuspend_puts(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "rs4a"),
		.beh = { .probe = RSIM_PROBE_GET_PUT, .autosuspend_ms = 60000 },
	};
	struct rsim_dev *rsim;
	struct device *dev;
	u64 mark;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_ready(test, &cfg);
	dev = rsim_dev_device(rsim);
	rsim_rpm_call(rsim, RSIM_EV_RPM_AUTOSUSPEND_ON);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);

	mark = rsim_evlog_mark();
	rsim_rpm_call(rsim, RSIM_EV_RPM_MARK_LAST_BUSY);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC_AUTOSUSPEND), 0);
	RSIM_EXPECT_PM_F(test, dev, RPM_ACTIVE, 0, 0, 0, RSIM_PM_PENDING);
	KUNIT_EXPECT_TRUE(test, rsim_pm(dev).timer_armed);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_AUTOSUSPEND), 0);
	RSIM_EXPECT_PM_F(test, dev, RPM_ACTIVE, 0, 0, 0, RSIM_PM_PENDING);
	KUNIT_EXPECT_TRUE(test, rsim_pm(dev).timer_armed);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC_SUSPEND), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).timer_armed);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_AUTOSUSPEND_OFF);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

#define RS4_DELAY_MS	300
#define RS4_LONG_MS	60000

struct rs4_timer {
	struct device *dev;
	u64 first;		/* the expiry the put armed */
};

/* The timer armed for @first has fired, or the device left RPM_ACTIVE. */
static bool rs4_timer_fired(void *data)
{
	const struct rs4_timer *t = data;
	u64 expires;
	int status;

	spin_lock_irq(&t->dev->power.lock);
	expires = t->dev->power.timer_expires;
	status = t->dev->power.runtime_status;
	spin_unlock_irq(&t->dev->power.lock);
	return status != RPM_ACTIVE || expires != t->first;
}

static u64 rs4_timer_expires(struct device *dev)
{
	u64 expires;

	spin_lock_irq(&dev->power.lock);
	expires = dev->power.timer_expires;
	spin_unlock_irq(&dev->power.lock);
	return expires;
}

/*
 * RS-4: the autosuspend timer computes its expiry again when it fires,
 * from last_busy and the delay as they are then (pm_suspend_timer_fn()
 * asks rpm_suspend() with RPM_AUTO): a delay made longer after the put
 * armed the timer makes it arm itself again for last_busy plus the new
 * delay instead of suspending (a growing delay leaves the armed timer as
 * it is, update_autosuspend()). A delay made short again suspends the
 * device at once. A host that stalls past the first expiry before the
 * delay grows tries again.
 */
static void rs4_timer_recomputes_expiry(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "rs4t"),
		.beh = { .probe = RSIM_PROBE_GET_PUT, .autosuspend_ms = RS4_DELAY_MS },
	};
	struct rsim_dev *rsim;
	struct rs4_timer t;
	int tries = 3;
	u64 mark, want;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_ready(test, &cfg);
	t.dev = rsim_dev_device(rsim);
	rsim_rpm_call(rsim, RSIM_EV_RPM_AUTOSUSPEND_ON);
	do {
		KUNIT_ASSERT_GT_MSG(test, tries--, 0,
				    "the timer fired every time before the delay could grow");
		pm_runtime_set_autosuspend_delay(t.dev, RS4_DELAY_MS);
		KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(t.dev, RPM_SUSPENDED,
							       RS4_DELAY_MS + RSIM_WAIT_MS));
		KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
		mark = rsim_evlog_mark();
		KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_AUTOSUSPEND), 0);
		t.first = rs4_timer_expires(t.dev);
		KUNIT_ASSERT_NE_MSG(test, t.first, 0, "put_autosuspend armed no timer");
		pm_runtime_set_autosuspend_delay(t.dev, RS4_LONG_MS);
	} while (rs4_timer_expires(t.dev) != t.first);
	want = rsim_pm(t.dev).last_busy + (u64)RS4_LONG_MS * NSEC_PER_MSEC;

	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_until(rs4_timer_fired, &t,
						      RS4_DELAY_MS + RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ_MSG(test, rsim_pm(t.dev).runtime_status, RPM_ACTIVE,
			    "the timer suspended the device though its delay had grown");
	KUNIT_EXPECT_EQ_MSG(test, rs4_timer_expires(t.dev), want,
			    "the timer did not arm itself again for the longer delay");
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim), RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 0);

	pm_runtime_set_autosuspend_delay(t.dev, RS4_DELAY_MS);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(t.dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, t.dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim), RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_AUTOSUSPEND_OFF);
}

/* RS-5: forbid twice, allow twice: one reference, resumed at once, idled after. */
static void rs5_forbid_allow_balanced(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs5", NULL, false);
	const char *name = rsim_dev_name(rsim);
	struct device *dev = rsim_dev_device(rsim);
	u64 mark = rsim_evlog_mark();

	rsim_rpm_call(rsim, RSIM_EV_RPM_FORBID);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_FORBID);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), -EAGAIN);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);

	rsim_rpm_call(rsim, RSIM_EV_RPM_ALLOW);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_ALLOW);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
}

/* RS-6: force_suspend with two users, both gone before force_resume. */
static void rs6_force_resume_what_force_suspend_left(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "rs6_par", NULL, false);
	struct rsim_dev *kid = rsim_kunit_ready_child(test, "rs6_kid", par, false);
	struct device *pdev = rsim_dev_device(par);
	struct device *dev = rsim_dev_device(kid);
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(kid, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(kid, RSIM_EV_RPM_GET_NORESUME);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 2, 0, 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);

	/* Two users: it cannot conclude that the kid need not resume. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(kid, RSIM_EV_RPM_FORCE_SUSPEND), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 2, 0, 1);
	KUNIT_EXPECT_TRUE(test, rsim_pm(dev).needs_force_resume);
	/* The parent goes on counting the kid, for the resume to come. */
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);

	rsim_rpm_call(kid, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(kid, RSIM_EV_RPM_PUT_NOIDLE);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(kid, RSIM_EV_RPM_FORCE_RESUME), 0);
	KUNIT_EXPECT_EQ_MSG(test, rsim_pm(dev).runtime_status, RPM_ACTIVE,
			    "force_resume() left the kid suspended while its parent counts it active: the tree lacks upstream c745253e2a69 (\"PM: runtime: Fix unpaired parent child_count for force_resume\")");
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).needs_force_resume);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(kid), RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);

	/* Nobody uses it: the kid goes down, then its parent, counts with them. */
	rsim_rpm_call(kid, RSIM_EV_RPM_IDLE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(pdev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

static int rs7_suspend_fn(void *rsim)
{
	return rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND);
}

/*
 * RS-6, its error path: a force_suspend() whose ->runtime_suspend fails
 * returns the error and leaves the device as it was, runtime PM enabled
 * again and nothing left for a force_resume().
 */
static void rs6_failed_force_suspend_reenables(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs6f", NULL, false);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_behaviour beh = {
		.probe = RSIM_PROBE_GET_PUT, .suspend_err = -EIO, .suspend_err_count = 1,
	};

	rsim_kunit_make_active(test, rsim);
	rsim_dev_set_behaviour(rsim, &beh);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_FORCE_SUSPEND), -EIO);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).needs_force_resume);
	/* Enabled: an idle check takes it down now. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_IDLE), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* A get_put driver whose next ->runtime_suspend answers -EBUSY, once */
static const struct rsim_behaviour rs7_suspend_busy_once = {
	.probe = RSIM_PROBE_GET_PUT,
	.suspend_err = -EBUSY,
	.suspend_err_count = 1,
};

/* RS-7 */
static void rs7_suspend_meets_suspend_in_progress(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs7", NULL, false);
	struct device *dev = rsim_dev_device(rsim);
	const char *name = rsim_dev_name(rsim);
	struct rsim_kunit_thread *t;
	struct rsim_event ex, res;
	u64 mark;

	mark = rsim_kunit_hold_suspending(test, rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_AUTOSUSPEND), -EINPROGRESS);
	t = rsim_kunit_run(test, rs7_suspend_fn, rsim);
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_wait_waiter(dev, RSIM_WAIT_MS),
			      "a synchronous suspend did not wait for the one in progress");
	rsim_gate_release(rsim, RSIM_GATE_SUSPEND_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ(test, rsim_kunit_thread_ret(t), 1);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);

	/* A resume asked for while it suspends wins over later suspends. */
	mark = rsim_kunit_hold_suspending(test, rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_RESUME), 0);
	KUNIT_EXPECT_TRUE(test, rsim_pm(dev).deferred_resume);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_AUTOSUSPEND), -EAGAIN);
	/* Joined while the suspend is still held: it did not wait. */
	t = rsim_kunit_run(test, rs7_suspend_fn, rsim);
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_join(t, RSIM_WAIT_MS),
			      "a suspend waited although a resume is deferred behind the one in progress");
	KUNIT_EXPECT_EQ(test, rsim_kunit_thread_ret(t), -EAGAIN);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_status, RPM_SUSPENDING);
	rsim_gate_release(rsim, RSIM_GATE_SUSPEND_ENTRY);
	/*
	 * The suspend ends and, under the same lock, the deferred resume
	 * starts; an idle request after it takes the device down again.
	 */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_SUSPEND,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &ex));
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_RESUME,
						    RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &res),
			      "the resume deferred behind the suspend never ran");
	KUNIT_EXPECT_LT(test, ex.seq, res.seq);

	/*
	 * A suspend that fails drops the resume deferred behind it (the
	 * device is active again anyway), so the next suspend goes through.
	 */
	rsim_dev_set_behaviour(rsim, &rs7_suspend_busy_once);
	mark = rsim_kunit_hold_suspending(test, rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_RESUME), 0);
	KUNIT_EXPECT_TRUE(test, rsim_pm(dev).deferred_resume);
	rsim_gate_release(rsim, RSIM_GATE_SUSPEND_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_ACTIVE, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_FALSE_MSG(test, rsim_pm(dev).deferred_resume,
			       "the failed suspend left its deferred resume behind");
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 0);
}

/* RS-8 */
static void rs8_put_finds_suspended(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs8", NULL, false);
	struct device *dev = rsim_dev_device(rsim);
	u64 mark = rsim_evlog_mark();

	rsim_rpm_call(rsim, RSIM_EV_RPM_GET_NORESUME);
	KUNIT_EXPECT_EQ_MSG(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC),
			    RSIM_RPM_PUT_SUSPENDED_RET,
			    "pm_runtime_put_sync() of a suspended device (1 since d0b8651a0261, v6.18)");
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	rsim_rpm_call(rsim, RSIM_EV_RPM_GET_NORESUME);
	RSIM_EXPECT_RET(test, rsim, RSIM_EV_RPM_PUT, RSIM_RPM_PUT_SUSPENDED_RET);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	/* No put: an idle check of a suspended device is refused. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_IDLE), -EAGAIN);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_IDLE), -EAGAIN);

	/* A put that leaves a user: 0, whatever the status. */
	rsim_rpm_call(rsim, RSIM_EV_RPM_GET_NORESUME);
	rsim_rpm_call(rsim, RSIM_EV_RPM_GET_NORESUME);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC),
			RSIM_RPM_PUT_SUSPENDED_RET);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
}

static const int rs9_errors[] = { -EIO, -EBUSY, -EAGAIN, -EACCES };

static bool rs9_transient(int err)
{
	return err == -EAGAIN || err == -EBUSY;
}

/* What the caller gets for a callback's @err */
static int rs9_returned(int err)
{
	if (err != -EACCES)
		return err;
	return RSIM_RPM_TRANSIENT_ERRORS_UNSTUCK ? -EAGAIN : -EIO;
}

/* What stays in runtime_error after a failed resume or suspend */
static int rs9_stuck(int err, bool resume)
{
	if (RSIM_RPM_TRANSIENT_ERRORS_UNSTUCK)
		return rs9_transient(err) || err == -EACCES ? 0 : err;
	/* The suspend path looked at what the caller got (-EIO for -EACCES). */
	return resume || !rs9_transient(err) ? err : 0;
}

#define RS9_WHY	"(this tree's side of 72263869656d, v6.15: %s)"
#define RS9_SIDE	(RSIM_RPM_TRANSIENT_ERRORS_UNSTUCK ? "with it" : "without it")

/* After a failure that stuck: refused, until the status is set again. */
static void rs9_unstick(struct kunit *test, struct rsim_dev *rsim, int stuck)
{
	struct device *dev = rsim_dev_device(rsim);

	KUNIT_EXPECT_EQ_MSG(test, rsim_pm(dev).runtime_error, stuck,
			    "runtime_error after the failure " RS9_WHY, RS9_SIDE);
	if (!stuck)
		return;
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), -EINVAL);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), -EINVAL);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, 0);
}

/* RS-9, ->runtime_resume failing once with each error, then ->runtime_suspend */
static void rs9_callback_error_results(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs9", NULL, false);
	struct device *dev = rsim_dev_device(rsim);
	int i, err, stuck;

	for (i = 0; i < ARRAY_SIZE(rs9_errors); i++) {
		struct rsim_behaviour beh = { .probe = RSIM_PROBE_GET_PUT };

		err = rs9_errors[i];
		kunit_info(test, "->runtime_resume returns %d", err);
		beh.resume_err = err;
		beh.resume_err_count = 1;
		rsim_dev_set_behaviour(rsim, &beh);
		KUNIT_EXPECT_EQ_MSG(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC),
				    rs9_returned(err), "the caller's result " RS9_WHY,
				    RS9_SIDE);
		stuck = rs9_stuck(err, true);
		RSIM_EXPECT_PM_F(test, dev, RPM_SUSPENDED, 1, 0, 0, RSIM_PM_ERROR);
		rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
		rs9_unstick(test, rsim, stuck);
		/* The error is spent: the next resume works. */
		KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
		RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);

		kunit_info(test, "->runtime_suspend returns %d", err);
		beh.resume_err_count = 0;
		beh.suspend_err = err;
		beh.suspend_err_count = 1;
		rsim_dev_set_behaviour(rsim, &beh);
		KUNIT_EXPECT_EQ_MSG(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC),
				    rs9_returned(err), "the caller's result " RS9_WHY,
				    RS9_SIDE);
		stuck = rs9_stuck(err, false);
		RSIM_EXPECT_PM_F(test, dev, RPM_ACTIVE, 0, 0, 0, RSIM_PM_ERROR);
		rs9_unstick(test, rsim, stuck);
		if (!stuck)
			KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), 0);
		RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	}
}

/* A ready child named after @base, or the case skipped (@why) if !@have. */
static struct rsim_dev *rs_ready_child_if(struct kunit *test, bool have,
					  const char *why, const char *base)
{
	if (!have)
		kunit_skip(test, "%s", why);
	return rsim_kunit_ready_child(test, base, NULL, false);
}

/* RS-10 */
static void rs10_get_active_transparent(struct kunit *test)
{
	struct rsim_dev *rsim = rs_ready_child_if(test, RSIM_RPM_GET_ACTIVE,
		"this tree has no pm_runtime_get_active() (v6.18, 9a0abc39450a)", "rs10");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	rsim_rpm_call(rsim, RSIM_EV_RPM_DISABLE);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_pm_runtime_get_active(dev, false), -EACCES);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME_AND_GET), -EACCES);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_pm_runtime_get_active(dev, true), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(rsim, RSIM_EV_RPM_ENABLE);

	KUNIT_EXPECT_EQ(test, rsim_pm_runtime_get_active(dev, true), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	KUNIT_EXPECT_EQ(test, rsim_pm_runtime_get_active(dev, false), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * RS-13: guard(pm_runtime_active) resumes the device and holds it; its
 * scope's end puts the reference back with an idle check, which suspends
 * it. guard(pm_runtime_active_auto) puts it back with put_autosuspend:
 * straight to the autosuspend timer (60 s here), no ->runtime_idle. A
 * resume that fails under the guard leaves the device suspended with the
 * error, and the reference still goes back.
 */
static void rs13_guards_give_back_what_they_took(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "rs13"),
		.beh = { .probe = RSIM_PROBE_GET_PUT, .autosuspend_ms = 60000 },
	};
	struct rsim_behaviour beh = cfg.beh;
	struct rsim_dev *rsim;
	struct device *dev;
	const char *name;
	u64 mark;

	if (!RSIM_RPM_GUARDS)
		kunit_skip(test, "this tree has no runtime PM guards (v6.18, 9a0abc39450a)");
	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_ready(test, &cfg);
	dev = rsim_dev_device(rsim);
	name = rsim_dev_name(rsim);

	mark = rsim_evlog_mark();
	{
		rsim_guard_rpm_active(dev);
		RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	}
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).usage_count, 0);
	KUNIT_EXPECT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, 5000));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_IDLE,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);

	rsim_rpm_call(rsim, RSIM_EV_RPM_AUTOSUSPEND_ON);
	mark = rsim_evlog_mark();
	{
		rsim_guard_rpm_active_auto(dev);
		RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	}
	RSIM_EXPECT_PM_F(test, dev, RPM_ACTIVE, 0, 0, 0, RSIM_PM_PENDING);
	KUNIT_EXPECT_TRUE(test, rsim_pm(dev).timer_armed);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_IDLE, -1,
					       RSIM_P_ENTER, mark), 0);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC_SUSPEND), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_AUTOSUSPEND_OFF);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	beh.resume_err = -EIO;
	beh.resume_err_count = 1;
	rsim_dev_set_behaviour(rsim, &beh);
	{
		rsim_guard_rpm_active(dev);
		RSIM_EXPECT_PM_F(test, dev, RPM_SUSPENDED, 1, 0, 0, RSIM_PM_ERROR);
	}
	RSIM_EXPECT_PM_F(test, dev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_ERROR);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, -EIO);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * RS-13: guard(pm_runtime_noresume) holds a reference without resuming
 * the device, and gives it back without an idle check: no callback runs.
 */
static void rs13_noresume_guard_holds_without_resuming(struct kunit *test)
{
	struct rsim_dev *rsim = rs_ready_child_if(test, RSIM_RPM_NORESUME_GUARD,
		"this tree has no pm_runtime_noresume guard (v6.18)", "rs13n");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	mark = rsim_evlog_mark();
	{
		rsim_guard_rpm_noresume(dev);
		RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 0);
	}
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);

	rsim_kunit_make_active(test, rsim);
	mark = rsim_evlog_mark();
	{
		rsim_guard_rpm_noresume(dev);
		RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	}
	/* put_noidle: nothing queued, the device stays active and unused. */
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* Runtime PM callbacks of @rsim at any layer since @since. */
static unsigned int rs11_runtime_callbacks(struct kunit *test, struct rsim_dev *rsim, u64 since)
{
	static const enum rsim_ev cbs[] = {
		RSIM_EV_RUNTIME_SUSPEND, RSIM_EV_RUNTIME_RESUME, RSIM_EV_RUNTIME_IDLE,
	};
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(cbs); i++)
		n += rsim_kunit_count(test, rsim_dev_name(rsim), cbs[i], -1, RSIM_P_ENTER,
				      since);
	return n;
}

/*
 * RS-11: for a device with pm_runtime_no_callbacks() (behaviour
 * no_callbacks) the core runs no runtime PM callback of any layer, idle,
 * suspend or resume: it only sets the status and its parent's count of
 * active children. A resume finding the parent suspended resumes the
 * parent first, as for any device, and answers 0; finding it active it
 * takes a shortcut: the parent is neither resumed nor referenced, and the
 * call answers 1. An idle check goes straight on to the suspend.
 */
static void rs11_no_callbacks(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "rs11p", NULL, false);
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "rs11"),
		.parent = par,
		.beh = { .probe = RSIM_PROBE_GET_PUT, .no_callbacks = true },
	};
	struct device *pdev = rsim_dev_device(par);
	u64 start = rsim_evlog_mark(), mark;
	struct rsim_dev *kid;
	struct device *dev;

	rsim_kunit_use_bus(test, &cfg);
	kid = rsim_kunit_ready(test, &cfg);
	dev = rsim_dev_device(kid);
	KUNIT_ASSERT_TRUE(test, pm_runtime_has_no_callbacks(dev));

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(kid, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);
	KUNIT_EXPECT_EQ_MSG(test, rsim_kunit_count(test, rsim_dev_name(par),
						   RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
						   RSIM_P_ENTER, mark), 1,
			    "the suspended parent was not resumed first");
	RSIM_EXPECT_RET(test, kid, RSIM_EV_RPM_PUT_SYNC, 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	rsim_kunit_expect_suspended(test, par);

	/* The parent active: the shortcut. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(par, RSIM_EV_RPM_GET_SYNC), 0);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ_MSG(test, rsim_rpm_call(kid, RSIM_EV_RPM_GET_SYNC), 1,
			    "no shortcut past the active parent");
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 1, 0);
	rsim_rpm_call(kid, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(kid, RSIM_EV_RPM_IDLE), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rs11_runtime_callbacks(test, par, mark), 0);
	rsim_rpm_call(par, RSIM_EV_RPM_PUT_SYNC);
	rsim_kunit_expect_suspended(test, par);

	KUNIT_EXPECT_EQ_MSG(test, rs11_runtime_callbacks(test, kid, start), 0,
			    "a runtime PM callback ran for a no_callbacks device");
}

/*
 * RS-12: whose runtime PM callback the core runs (__rpm_get_callback()):
 * the PM domain's, else the bus's, else the driver's, each layer passing
 * the call on down. On the bare bus, which has none, the core calls the
 * driver's itself. The platform bus's own (pm_generic_runtime_*()) log
 * nothing: there the driver's is the outermost logged but the domain's.
 */
static void rs12_one_layer_each(struct kunit *test, struct rsim_dev *rsim,
				enum rsim_ev ev, u64 since)
{
	const struct rsim_kunit_bus *b = test->param_value;
	const char *name = rsim_dev_name(rsim);
	const int layers[] = { RSIM_L_DOMAIN, RSIM_L_BUS, RSIM_L_DRIVER };
	const bool there[] = { b->pm_domain, b->bus == RSIM_BUS_SIM, true };
	struct rsim_event in, out;
	u64 prev_in = 0, prev_out = U64_MAX;
	int i;

	for (i = 0; i < ARRAY_SIZE(layers); i++) {
		KUNIT_EXPECT_EQ_MSG(test, rsim_kunit_count(test, name, ev, layers[i],
							   RSIM_P_ENTER, since),
				    there[i] ? 1 : 0, "event %d in layer %d", ev, layers[i]);
		if (!there[i] ||
		    !rsim_kunit_find(test, name, ev, layers[i], RSIM_P_ENTER, since, 1, &in) ||
		    !rsim_kunit_find(test, name, ev, layers[i], RSIM_P_EXIT, since, 1, &out))
			continue;
		/* Each inner layer runs within the one above it. */
		KUNIT_EXPECT_GT_MSG(test, in.seq, prev_in, "layer %d entered out of order",
				    layers[i]);
		KUNIT_EXPECT_LT_MSG(test, out.seq, prev_out, "layer %d left out of order",
				    layers[i]);
		prev_in = in.seq;
		prev_out = out.seq;
	}
}

static void rs12_callback_layers(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "rs12"),
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};
	struct rsim_dev *rsim;
	struct device *dev;
	u64 mark;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_ready(test, &cfg);
	dev = rsim_dev_device(rsim);

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	rs12_one_layer_each(test, rsim, RSIM_EV_RUNTIME_RESUME, mark);

	mark = rsim_evlog_mark();
	RSIM_EXPECT_RET(test, rsim, RSIM_EV_RPM_PUT_SYNC, 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	rs12_one_layer_each(test, rsim, RSIM_EV_RUNTIME_IDLE, mark);
	rs12_one_layer_each(test, rsim, RSIM_EV_RUNTIME_SUSPEND, mark);
}

/* RS-14's constraint goes before its device does. */
static void rs14_drop_request(void *data)
{
	struct dev_pm_qos_request *req = data;

	if (dev_pm_qos_request_active(req))
		dev_pm_qos_remove_request(req);
}

static void rs14_zero_resume_latency_forbids_suspend(struct kunit *test)
{
	struct rsim_dev *rsim = rsim_kunit_ready_child(test, "rs14", NULL, false);
	struct device *dev = rsim_dev_device(rsim);
	struct dev_pm_qos_request *req;
	u64 mark;

	req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_ASSERT_GE(test, dev_pm_qos_add_request(dev, req, DEV_PM_QOS_RESUME_LATENCY, 0), 0);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rs14_drop_request, req), 0);
	mark = rsim_evlog_mark();

	/* Suspended: the constraint resumes nothing, yet a suspend is refused. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), -EPERM);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	/* A resume goes on; the idle check of the put and a suspend are refused. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), -EPERM);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), -EPERM);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_IDLE), -EPERM);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim), RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 1);

	/* A latency the device can meet forbids nothing. */
	KUNIT_EXPECT_GE(test, dev_pm_qos_update_request(req, 100), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	/* 0 again, then the constraint gone: the device idles down. */
	KUNIT_EXPECT_GE(test, dev_pm_qos_update_request(req, 0), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_IDLE), -EPERM);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_GE(test, dev_pm_qos_remove_request(req), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_IDLE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

static struct kunit_case rsim_rs_cases[] = {
	KUNIT_CASE_PARAM(rs1_conditional_gets, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs1_active_child_makes_parent_in_use, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs1_ignored_child_does_not, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs2_resume_marks_last_busy, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs3_disabled_resume_trusts_status_at_disable, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs3_never_enabled_resume_refused, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs4_put_variants, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs4_autosuspend_puts, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs4_timer_recomputes_expiry, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs5_forbid_allow_balanced, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs6_force_resume_what_force_suspend_left, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs6_failed_force_suspend_reenables, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs7_suspend_meets_suspend_in_progress, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs8_put_finds_suspended, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs9_callback_error_results, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs10_get_active_transparent, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs11_no_callbacks, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs12_callback_layers, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs13_guards_give_back_what_they_took, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs13_noresume_guard_holds_without_resuming, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rs14_zero_resume_latency_forbids_suspend, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_rs_suite = {
	.name = "rpm_sim_rs",
	.test_cases = rsim_rs_cases,
};

kunit_test_suite(rsim_rs_suite);
