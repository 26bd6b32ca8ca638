// SPDX-License-Identifier: GPL-2.0
/*
 * PR: the driver core's own runtime PM work on a device right before its
 * ->probe (what it does for the parent and the suppliers is TL-4's, the
 * idle request after the probe TL-5's).
 *
 * __driver_probe_device() calls pm_runtime_barrier() on the device just
 * before really_probe(), on every attach path (drivers/base/dd.c, 6.1 and
 * 6.12 alike; there since runtime PM came in, v2.6.32): a runtime PM
 * request that a bus or subsystem queued for the unbound device is
 * finished or cancelled, and its suspend timer disarmed, before the
 * driver's ->probe runs.
 */
#include <kunit/test.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

/* Far beyond any case: the timer can only go by a cancellation. */
#define PR_SUSPEND_DELAY_MS	60000

/*
 * PR-1: the subsystem enabled runtime PM of an unbound, active device and
 * scheduled a suspend (as a bus may before any driver binds); the bind's
 * barrier disarms the timer, so ->probe sees nothing pending.
 */
static void pr1_scheduled_suspend_cancelled_before_probe(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "pr1"),
		.no_bind = true,
		.beh = { .probe = RSIM_PROBE_PLAIN },
	};
	struct rsim_event pr;
	struct rsim_dev *rsim;
	struct device *dev;
	u64 mark;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_dev(test, &cfg);
	dev = rsim_dev_device(rsim);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SET_ACTIVE), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_ENABLE);
	KUNIT_ASSERT_EQ(test, pm_schedule_suspend(dev, PR_SUSPEND_DELAY_MS), 0);
	RSIM_EXPECT_PM_F(test, dev, RPM_ACTIVE, 0, 0, 0, RSIM_PM_PENDING);
	KUNIT_ASSERT_TRUE(test, rsim_pm(dev).timer_armed);

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(rsim, true), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(rsim), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_PROBE,
						RSIM_L_DRIVER, RSIM_P_ENTER, mark, 0, &pr));
	/*
	 * The whole state at ->probe: active, enabled, no request, and no
	 * timer (armed here means the barrier before probe did not run).
	 */
	RSIM_EXPECT_EV_PM(test, &pr, RPM_ACTIVE, 0, 0, 0);

	/* Bound, its usage 0: the core's idle request after probe takes it down. */
	KUNIT_EXPECT_TRUE(test, rsim_dev_bound(rsim));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	/* The driver's ->remove disables it again at cleanup. */
}

static struct kunit_case rsim_pr_cases[] = {
	KUNIT_CASE_PARAM(pr1_scheduled_suspend_cancelled_before_probe, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_pr_suite = {
	.name = "rpm_sim_pr",
	.test_cases = rsim_pr_cases,
};

kunit_test_suite(rsim_pr_suite);
