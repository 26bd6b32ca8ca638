// SPDX-License-Identifier: GPL-2.0
/*
 * DL: what the driver core does with a managed device link (one made
 * without DL_FLAG_STATELESS) around a probe and an unbind
 * (drivers/base/core.c and dd.c, 6.1 and 6.12 alike; managed links came
 * with "driver core: Functional dependencies tracking support", v4.10).
 *
 * DL-1: a consumer whose supplier has no driver does not probe: the probe
 *       defers before ->probe (device_links_check_suppliers()), the link
 *       stays DORMANT; the supplier's bind makes it AVAILABLE, and the
 *       deferred-probe retry that bind starts binds the consumer (ACTIVE).
 * DL-2: unbinding a supplier unbinds its bound consumers first: the
 *       consumer's ->remove has returned before the supplier's starts, on
 *       every unbind path of the supplier (device_release_driver(), its
 *       driver's unregistration, device_del()); its links, to the consumer
 *       it unbound and to one that never bound (AVAILABLE), are DORMANT.
 *       Bound again with no consumer bound, it unbinds alone, and the
 *       links go DORMANT through SUPPLIER_UNBIND without a warning.
 * DL-3: an AUTOREMOVE_CONSUMER link is deleted when its consumer's driver
 *       goes, at an unbind and at a failed probe (__device_links_no_driver());
 *       a link without the flag stays, AVAILABLE.
 * DL-4: an AUTOREMOVE_SUPPLIER link outlives its consumer's unbind and is
 *       deleted when its supplier's driver goes, after the consumer was
 *       unbound (device_links_driver_cleanup()); one without it stays, DORMANT.
 * DL-5: a supplier's bind sends the consumers of its AUTOPROBE_CONSUMER links
 *       to the deferred-probe list (device_links_driver_bound()), so one whose
 *       probe failed for good probes again; without the flag it is left alone.
 * DL-6: adding a link that exists returns it. A stateless add takes a
 *       reference on it (each device_link_del() drops one) and, with
 *       PM_RUNTIME | RPM_ACTIVE, another on the supplier, all given back when
 *       the link goes; a managed add can make the link's life longer
 *       (AUTOREMOVE_CONSUMER to _SUPPLIER, either to neither), never shorter.
 * DL-7: the supplier reference a consumer's probe takes through a
 *       PM_RUNTIME link (pm_runtime_get_suppliers()) is given back once, at
 *       the probe's end (pm_runtime_put_suppliers() clears
 *       supplier_preactivated), and not again when the link is released
 *       (device_link_release_fn()).
 *
 * The supplier and the consumer sit on different buses, so that taking
 * one bus's driver away unbinds the other device through the link only.
 */
#include <kunit/test.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

/* An unbound device named @name, on the case's bus or on the other one. */
static struct rsim_dev *dl_dev(struct kunit *test, const char *name, bool other_bus)
{
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_dev_config cfg = {
		.name = name,
		.no_bind = true,
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};

	if (other_bus)
		cfg.bus = b->bus == RSIM_BUS_SIM ? RSIM_BUS_PLATFORM : RSIM_BUS_SIM;
	else
		rsim_kunit_use_bus(test, &cfg);
	return rsim_kunit_dev(test, &cfg);
}

/* Let @rsim's driver match, and bind it: bound, then idle and suspended. */
static void dl_bind(struct kunit *test, struct rsim_dev *rsim)
{
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(rsim, true), 0);
	KUNIT_ASSERT_EQ_MSG(test, rsim_kunit_bind(rsim), 1, "%s did not bind",
			    rsim_dev_name(rsim));
	rsim_kunit_expect_suspended(test, rsim);
}

