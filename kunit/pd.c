// SPDX-License-Identifier: GPL-2.0
/*
 * PD: the driver core's calls into a device's PM domain around a binding
 * (struct dev_pm_domain's ->activate, ->sync and ->dismiss; really_probe()
 * and device_unbind_cleanup() in drivers/base/dd.c, 6.1 and 6.12 alike):
 *
 * PD-1: ->activate runs after BIND_DRIVER and before ->probe, and a failing
 *       ->activate fails the bind without a ->probe; ->sync runs after a
 *       successful ->probe and before BOUND_DRIVER, never after a failed
 *       one; ->dismiss runs after ->remove, or after DRIVER_NOT_BOUND, and
 *       before the runtime PM re-init and UNBOUND_DRIVER.
 *
 * The device lifecycle (rpm_sim/lifecycle.c) holds every device in the
 * domain to this order on every path; these cases look at the state each
 * hook saw. Every bus, always with the PM domain.
 */
#include <kunit/test.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

static struct rsim_dev *pd_dev(struct kunit *test, const char *base,
			       const struct rsim_behaviour *beh)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.no_bind = true,
		.beh = *beh,
	};

	rsim_kunit_use_bus(test, &cfg);
	cfg.pm_domain = true;
	return rsim_kunit_dev(test, &cfg);
}

static bool pd_find(struct kunit *test, struct rsim_dev *rsim, enum rsim_ev hook,
		    u64 since, struct rsim_event *out)
{
	return rsim_kunit_find(test, rsim_dev_name(rsim), hook, RSIM_L_DOMAIN,
			       RSIM_P_CALL, since, 0, out);
}

static unsigned int pd_count(struct kunit *test, struct rsim_dev *rsim,
			     enum rsim_ev hook, u64 since)
{
	return rsim_kunit_count(test, rsim_dev_name(rsim), hook, RSIM_L_DOMAIN,
				RSIM_P_CALL, since);
}

/* PD-1 on a successful bind: BIND_DRIVER, ->activate, ->probe, ->sync, BOUND_DRIVER. */
static void pd1_expect_bind(struct kunit *test, struct rsim_dev *rsim, u64 mark)
{
	const char *name = rsim_dev_name(rsim);
	struct rsim_event bind, act, pin, pout, sync, bound;

	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_BIND_DRIVER,
						       mark, &bind));
	KUNIT_ASSERT_TRUE(test, pd_find(test, rsim, RSIM_EV_PD_ACTIVATE, mark, &act));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_PROBE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &pin));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_PROBE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &pout));
	KUNIT_ASSERT_TRUE(test, pd_find(test, rsim, RSIM_EV_PD_SYNC, mark, &sync));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_BOUND_DRIVER,
						       mark, &bound));
	KUNIT_EXPECT_LT(test, bind.seq, act.seq);
	KUNIT_EXPECT_LT(test, act.seq, pin.seq);
	KUNIT_EXPECT_LT(test, pout.seq, sync.seq);
	KUNIT_EXPECT_LT(test, sync.seq, bound.seq);
	/* Before ->probe the device is as the re-init left it. */
	RSIM_EXPECT_EV_PM(test, &act, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, pd_count(test, rsim, RSIM_EV_PD_ACTIVATE, mark), 1);
	KUNIT_EXPECT_EQ(test, pd_count(test, rsim, RSIM_EV_PD_SYNC, mark), 1);
	KUNIT_EXPECT_EQ(test, pd_count(test, rsim, RSIM_EV_PD_DISMISS, mark), 0);
}

/* PD-1 on an unbind: UNBIND_DRIVER, ->remove, ->dismiss, UNBOUND_DRIVER. */
static void pd1_expect_unbind(struct kunit *test, struct rsim_dev *rsim, u64 mark)
{
	const char *name = rsim_dev_name(rsim);
	struct rsim_event unbind, rout, dis, unbound;

	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBIND_DRIVER,
						       mark, &unbind));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &rout));
	KUNIT_ASSERT_TRUE(test, pd_find(test, rsim, RSIM_EV_PD_DISMISS, mark, &dis));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBOUND_DRIVER,
						       mark, &unbound));
	KUNIT_EXPECT_LT(test, unbind.seq, rout.seq);
	KUNIT_EXPECT_LT(test, rout.seq, dis.seq);
	KUNIT_EXPECT_LT(test, dis.seq, unbound.seq);
	/* ->remove's put was cancelled by its disable: active until the re-init. */
	RSIM_EXPECT_EV_PM(test, &dis, RPM_ACTIVE, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, pd_count(test, rsim, RSIM_EV_PD_DISMISS, mark), 1);
	KUNIT_EXPECT_EQ(test, pd_count(test, rsim, RSIM_EV_PD_ACTIVATE, mark) +
			      pd_count(test, rsim, RSIM_EV_PD_SYNC, mark), 0);
}

