// SPDX-License-Identifier: GPL-2.0
/*
 * DC: what the driver core does for a device a driver binds without a
 * probe, with device_bind_driver(), as a driver claims a second device
 * from its own ->probe (usb_driver_claim_interface(); drivers/base/dd.c
 * and core.c, 6.1 and 6.12 alike). DC-1, the order of the announcements
 * on every other bind and unbind, is rpm_sim/lifecycle.c's, for every
 * device of every case.
 *
 * DC-2: device_bind_driver() announces BIND_DRIVER then BOUND_DRIVER with
 *       no ->probe, no PM domain ->activate or ->sync and no runtime PM
 *       work between them; the device is on its driver's list; of its
 *       managed supplier links, one to a bound supplier becomes ACTIVE and
 *       one to a supplier without a driver is deleted
 *       (device_links_force_bind()). Its unbind is the usual one:
 *       UNBIND_DRIVER with the core's usage count held, ->remove,
 *       UNBOUND_DRIVER, runtime PM re-initialised, its remaining link
 *       AVAILABLE.
 */
#include <kunit/test.h>
#include <linux/device.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

/* An unbound device named @base, on the case's bus or on the other one. */
static struct rsim_dev *dc_dev(struct kunit *test, const char *base, bool other_bus,
			       const struct rsim_behaviour *beh)
{
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.no_bind = true,
		.beh = *beh,
	};

	if (other_bus)
		cfg.bus = b->bus == RSIM_BUS_SIM ? RSIM_BUS_PLATFORM : RSIM_BUS_SIM;
	else
		rsim_kunit_use_bus(test, &cfg);
	return rsim_kunit_dev(test, &cfg);
}

/* @dev is on its driver's list of devices: driver_bound() ran. */
static bool dc_on_driver_list(struct device *dev)
{
	struct device_driver *drv = READ_ONCE(dev->driver);
	struct device *found;

	if (!drv)
		return false;
	found = driver_find_device_by_name(drv, dev_name(dev));
	put_device(found);
	return found == dev;
}

static void dc2_bind_without_probe(struct kunit *test)
{
	const struct rsim_behaviour plain = { .probe = RSIM_PROBE_GET_PUT };
	/* Nothing to undo: ->remove of a device no ->probe set up */
	const struct rsim_behaviour claimed = { .remove = RSIM_REMOVE_NO_DISABLE };
	struct rsim_dev *sup = dc_dev(test, "dc2_sup", true, &plain);
	struct rsim_dev *gone = dc_dev(test, "dc2_gone", true, &plain);
	struct rsim_dev *con = dc_dev(test, "dc2_con", false, &claimed);
	struct device *dev = rsim_dev_device(con);
	const char *name = rsim_dev_name(con);
	struct rsim_event bind, bound, rm;
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(sup, true), 0);
	KUNIT_ASSERT_EQ(test, rsim_kunit_bind(sup), 1);
	rsim_kunit_expect_suspended(test, sup);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, gone, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_AVAILABLE);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, gone), DL_STATE_DORMANT);

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_dev_bind_without_probe(con), 0);
	KUNIT_EXPECT_TRUE_MSG(test, dc_on_driver_list(dev),
			      "bound by device_bind_driver(), not on its driver's list");
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_BIND_DRIVER,
							   mark, &bind),
			      "no BIND_DRIVER");
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_BOUND_DRIVER,
							   mark, &bound),
			      "no BOUND_DRIVER");
	KUNIT_EXPECT_LT(test, bind.seq, bound.seq);
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(con), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, -1, RSIM_L_DOMAIN, -1, mark), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, con, mark), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, -1, RSIM_L_BUS, RSIM_P_ENTER, mark), 0);
	RSIM_EXPECT_EV_PM(test, &bound, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ_MSG(test, rsim_link_state(con, sup), DL_STATE_ACTIVE,
			    "the link to a bound supplier is not ACTIVE");
	KUNIT_EXPECT_EQ_MSG(test, rsim_link_state(con, gone), -ENOENT,
			    "the link to a supplier without a driver outlived the bind");
	/* Bound: an attach finds it so and leaves it */
	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(con), 1);
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(con), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(sup), RPM_SUSPENDED, 0, 0, 0);

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(con);
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(con));
	KUNIT_EXPECT_NULL(test, READ_ONCE(dev->driver));
	KUNIT_EXPECT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBIND_DRIVER,
						       mark, &bind));
	KUNIT_EXPECT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBOUND_DRIVER,
						       mark, &bound));
	/*
	 * RM-1 and RM-2: the core's pm_runtime_get_sync() fails (runtime PM
	 * was never enabled) but holds its count over the notifier, and its
	 * put_sync gives it back before ->remove.
	 */
	RSIM_EXPECT_EV_PM(test, &bind, RPM_SUSPENDED, 1, 0, 1);
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						    RSIM_P_ENTER, mark, 0, &rm),
			      "no ->remove at the unbind");
	RSIM_EXPECT_EV_PM(test, &rm, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_LT(test, bind.seq, rm.seq);
	KUNIT_EXPECT_LT(test, rm.seq, bound.seq);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_AVAILABLE);
	rsim_kunit_expect_suspended(test, sup);
}

static struct kunit_case rsim_dc_cases[] = {
	KUNIT_CASE_PARAM(dc2_bind_without_probe, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_dc_suite = {
	.name = "rpm_sim_dc",
	.test_cases = rsim_dc_cases,
};

kunit_test_suite(rsim_dc_suite);