/* DL-1 through device_attach(), then the retry the supplier's bind starts. */
static void dl1_consumer_waits_for_supplier(struct kunit *test)
{
	struct rsim_dev *sup = dl_dev(test, rsim_kunit_name(test, "dl1_sup"), true);
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl1_con"), false);
	struct rsim_event sup_pr, con_pr;
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_DORMANT);

	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(con, true), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(con), -EPROBE_DEFER);
	rsim_kunit_quiesce();
	KUNIT_EXPECT_FALSE_MSG(test, rsim_dev_bound(con),
			       "the consumer bound while its supplier has no driver");
	KUNIT_EXPECT_EQ_MSG(test, rsim_dev_probe_count(con), 0,
			    "the consumer's ->probe ran while its supplier has no driver");
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_DORMANT);
	RSIM_EXPECT_PM(test, rsim_dev_device(con), RPM_SUSPENDED, 0, 0, 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(sup), RPM_SUSPENDED, 0, 0, 1);

	/*
	 * Not dl_bind(): driver_bound() of the supplier starts the retry of
	 * the deferred consumer, whose probe resumes the supplier while the
	 * bind returns. The state is read once every probe is over.
	 */
	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(sup, true), 0);
	KUNIT_ASSERT_EQ(test, rsim_kunit_bind(sup), 1);
	rsim_kunit_quiesce();
	KUNIT_EXPECT_TRUE_MSG(test, rsim_dev_bound(con),
			      "the consumer stayed unbound after its supplier bound");
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(con), 1);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_ACTIVE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(sup), RSIM_EV_PROBE,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &sup_pr));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(con), RSIM_EV_PROBE,
						RSIM_L_DRIVER, RSIM_P_ENTER, mark, 0, &con_pr));
	KUNIT_EXPECT_LT(test, sup_pr.seq, con_pr.seq);
	rsim_kunit_expect_suspended(test, con);
	rsim_kunit_expect_suspended(test, sup);
}

enum dl_unbind {
	DL_RELEASE_DRIVER,	/* device_release_driver(): sysfs unbind */
	DL_DRIVER_UNREGISTER,	/* driver_unregister() -> driver_detach() */
	DL_DEVICE_DEL,		/* device_del() -> bus_remove_device() */
};

/* Unbind *@sup by @path; device_del() frees it (NULL from then on). */
static void dl_unbind(struct kunit *test, struct rsim_dev **sup, enum dl_unbind path)
{
	const struct rsim_kunit_bus *b = test->param_value;

	switch (path) {
	case DL_RELEASE_DRIVER:
		rsim_kunit_unbind(*sup);
		break;
	case DL_DRIVER_UNREGISTER:
		rsim_kunit_driver_off(test, b->bus);
		break;
	case DL_DEVICE_DEL:
		KUNIT_ASSERT_EQ(test, rsim_dev_destroy(*sup), 0);
		*sup = NULL;	/* freed: the log speaks for it */
		break;
	}
}

