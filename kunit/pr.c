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
 *
 * PR-2: a bus ->match that answers -EPROBE_DEFER puts the device on the
 * deferred-probe list and nothing probes it, on any attach path
 * (device_add(), device_attach(), driver_register()), until a retry finds
 * the match willing. Upstream 25e9fbf0fd38 ("driver core: Don't probe
 * devices after bus_type.match() probe deferral", v6.0): before it, the
 * device was listed and probed at once all the same.
 *
 * PR-3: a ->match that fails with any other error rules the device out
 * for that driver only: device_attach() answers the error, and a
 * driver's registration goes on to the devices after it.
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

/*
 * PR-2 and PR-3 run on the buses whose ->match is rpm_sim's: the rpm_sim
 * bus and the bare bus. The platform bus's ->match is the kernel's.
 */
static const struct rsim_kunit_bus pr2_buses[] = {
	{ .bus = RSIM_BUS_SIM, .desc = "rpm_sim bus" },
	{ .bus = RSIM_BUS_SIM, .pm_domain = true, .desc = "rpm_sim bus + PM domain" },
	{ .bus = RSIM_BUS_SIM, .async_probe = true, .desc = "rpm_sim bus, async probe" },
	{ .bus = RSIM_BUS_SIM, .pm_domain = true, .async_probe = true,
	  .desc = "rpm_sim bus + PM domain, async probe" },
	{ .bus = RSIM_BUS_BARE, .desc = "bare bus" },
	{ .bus = RSIM_BUS_BARE, .pm_domain = true, .desc = "bare bus + PM domain" },
};

KUNIT_ARRAY_PARAM(pr2_bus, pr2_buses, rsim_kunit_bus_desc);

/* A device on the platform bus: bound whatever happens to the rpm_sim driver. */
static struct rsim_dev *pr2_platform_dev(struct kunit *test, const char *base)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.bus = RSIM_BUS_PLATFORM,
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};

	return rsim_kunit_ready(test, &cfg);
}

/*
 * The whole state of a device its ->match deferred, once every probe in
 * flight (an asynchronous one, the deferred-probe work) is over: unbound,
 * never probed, runtime PM as device_add() left it; its parent resumed by
 * the attach and given back.
 */
static void pr2_expect_deferred(struct kunit *test, struct rsim_dev *rsim,
				struct rsim_dev *par, const char *path)
{
	rsim_kunit_quiesce();
	KUNIT_EXPECT_FALSE_MSG(test, rsim_dev_bound(rsim),
			       "bound by %s although its ->match deferred: the tree lacks upstream 25e9fbf0fd38 (\"driver core: Don't probe devices after bus_type.match() probe deferral\")",
			       path);
	KUNIT_EXPECT_EQ_MSG(test, rsim_dev_probe_count(rsim), 0,
			    "probed by %s although its ->match deferred", path);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
	rsim_kunit_expect_suspended(test, par);
}

/* PR-2 on each attach path, then the retry that binds it once ->match agrees. */
static void pr2_match_deferral_not_probed(struct kunit *test)
{
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_dev *par = pr2_platform_dev(test, "pr2_par");
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "pr2"),
		.parent = par,
		.beh = { .probe = RSIM_PROBE_GET_PUT, .match_defer = true },
	};
	struct rsim_dev *rsim;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_dev(test, &cfg);
	pr2_expect_deferred(test, rsim, par, "device_add()");

	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(rsim), -EPROBE_DEFER);
	pr2_expect_deferred(test, rsim, par, "device_attach()");

	/* Registering the driver again walks the bus: __driver_attach(). */
	rsim_kunit_driver_off(test, b->bus);
	KUNIT_ASSERT_EQ(test, rsim_driver_register(b->bus), 0);
	pr2_expect_deferred(test, rsim, par, "driver_register()");

	/*
	 * The match agrees now, and a bind anywhere retries the deferred
	 * devices: only a device on that list is probed by it.
	 */
	cfg.beh.match_defer = false;
	rsim_dev_set_behaviour(rsim, &cfg.beh);
	pr2_platform_dev(test, "pr2_trig");
	rsim_kunit_quiesce();
	KUNIT_EXPECT_TRUE_MSG(test, rsim_dev_bound(rsim),
			      "not bound by the deferred-probe retry: its deferral did not list it");
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(rsim), 1);
	rsim_kunit_expect_suspended(test, rsim);
	rsim_kunit_expect_suspended(test, par);
}

/*
 * PR-3: a bus ->match that fails with another error than -EPROBE_DEFER
 * rules that device out for the driver and nothing more: device_add()
 * leaves it unprobed, device_attach() answers the error, and registering
 * the driver succeeds and binds the devices its walk meets after it
 * (__driver_attach() goes on past a failed match; 6.1 and 6.12 alike).
 */
static void pr3_match_error_skips_device(struct kunit *test)
{
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "pr3"),
		.beh = { .probe = RSIM_PROBE_GET_PUT, .match_err = -ENODEV },
	};
	struct rsim_dev_config next_cfg = {
		.name = rsim_kunit_name(test, "pr3_next"),
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};
	struct rsim_dev *bad, *next;

	rsim_kunit_use_bus(test, &cfg);
	rsim_kunit_use_bus(test, &next_cfg);
	bad = rsim_kunit_dev(test, &cfg);
	rsim_kunit_quiesce();
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(bad));
	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(bad), -ENODEV);
	KUNIT_EXPECT_EQ_MSG(test, rsim_dev_probe_count(bad), 0,
			    "probed although its ->match failed");

	/* Added after it: the driver's walk over the bus meets it second. */
	next = rsim_kunit_ready(test, &next_cfg);
	rsim_kunit_driver_off(test, b->bus);
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(next));
	KUNIT_ASSERT_EQ(test, rsim_driver_register(b->bus), 0);
	rsim_kunit_quiesce();
	KUNIT_EXPECT_TRUE_MSG(test, rsim_dev_bound(next),
			      "driver_register() stopped at the device whose ->match failed");
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(bad));
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(bad), 0);
	rsim_kunit_expect_suspended(test, next);

	/* The match agrees now: an attach binds it. */
	cfg.beh.match_err = 0;
	rsim_dev_set_behaviour(bad, &cfg.beh);
	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(bad), 1);
	rsim_kunit_quiesce();
	rsim_kunit_expect_suspended(test, bad);
}

static struct kunit_case rsim_pr_cases[] = {
	KUNIT_CASE_PARAM(pr1_scheduled_suspend_cancelled_before_probe, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(pr2_match_deferral_not_probed, pr2_bus_gen_params),
	KUNIT_CASE_PARAM(pr3_match_error_skips_device, pr2_bus_gen_params),
	{}
};

static struct kunit_suite rsim_pr_suite = {
	.name = "rpm_sim_pr",
	.test_cases = rsim_pr_cases,
};

kunit_test_suite(rsim_pr_suite);
