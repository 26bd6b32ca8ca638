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

static struct kunit_case rsim_dl_cases[] = {
	KUNIT_CASE_PARAM(dl1_consumer_waits_for_supplier, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl2_supplier_unbind_release_driver, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl2_supplier_unbind_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(dl2_supplier_unbind_device_del, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_dl_suite = {
	.name = "rpm_sim_dl",
	.test_cases = rsim_dl_cases,
};

kunit_test_suite(rsim_dl_suite);