/* DL-2: the supplier goes by @path; its consumer must go first. */
static void dl2_supplier_unbind(struct kunit *test, enum dl_unbind path)
{
	const struct rsim_kunit_bus *b = test->param_value;
	const char *sname = rsim_kunit_name(test, "dl2_sup");
	const char *cname = rsim_kunit_name(test, "dl2_con");
	struct rsim_dev *sup = dl_dev(test, sname, false);
	struct rsim_dev *con = dl_dev(test, cname, true);
	struct rsim_dev *idle = dl_dev(test, rsim_kunit_name(test, "dl2_idle"), true);
	struct rsim_event con_rm, sup_rm;
	u64 mark;

	dl_bind(test, sup);
	dl_bind(test, con);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_ACTIVE);
	KUNIT_ASSERT_EQ(test, rsim_link_add(idle, sup, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(idle, sup), DL_STATE_AVAILABLE);

	mark = rsim_evlog_mark();
	dl_unbind(test, &sup, path);
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_find(test, cname, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						    RSIM_P_EXIT, mark, 0, &con_rm),
			      "the consumer was not unbound with its supplier");
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, sname, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &sup_rm));
	KUNIT_EXPECT_LT_MSG(test, con_rm.seq, sup_rm.seq,
			    "the supplier's ->remove began before its consumer's returned");
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(con));
	RSIM_EXPECT_PM(test, rsim_dev_device(con), RPM_SUSPENDED, 0, 0, 1);
	if (!sup)
		return;
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(sup));
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_DORMANT);
	KUNIT_EXPECT_EQ(test, rsim_link_state(idle, sup), DL_STATE_DORMANT);
	RSIM_EXPECT_PM(test, rsim_dev_device(sup), RPM_SUSPENDED, 0, 0, 1);

	/*
	 * Bound again with no consumer bound: nothing is busy, and the unbind
	 * marks both links on its way (device_links_driver_cleanup() warns
	 * about a link it finds unmarked).
	 */
	if (path == DL_DRIVER_UNREGISTER)
		KUNIT_ASSERT_EQ(test, rsim_driver_register(b->bus), 0);
	dl_bind(test, sup);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_AVAILABLE);
	KUNIT_EXPECT_EQ(test, rsim_link_state(idle, sup), DL_STATE_AVAILABLE);
	dl_unbind(test, &sup, path);
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(sup));
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_DORMANT);
	KUNIT_EXPECT_EQ(test, rsim_link_state(idle, sup), DL_STATE_DORMANT);
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(con), 1);
}

static void dl2_supplier_unbind_release_driver(struct kunit *test)
{
	dl2_supplier_unbind(test, DL_RELEASE_DRIVER);
}

static void dl2_supplier_unbind_driver_unregister(struct kunit *test)
{
	dl2_supplier_unbind(test, DL_DRIVER_UNREGISTER);
}

static void dl2_supplier_unbind_device_del(struct kunit *test)
{
	dl2_supplier_unbind(test, DL_DEVICE_DEL);
}

/*
 * @rsim's probe fails for good (-EIO: nothing retries it by itself).
 * device_attach() says 0, nothing bound: really_probe() hands ->probe's
 * error back positive, which __device_attach_driver() takes as "try the
 * next driver".
 */
static void dl_probe_fails(struct kunit *test, struct rsim_dev *rsim)
{
	const struct rsim_behaviour beh = { .probe = RSIM_PROBE_GET_PUT, .defer_count = 1,
					    .probe_err = -EIO };

	rsim_dev_set_behaviour(rsim, &beh);
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(rsim, true), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(rsim), 0);
	rsim_kunit_quiesce();
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(rsim));
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(rsim), 1);
}

/* Longer than DEBUG_KOBJECT_RELEASE's longest delay of a release (4 s) */
#define DL_RELEASE_WAIT_MS	10000

/* DL-3: the consumer's driver goes by @path, or (@path < 0) its probe fails. */
static void dl3_autoremove_consumer(struct kunit *test, int path)
{
	struct rsim_dev *sup = dl_dev(test, rsim_kunit_name(test, "dl3_sup"), true);
	struct rsim_dev *keep = dl_dev(test, rsim_kunit_name(test, "dl3_keep"), true);
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl3_con"), false);
	int linked = path < 0 ? DL_STATE_AVAILABLE : DL_STATE_ACTIVE;

	dl_bind(test, sup);
	dl_bind(test, keep);
	if (path >= 0)
		dl_bind(test, con);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_AUTOREMOVE_CONSUMER |
					    DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, keep, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), linked);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, keep), linked);

	if (path < 0) {
		dl_probe_fails(test, con);
	} else {
		dl_unbind(test, &con, path);
		KUNIT_EXPECT_FALSE(test, rsim_dev_bound(con));
	}
	KUNIT_EXPECT_EQ_MSG(test, rsim_link_state(con, sup), -ENOENT,
			    "the AUTOREMOVE_CONSUMER link outlived its consumer's driver");
	KUNIT_EXPECT_EQ_MSG(test, rsim_link_state(con, keep), DL_STATE_AVAILABLE,
			    "the link without AUTOREMOVE_CONSUMER did not stay");
	RSIM_EXPECT_PM(test, rsim_dev_device(con), RPM_SUSPENDED, 0, 0, 1);
	/*
	 * The reference the consumer's probe took on the supplier of a link
	 * deleted before the probe ended (supplier_preactivated) is given back
	 * only when the link is released (device_link_release_fn(), after an
	 * SRCU grace period; DEBUG_KOBJECT_RELEASE delays the release 1 to
	 * 4 s): waited for, within a bound that covers that.
	 */
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_wait_status(rsim_dev_device(sup), RPM_SUSPENDED,
							   DL_RELEASE_WAIT_MS),
			      "the supplier of the deleted link was never given back");
	rsim_kunit_expect_suspended(test, sup);
	rsim_kunit_expect_suspended(test, keep);
}