/* PD-1 on a bind and an unbind whose ->remove leaves the device active. */
static void pd1_hooks_around_bind_and_unbind(struct kunit *test)
{
	const struct rsim_behaviour beh = {
		.probe = RSIM_PROBE_GET_PUT,
		.remove = RSIM_REMOVE_PUT,
	};
	struct rsim_dev *rsim = pd_dev(test, "pd1", &beh);
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(rsim, true), 0);
	KUNIT_ASSERT_EQ(test, rsim_kunit_bind(rsim), 1);
	pd1_expect_bind(test, rsim, mark);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(rsim);
	pd1_expect_unbind(test, rsim, mark);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
}

/*
 * PD-1 on a bind that fails after the record @before_seq (the probe's
 * exit, or the failing ->activate): DRIVER_NOT_BOUND, then ->dismiss,
 * never ->sync; left unbound as the re-init made it.
 */
static void pd1_expect_failed_bind(struct kunit *test, struct rsim_dev *rsim,
				   u64 mark, u64 before_seq)
{
	struct rsim_event nb, dis;

	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(rsim));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, rsim_dev_name(rsim),
						       BUS_NOTIFY_DRIVER_NOT_BOUND, mark, &nb));
	KUNIT_ASSERT_TRUE(test, pd_find(test, rsim, RSIM_EV_PD_DISMISS, mark, &dis));
	KUNIT_EXPECT_LT(test, before_seq, nb.seq);
	KUNIT_EXPECT_LT(test, nb.seq, dis.seq);
	KUNIT_EXPECT_EQ(test, pd_count(test, rsim, RSIM_EV_PD_SYNC, mark), 0);
	KUNIT_EXPECT_EQ(test, pd_count(test, rsim, RSIM_EV_PD_DISMISS, mark), 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
}

/* PD-1 on a failed ->probe: dismissed after DRIVER_NOT_BOUND, never synced. */
static void pd1_failed_probe_dismissed_not_synced(struct kunit *test)
{
	const struct rsim_behaviour beh = {
		.probe = RSIM_PROBE_DEFER,
		.defer_count = 1,
		.probe_err = -EIO,
	};
	struct rsim_dev *rsim = pd_dev(test, "pd1f", &beh);
	struct rsim_event pout;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(rsim, true), 0);
	KUNIT_EXPECT_NE(test, rsim_kunit_bind(rsim), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_PROBE,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &pout));
	pd1_expect_failed_bind(test, rsim, mark, pout.seq);
}

/* PD-1 on a failing ->activate: no ->probe, not bound, dismissed; then a bind works. */
static void pd1_failed_activate_skips_probe(struct kunit *test)
{
	struct rsim_behaviour beh = {
		.probe = RSIM_PROBE_GET_PUT,
		.activate_err = -EIO,
	};
	struct rsim_dev *rsim = pd_dev(test, "pd1a", &beh);
	struct rsim_event act;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(rsim, true), 0);
	KUNIT_EXPECT_NE(test, rsim_kunit_bind(rsim), 1);
	KUNIT_ASSERT_TRUE(test, pd_find(test, rsim, RSIM_EV_PD_ACTIVATE, mark, &act));
	KUNIT_EXPECT_EQ(test, act.ret, -EIO);
	pd1_expect_failed_bind(test, rsim, mark, act.seq);
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(rsim), 0);

	beh.activate_err = 0;
	rsim_dev_set_behaviour(rsim, &beh);
	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(rsim), 1);
	KUNIT_EXPECT_TRUE(test, rsim_dev_bound(rsim));
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(rsim), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(rsim_dev_device(rsim), RPM_SUSPENDED,
						       RSIM_WAIT_MS));
}

static struct kunit_case rsim_pd_cases[] = {
	KUNIT_CASE_PARAM(pd1_hooks_around_bind_and_unbind, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(pd1_failed_probe_dismissed_not_synced, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(pd1_failed_activate_skips_probe, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_pd_suite = {
	.name = "rpm_sim_pd",
	.test_cases = rsim_pd_cases,
};

kunit_test_suite(rsim_pd_suite);