static void dl3_autoremove_consumer_release_driver(struct kunit *test)
{
	dl3_autoremove_consumer(test, DL_RELEASE_DRIVER);
}

static void dl3_autoremove_consumer_driver_unregister(struct kunit *test)
{
	dl3_autoremove_consumer(test, DL_DRIVER_UNREGISTER);
}

static void dl3_autoremove_consumer_failed_probe(struct kunit *test)
{
	dl3_autoremove_consumer(test, -1);
}

/* DL-4: the consumer's driver goes, comes back, then the supplier's goes. */
static void dl4_autoremove_supplier(struct kunit *test, enum dl_unbind path)
{
	struct rsim_dev *sup = dl_dev(test, rsim_kunit_name(test, "dl4_sup"), false);
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl4_con"), true);
	struct rsim_dev *keep = dl_dev(test, rsim_kunit_name(test, "dl4_keep"), true);

	dl_bind(test, sup);
	dl_bind(test, con);
	dl_bind(test, keep);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_AUTOREMOVE_SUPPLIER |
					    DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_link_add(keep, sup, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_ACTIVE);

	rsim_kunit_unbind(con);
	KUNIT_EXPECT_EQ_MSG(test, rsim_link_state(con, sup), DL_STATE_AVAILABLE,
			    "the AUTOREMOVE_SUPPLIER link went with its consumer's driver");
	dl_bind(test, con);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_ACTIVE);

	dl_unbind(test, &sup, path);
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(sup));
	KUNIT_EXPECT_FALSE_MSG(test, rsim_dev_bound(con),
			       "the consumer stayed bound after its supplier's unbind");
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(keep));
	KUNIT_EXPECT_EQ_MSG(test, rsim_link_state(con, sup), -ENOENT,
			    "the AUTOREMOVE_SUPPLIER link outlived its supplier's driver");
	KUNIT_EXPECT_EQ_MSG(test, rsim_link_state(keep, sup), DL_STATE_DORMANT,
			    "the link without AUTOREMOVE_SUPPLIER did not stay");
	RSIM_EXPECT_PM(test, rsim_dev_device(con), RPM_SUSPENDED, 0, 0, 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(keep), RPM_SUSPENDED, 0, 0, 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(sup), RPM_SUSPENDED, 0, 0, 1);
}

static void dl4_autoremove_supplier_release_driver(struct kunit *test)
{
	dl4_autoremove_supplier(test, DL_RELEASE_DRIVER);
}

static void dl4_autoremove_supplier_driver_unregister(struct kunit *test)
{
	dl4_autoremove_supplier(test, DL_DRIVER_UNREGISTER);
}

/* DL-5 */
static void dl5_autoprobe_consumer(struct kunit *test)
{
	struct rsim_dev *sup = dl_dev(test, rsim_kunit_name(test, "dl5_sup"), true);
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl5_con"), false);
	struct rsim_dev *alone = dl_dev(test, rsim_kunit_name(test, "dl5_alone"), false);

	/* Failed for good first: a probe with the link in place would defer (DL-1). */
	dl_probe_fails(test, con);
	dl_probe_fails(test, alone);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_AUTOPROBE_CONSUMER |
					    DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_link_add(alone, sup, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_DORMANT);
	KUNIT_EXPECT_EQ(test, rsim_link_state(alone, sup), DL_STATE_DORMANT);

	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(sup, true), 0);
	KUNIT_ASSERT_EQ(test, rsim_kunit_bind(sup), 1);
	rsim_kunit_quiesce();
	KUNIT_EXPECT_TRUE_MSG(test, rsim_dev_bound(con),
			      "the AUTOPROBE_CONSUMER consumer was not probed again");
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(con), 2);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_ACTIVE);
	KUNIT_EXPECT_FALSE_MSG(test, rsim_dev_bound(alone),
			       "a consumer without AUTOPROBE_CONSUMER was probed again");
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(alone), 1);
	KUNIT_EXPECT_EQ(test, rsim_link_state(alone, sup), DL_STATE_AVAILABLE);
	rsim_kunit_expect_suspended(test, con);
	rsim_kunit_expect_suspended(test, sup);
	RSIM_EXPECT_PM(test, rsim_dev_device(alone), RPM_SUSPENDED, 0, 0, 1);
}

static void dl_link_put(void *link)
{
	put_device(&((struct device_link *)link)->link_dev);
}

/*
 * device_link_add() by the case itself, for the link returned twice: it
 * holds the link's link_dev until the case ends, so the link stays
 * readable after the driver core deleted it (link_dev unregistered).
 */
static struct device_link *dl_link_add(struct kunit *test, struct rsim_dev *con,
				       struct rsim_dev *sup, u32 flags)
{
	struct device_link *link;

	link = device_link_add(rsim_dev_device(con), rsim_dev_device(sup), flags);
	KUNIT_ASSERT_NOT_NULL_MSG(test, link, "device_link_add(%s, %s, %#x) refused",
				  rsim_dev_name(con), rsim_dev_name(sup), flags);
	get_device(&link->link_dev);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, dl_link_put, link), 0);
	return link;
}

/* DL-6 for a stateless PM_RUNTIME | RPM_ACTIVE link, added twice. */
static void dl6_stateless_link_added_twice(struct kunit *test)
{
	const u32 flags = DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME | DL_FLAG_RPM_ACTIVE;
	struct rsim_dev *sup = dl_dev(test, rsim_kunit_name(test, "dl6s_sup"), true);
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl6s_con"), false);
	struct device *sdev = rsim_dev_device(sup);
	struct device_link *link, *again;

	dl_bind(test, sup);
	dl_bind(test, con);
	link = dl_link_add(test, con, sup, flags);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	again = dl_link_add(test, con, sup, flags);
	KUNIT_EXPECT_PTR_EQ_MSG(test, again, link, "a second link was made");
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 2, 0, 0);

	/* Asserted: a second device_link_del() of a deleted link would underflow its kref. */
	device_link_del(link);
	KUNIT_ASSERT_TRUE_MSG(test, device_is_registered(&link->link_dev),
			      "the first device_link_del() deleted a link added twice");
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 2, 0, 0);
	device_link_del(again);
	KUNIT_EXPECT_FALSE(test, device_is_registered(&link->link_dev));
	rsim_kunit_expect_suspended(test, sup);
	rsim_kunit_expect_suspended(test, con);
}

/*
 * DL-6 for a stateless link added again with PM_RUNTIME: the link becomes
 * a runtime PM one, counted on its consumer (pm_runtime_new_link()), whose
 * resume then resumes the supplier; deleting it uncounts it.
 */
static void dl6_link_gains_pm_runtime(struct kunit *test)
{
	struct rsim_dev *sup = dl_dev(test, rsim_kunit_name(test, "dl6p_sup"), true);
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl6p_con"), false);
	struct device *sdev = rsim_dev_device(sup);
	struct device *cdev = rsim_dev_device(con);
	struct device_link *link, *again;

	dl_bind(test, sup);
	dl_bind(test, con);
	link = dl_link_add(test, con, sup, DL_FLAG_STATELESS);
	KUNIT_EXPECT_EQ(test, READ_ONCE(cdev->power.links_count), 0);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);

	again = dl_link_add(test, con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME);
	KUNIT_EXPECT_PTR_EQ_MSG(test, again, link, "a second link was made");
	KUNIT_EXPECT_TRUE(test, link->flags & DL_FLAG_PM_RUNTIME);
	KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(cdev->power.links_count), 1,
			    "the consumer does not count the link that became PM_RUNTIME");
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);

	device_link_del(link);
	KUNIT_ASSERT_TRUE(test, device_is_registered(&link->link_dev));
	device_link_del(again);
	KUNIT_EXPECT_EQ(test, READ_ONCE(cdev->power.links_count), 0);
	rsim_kunit_expect_suspended(test, sup);
	rsim_kunit_expect_suspended(test, con);
}

#define DL_AUTOREMOVE	(DL_FLAG_AUTOREMOVE_CONSUMER | DL_FLAG_AUTOREMOVE_SUPPLIER)

/* DL-6 for managed links: which unbind deletes each once added twice. */
static void dl6_managed_link_lifetime(struct kunit *test)
{
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl6m_con"), false);
	struct rsim_dev *s1 = dl_dev(test, rsim_kunit_name(test, "dl6m_s1"), true);
	struct rsim_dev *s2 = dl_dev(test, rsim_kunit_name(test, "dl6m_s2"), true);
	struct rsim_dev *s3 = dl_dev(test, rsim_kunit_name(test, "dl6m_s3"), true);
	struct device_link *l1, *l2, *l3;

	dl_bind(test, con);
	dl_bind(test, s1);
	dl_bind(test, s2);
	dl_bind(test, s3);
	/* Longer: AUTOREMOVE_CONSUMER becomes AUTOREMOVE_SUPPLIER. */
	l1 = dl_link_add(test, con, s1, DL_FLAG_AUTOREMOVE_CONSUMER);
	KUNIT_EXPECT_PTR_EQ(test, dl_link_add(test, con, s1, DL_FLAG_AUTOREMOVE_SUPPLIER), l1);
	/* Longer: AUTOREMOVE_CONSUMER becomes persistent. */
	l2 = dl_link_add(test, con, s2, DL_FLAG_AUTOREMOVE_CONSUMER);
	KUNIT_EXPECT_PTR_EQ(test, dl_link_add(test, con, s2, 0), l2);
	/* Never shorter: AUTOREMOVE_SUPPLIER stays. */
	l3 = dl_link_add(test, con, s3, DL_FLAG_AUTOREMOVE_SUPPLIER);
	KUNIT_EXPECT_PTR_EQ(test, dl_link_add(test, con, s3, DL_FLAG_AUTOREMOVE_CONSUMER), l3);
	KUNIT_EXPECT_EQ(test, l1->flags & DL_AUTOREMOVE, DL_FLAG_AUTOREMOVE_SUPPLIER);
	KUNIT_EXPECT_EQ(test, l2->flags & DL_AUTOREMOVE, 0);
	KUNIT_EXPECT_EQ(test, l3->flags & DL_AUTOREMOVE, DL_FLAG_AUTOREMOVE_SUPPLIER);

	rsim_kunit_unbind(con);
	KUNIT_EXPECT_TRUE_MSG(test, device_is_registered(&l1->link_dev),
			      "a link made AUTOREMOVE_SUPPLIER went with its consumer's driver");
	KUNIT_EXPECT_TRUE_MSG(test, device_is_registered(&l2->link_dev),
			      "a link made persistent went with its consumer's driver");
	KUNIT_EXPECT_TRUE_MSG(test, device_is_registered(&l3->link_dev),
			      "an AUTOREMOVE_SUPPLIER link went with its consumer's driver");
	KUNIT_EXPECT_EQ(test, READ_ONCE(l1->status), DL_STATE_AVAILABLE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(l2->status), DL_STATE_AVAILABLE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(l3->status), DL_STATE_AVAILABLE);

	rsim_kunit_unbind(s1);
	rsim_kunit_unbind(s2);
	KUNIT_EXPECT_FALSE_MSG(test, device_is_registered(&l1->link_dev),
			       "a link made AUTOREMOVE_SUPPLIER outlived its supplier's driver");
	KUNIT_EXPECT_TRUE_MSG(test, device_is_registered(&l2->link_dev),
			      "a link made persistent went with its supplier's driver");
	KUNIT_EXPECT_EQ(test, READ_ONCE(l2->status), DL_STATE_DORMANT);
	RSIM_EXPECT_PM(test, rsim_dev_device(con), RPM_SUSPENDED, 0, 0, 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(s1), RPM_SUSPENDED, 0, 0, 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(s2), RPM_SUSPENDED, 0, 0, 1);
}

struct dl_refs {
	struct device *dev;
	unsigned int refs;
};

/* @dev's kobject is back to the references it had */
static bool dl_refs_back(void *arg)
{
	const struct dl_refs *r = arg;

	return kref_read(&r->dev->kobj.kref) == r->refs;
}

static void dl_put_noidle(void *dev)
{
	pm_runtime_put_noidle(dev);
}

/*
 * DL-7, with a reference of the case's own on the supplier: one taken
 * twice from it, or given back twice, would show in its usage_count. The
 * consumer's unbind deletes the link (AUTOREMOVE_CONSUMER); the link's
 * release drops its references on both devices last, so the supplier's
 * kobject back to what it had before the link is the point where the
 * release has done all it does.
 */
static void dl7_probe_supplier_ref_given_back_once(struct kunit *test)
{
	struct rsim_dev *sup = dl_dev(test, rsim_kunit_name(test, "dl7_sup"), true);
	struct rsim_dev *con = dl_dev(test, rsim_kunit_name(test, "dl7_con"), false);
	struct device *sdev = rsim_dev_device(sup);
	struct dl_refs before = { .dev = sdev };

	dl_bind(test, sup);
	pm_runtime_get_noresume(sdev);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, dl_put_noidle, sdev), 0);
	before.refs = kref_read(&sdev->kobj.kref);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_AUTOREMOVE_CONSUMER |
					    DL_FLAG_PM_RUNTIME), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_AVAILABLE);

	/* The probe resumed the supplier through the link; the case's reference keeps it so. */
	dl_bind(test, con);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), DL_STATE_ACTIVE);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);

	rsim_kunit_unbind(con);
	KUNIT_EXPECT_EQ(test, rsim_link_state(con, sup), -ENOENT);
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_wait_until(dl_refs_back, &before,
							  DL_RELEASE_WAIT_MS),
			      "the deleted link was not released: %u references on the supplier, %u before it",
			      kref_read(&sdev->kobj.kref), before.refs);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&sdev->power.usage_count), 1,
			    "the link's release gave back a probe's supplier reference again");
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(con), RPM_SUSPENDED, 0, 0, 1);
}

static struct kunit_case rsim_dl_cases[] = {
	KUNIT_CASE_PARAM(dl1_consumer_waits_for_supplier, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl2_supplier_unbind_release_driver, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl2_supplier_unbind_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl2_supplier_unbind_device_del, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl3_autoremove_consumer_release_driver, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl3_autoremove_consumer_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl3_autoremove_consumer_failed_probe, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl4_autoremove_supplier_release_driver, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl4_autoremove_supplier_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl5_autoprobe_consumer, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl6_stateless_link_added_twice, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl6_link_gains_pm_runtime, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl6_managed_link_lifetime, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl7_probe_supplier_ref_given_back_once, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_dl_suite = {
	.name = "rpm_sim_dl",
	.test_cases = rsim_dl_cases,
};

kunit_test_suite(rsim_dl_suite);
