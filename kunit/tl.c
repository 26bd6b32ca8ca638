// SPDX-License-Identifier: GPL-2.0
/*
 * TL: topology and device links (Documentation/power/runtime_pm.rst, and
 * device links with DL_FLAG_PM_RUNTIME from commit 21d5c57b3726 ("PM /
 * runtime: Use device links")).
 */
#include <kunit/test.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

static void tl_wait_suspended(struct kunit *test, struct rsim_dev *rsim)
{
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_wait_status(rsim_dev_device(rsim),
							   RPM_SUSPENDED, RSIM_WAIT_MS),
			      "%s did not suspend", rsim_dev_name(rsim));
}

/* A get_put driver whose next ->runtime_resume fails, once, with -EIO */
static const struct rsim_behaviour tl_resume_fails_once = {
	.probe = RSIM_PROBE_GET_PUT,
	.resume_err = -EIO,
	.resume_err_count = 1,
};

/* TL-1: a parent with an active child refuses to suspend (-EBUSY). */
static void tl1_parent_stays_active_with_child(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "tl1_par", NULL, false);
	struct rsim_dev *child = rsim_kunit_ready_child(test, "tl1_child", par, false);
	struct device *pdev = rsim_dev_device(par);

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(par, RSIM_EV_RPM_SUSPEND), -EBUSY);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_PUT_SYNC), 0);
	tl_wait_suspended(test, par);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

/* TL-1: ... unless the parent ignores its children. */
static void tl1_ignore_children_suspends(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "tl1i_par", NULL, true);
	struct rsim_dev *child = rsim_kunit_ready_child(test, "tl1i_child", par, false);
	struct device *pdev = rsim_dev_device(par);

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(par, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 1, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(par, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 1, 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(child), RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

/* TL-2: resuming a child resumes the parent first; the parent follows it down. */
static void tl2_child_resume_resumes_parent(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "tl2_par", NULL, false);
	struct rsim_dev *child = rsim_kunit_ready_child(test, "tl2_child", par, false);
	struct device *pdev = rsim_dev_device(par);
	struct rsim_event pres, cres;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(par),
						RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &pres));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(child),
						RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &cres));
	KUNIT_EXPECT_LT(test, pres.seq, cres.seq);
	KUNIT_EXPECT_EQ(test, pres.ret, 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(child), RPM_SUSPENDED, 0, 0, 0);
	tl_wait_suspended(test, par);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * TL-1 when an active child goes: device_del() disables its runtime PM and
 * re-inits it (pm_runtime_remove()), which marks it suspended, so the
 * parent loses the active child it counted and may suspend again.
 */
static void tl1_deleted_active_child_releases_parent(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "tl1d_par", NULL, false);
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "tl1d_child"),
		.parent = par,
		.no_bind = true,
	};
	struct device *pdev = rsim_dev_device(par);
	struct rsim_dev *child;

	rsim_kunit_use_bus(test, &cfg);
	child = rsim_kunit_dev(test, &cfg);
	RSIM_EXPECT_PM(test, rsim_dev_device(child), RPM_SUSPENDED, 0, 0, 1);
	/* The attach that found no driver for the child resumed the parent. */
	tl_wait_suspended(test, par);
	rsim_kunit_make_active(test, par);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_SET_ACTIVE), 0);
	rsim_rpm_call(child, RSIM_EV_RPM_ENABLE);
	RSIM_EXPECT_PM(test, rsim_dev_device(child), RPM_ACTIVE, 0, 0, 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(par, RSIM_EV_RPM_SUSPEND), -EBUSY);

	KUNIT_ASSERT_EQ(test, rsim_dev_destroy(child), 0);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pdev->power.child_count), 0,
			    "the parent still counts the deleted child as active");
	tl_wait_suspended(test, par);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * TL-1 for an irq-safe child: pm_runtime_irq_safe() resumes the parent at
 * once and holds it active while the child is irq-safe (the child's
 * callbacks may run with interrupts off, where no parent could be
 * resumed); the child's own cycles leave the parent alone, and the re-init
 * at its unbind gives the reference back.
 */
static void tl1_irq_safe_child_holds_parent(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "tl1s_par", NULL, false);
	struct rsim_dev *child = rsim_kunit_ready_child(test, "tl1s_child", par, false);
	struct device *pdev = rsim_dev_device(par);
	struct device *cdev = rsim_dev_device(child);

	rsim_rpm_call(child, RSIM_EV_RPM_IRQ_SAFE);
	RSIM_EXPECT_PM_F(test, cdev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_IRQ_SAFE);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 1, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM_F(test, cdev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_IRQ_SAFE);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 0, 0);

	rsim_kunit_unbind(child);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 1);
	tl_wait_suspended(test, par);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * TL-2 when the parent fails to resume: the child's resume stops with
 * -EBUSY before its own callback, the child stays suspended (its error
 * untouched, the reference of get_sync kept) and the parent keeps its
 * error (rpm_resume(), 6.1 and 6.12 alike).
 */
static void tl2_failed_parent_fails_child(struct kunit *test)
{
	struct rsim_dev *par = rsim_kunit_ready_child(test, "tl2f_par", NULL, false);
	struct rsim_dev *child = rsim_kunit_ready_child(test, "tl2f_child", par, false);
	struct device *pdev = rsim_dev_device(par);
	struct device *cdev = rsim_dev_device(child);
	u64 mark;

	rsim_dev_set_behaviour(par, &tl_resume_fails_once);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_GET_SYNC), -EBUSY);
	KUNIT_EXPECT_EQ_MSG(test, rsim_kunit_driver_callbacks(test, child, mark), 0,
			    "the child resumed under a parent that failed to");
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(pdev, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 1, 0, 0);
	RSIM_EXPECT_PM_F(test, pdev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_ERROR);
	KUNIT_EXPECT_EQ(test, rsim_pm(pdev).runtime_error, -EIO);

	/* The parent's error cleared, the same resume goes through. */
	rsim_rpm_call(par, RSIM_EV_RPM_SET_SUSPENDED);
	rsim_rpm_call(child, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(child, RSIM_EV_RPM_PUT_SYNC), 0);
	tl_wait_suspended(test, par);
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * TL-3: with a DL_FLAG_PM_RUNTIME link the supplier resumes first and stays
 * active (usage held) while the consumer is; deleting the link returns the
 * supplier's usage_count to 0.
 */
static void tl3_link_supplier_first(struct kunit *test)
{
	struct rsim_dev *sup = rsim_kunit_ready_child(test, "tl3_sup", NULL, false);
	struct rsim_dev *con = rsim_kunit_ready_child(test, "tl3_con", NULL, false);
	struct device *sdev = rsim_dev_device(sup);
	struct rsim_event sres, cres;
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(sup),
						RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &sres));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(con),
						RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &cres));
	KUNIT_EXPECT_LT(test, sres.seq, cres.seq);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(sup, RSIM_EV_RPM_SUSPEND), -EAGAIN);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);

	/* Deleting the link while the consumer is active drops its reference. */
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_link_del(con, sup), 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(sdev).usage_count, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * TL-3 by pm_runtime_set_active() and pm_runtime_set_suspended():
 * __pm_runtime_set_status() resumes and holds the PM_RUNTIME suppliers of a
 * consumer it marks active, and gives them back when it marks it suspended
 * (6.1 and 6.12 alike). Runtime PM of the consumer is off meanwhile, as
 * set_status requires.
 */
static void tl3_set_status_holds_supplier(struct kunit *test)
{
	struct rsim_dev *sup = rsim_kunit_ready_child(test, "tl3s_sup", NULL, false);
	struct rsim_dev *con = rsim_kunit_ready_child(test, "tl3s_con", NULL, false);
	struct device *sdev = rsim_dev_device(sup);
	struct device *cdev = rsim_dev_device(con);

	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	rsim_rpm_call(con, RSIM_EV_RPM_DISABLE);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_SET_ACTIVE), 0);
	RSIM_EXPECT_PM(test, cdev, RPM_ACTIVE, 0, 0, 1);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(sup, RSIM_EV_RPM_SUSPEND), -EAGAIN);

	rsim_rpm_call(con, RSIM_EV_RPM_SET_SUSPENDED);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 1);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
	rsim_rpm_call(con, RSIM_EV_RPM_ENABLE);
}

/*
 * TL-3 with DL_FLAG_RPM_ACTIVE: device_link_add() resumes the supplier of
 * an active consumer and hands that reference to the link (rpm_active 2);
 * the consumer's suspend gives it back, and later cycles are a plain
 * PM_RUNTIME link's.
 */
static void tl3_rpm_active_link_holds_supplier(struct kunit *test)
{
	struct rsim_dev *sup = rsim_kunit_ready_child(test, "tl3a_sup", NULL, false);
	struct rsim_dev *con = rsim_kunit_ready_child(test, "tl3a_con", NULL, false);
	struct device *sdev = rsim_dev_device(sup);
	struct device *cdev = rsim_dev_device(con);

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME |
					    DL_FLAG_RPM_ACTIVE), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(sup, RSIM_EV_RPM_SUSPEND), -EAGAIN);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 0);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_link_del(con, sup), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * TL-3 on a failed resume: the supplier resumed for the consumer is given
 * back when the consumer's ->runtime_resume fails (__rpm_callback(), "Do
 * that if resume fails too"), without an idle check of its own.
 */
static void tl3_failed_resume_releases_supplier(struct kunit *test)
{
	struct rsim_dev *sup = rsim_kunit_ready_child(test, "tl3f_sup", NULL, false);
	struct rsim_dev *con = rsim_kunit_ready_child(test, "tl3f_con", NULL, false);
	struct device *sdev = rsim_dev_device(sup);
	struct device *cdev = rsim_dev_device(con);

	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	rsim_dev_set_behaviour(con, &tl_resume_fails_once);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), -EIO);
	RSIM_EXPECT_PM_F(test, cdev, RPM_SUSPENDED, 1, 0, 0, RSIM_PM_ERROR);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(sup, RSIM_EV_RPM_IDLE), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);

	rsim_rpm_call(con, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(con, RSIM_EV_RPM_SET_SUSPENDED);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * TL-3 when a supplier fails to resume: rpm_get_suppliers() stops at it
 * (having dropped the reference it took there) and __rpm_callback() gives
 * back those it took on the suppliers before it (rpm_put_suppliers()),
 * which then suspend; the consumer's resume fails with the error, and the
 * consumer's callback never runs.
 */
static void tl3_failed_supplier_releases_others(struct kunit *test)
{
	struct rsim_dev *s1 = rsim_kunit_ready_child(test, "tl3x_s1", NULL, false);
	struct rsim_dev *s2 = rsim_kunit_ready_child(test, "tl3x_s2", NULL, false);
	struct rsim_dev *con = rsim_kunit_ready_child(test, "tl3x_con", NULL, false);
	struct device *cdev = rsim_dev_device(con);
	u64 mark;

	/* Resumed in the order of the links: s1, then s2. */
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, s1, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, s2, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	rsim_dev_set_behaviour(s2, &tl_resume_fails_once);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), -EIO);
	KUNIT_EXPECT_EQ_MSG(test, rsim_pm(rsim_dev_device(s1)).usage_count, 0,
			    "the supplier resumed before the one that failed was not given back");
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, con, mark), 0);
	RSIM_EXPECT_PM_F(test, cdev, RPM_SUSPENDED, 1, 0, 0, RSIM_PM_ERROR);
	RSIM_EXPECT_PM_F(test, rsim_dev_device(s2), RPM_SUSPENDED, 0, 0, 0, RSIM_PM_ERROR);
	tl_wait_suspended(test, s1);
	RSIM_EXPECT_PM(test, rsim_dev_device(s1), RPM_SUSPENDED, 0, 0, 0);

	rsim_rpm_call(s2, RSIM_EV_RPM_SET_SUSPENDED);
	rsim_rpm_call(con, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(con, RSIM_EV_RPM_SET_SUSPENDED);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(s2), RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_link_del(con, s2), 0);
	KUNIT_EXPECT_EQ(test, rsim_link_del(con, s1), 0);
}

/*
 * TL-3 with a supplier whose runtime PM is disabled: rpm_get_suppliers()
 * ignores its -EACCES, so the consumer resumes; the supplier's usage
 * count still holds the consumer's reference until the consumer suspends
 * (6.1 and 6.12 alike).
 */
static void tl3_disabled_supplier_ignored(struct kunit *test)
{
	struct rsim_dev *sup = rsim_kunit_ready_child(test, "tl3d_sup", NULL, false);
	struct rsim_dev *con = rsim_kunit_ready_child(test, "tl3d_con", NULL, false);
	struct device *sdev = rsim_dev_device(sup);
	struct device *cdev = rsim_dev_device(con);

	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	rsim_rpm_call(sup, RSIM_EV_RPM_DISABLE);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ_MSG(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0,
			    "a supplier with runtime PM disabled failed its consumer's resume");
	RSIM_EXPECT_PM(test, cdev, RPM_ACTIVE, 1, 0, 0);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 1, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 1);
	rsim_rpm_call(sup, RSIM_EV_RPM_ENABLE);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_link_del(con, sup), 0);
}

/* TL-3: unbinding the consumer of a managed link returns the supplier to 0. */
static void tl3_unbind_consumer_releases_supplier(struct kunit *test)
{
	struct rsim_dev *sup = rsim_kunit_ready_child(test, "tl3u_sup", NULL, false);
	struct rsim_dev *con = rsim_kunit_ready_child(test, "tl3u_con", NULL, false);
	struct device *sdev = rsim_dev_device(sup);

	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_ACTIVE, 1, 0, 0);
	rsim_rpm_call(con, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_kunit_unbind(con);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(con), RPM_SUSPENDED, 0, 0, 1);
}

/* A bound, suspended device on the bus that is not the case's. */
static struct rsim_dev *tl_other_bus_dev(struct kunit *test, const char *base)
{
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.bus = b->bus == RSIM_BUS_SIM ? RSIM_BUS_PLATFORM : RSIM_BUS_SIM,
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};

	return rsim_kunit_ready(test, &cfg);
}

/*
 * TL-4: probing a child resumes its parent and its PM_RUNTIME suppliers for
 * the duration of the probe. The references differ by path: __device_attach()
 * takes one on the parent and __driver_probe_device() another, while the
 * driver_register() -> __driver_attach() path only takes the second.
 */
static void tl4_probe_resumes_parent(struct kunit *test, bool driver_attach)
{
	const struct rsim_kunit_bus *b = test->param_value;
	/* Parent and supplier stay bound while the child's driver comes and goes. */
	struct rsim_dev *par = tl_other_bus_dev(test, "tl4_par");
	struct rsim_dev *sup = tl_other_bus_dev(test, "tl4_sup");
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "tl4_child"),
		.parent = par,
		.no_bind = true,
	};
	struct rsim_kunit_thread *t;
	struct rsim_dev *child;

	rsim_kunit_use_bus(test, &cfg);
	child = rsim_kunit_dev(test, &cfg);
	KUNIT_ASSERT_EQ(test, rsim_link_add(child, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(child, RSIM_GATE_PROBE), 0);
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(child, true), 0);
	if (driver_attach) {
		/* Re-registering the driver walks the bus: __driver_attach(). */
		rsim_kunit_driver_off(test, b->bus);
		t = rsim_kunit_run(test, rsim_kunit_register_fn, (void *)(long)b->bus);
	} else {
		t = rsim_kunit_run(test, rsim_kunit_bind_fn, child);
	}
	/*
	 * Registering again may first wait for the old driver's sysfs
	 * directory (DEBUG_KOBJECT_RELEASE delays its release up to 4 s).
	 */
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(child, RSIM_GATE_PROBE,
						     RSIM_DRIVER_WAIT_MS), 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(par), RPM_ACTIVE, driver_attach ? 1 : 2, 0, 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(sup), RPM_ACTIVE, 1, 0, 0);
	rsim_gate_release(child, RSIM_GATE_PROBE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	/* driver_register() returns before an asynchronous probe ends. */
	wait_for_device_probe();
	KUNIT_EXPECT_TRUE(test, rsim_dev_bound(child));
	tl_wait_suspended(test, par);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, rsim_dev_device(par), RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(sup), RPM_SUSPENDED, 0, 0, 0);
}

/* TL-4 through device_attach() -> __device_attach() */
static void tl4_probe_resumes_parent_device_attach(struct kunit *test)
{
	tl4_probe_resumes_parent(test, false);
}

/* TL-4 through driver_register() -> driver_attach() */
static void tl4_probe_resumes_parent_driver_attach(struct kunit *test)
{
	tl4_probe_resumes_parent(test, true);
}

/*
 * TL-4 for a link made in the consumer's probe: device_link_add() of a
 * managed PM_RUNTIME link while the consumer probes resumes the supplier
 * at once, without DL_FLAG_RPM_ACTIVE (the link starts CONSUMER_PROBE;
 * 6.1 and 6.12 alike); the consumer's own cycles then let it suspend.
 */
static void tl4_link_made_in_probe_resumes_supplier(struct kunit *test)
{
	struct rsim_dev *sup = tl_other_bus_dev(test, "tl4l_sup");
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "tl4l_con"),
		.no_bind = true,
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};
	struct device *sdev = rsim_dev_device(sup);
	struct rsim_kunit_thread *t;
	struct device_link *link;
	struct rsim_dev *con;

	rsim_kunit_use_bus(test, &cfg);
	con = rsim_kunit_dev(test, &cfg);
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(con, RSIM_GATE_PROBE), 0);
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(con, true), 0);
	t = rsim_kunit_run(test, rsim_kunit_bind_fn, con);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(con, RSIM_GATE_PROBE, RSIM_WAIT_MS), 0);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
	/* The driver core deletes the managed link with the consumer. */
	link = device_link_add(rsim_dev_device(con), sdev, DL_FLAG_PM_RUNTIME);
	if (link) {
		KUNIT_EXPECT_EQ(test, READ_ONCE(link->status), DL_STATE_CONSUMER_PROBE);
		KUNIT_EXPECT_EQ_MSG(test, rsim_pm(sdev).runtime_status, RPM_ACTIVE,
				    "a link made in the consumer's probe left the supplier suspended");
	}
	rsim_gate_release(con, RSIM_GATE_PROBE);
	KUNIT_ASSERT_NOT_NULL(test, link);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	wait_for_device_probe();
	KUNIT_EXPECT_TRUE(test, rsim_dev_bound(con));
	tl_wait_suspended(test, con);
	tl_wait_suspended(test, sup);
	RSIM_EXPECT_PM(test, sdev, RPM_SUSPENDED, 0, 0, 0);
}

/* TL-5: after probe the core requests idle: active with usage 0 suspends. */
static void tl5_idle_after_probe(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "tl5"),
		.beh = { .probe = RSIM_PROBE_SET_ACTIVE },
	};
	struct rsim_dev *rsim;
	struct device *dev;
	const char *name;
	u64 mark;

	rsim_kunit_use_bus(test, &cfg);
	mark = rsim_evlog_mark();
	rsim = rsim_kunit_ready(test, &cfg);
	dev = rsim_dev_device(rsim);
	name = rsim_dev_name(rsim);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_IDLE, RSIM_L_DRIVER,
					       RSIM_P_ENTER, mark), 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_EXIT, mark), 1);
	/* Nobody but the core asked: no harness call since creation. */
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, -1, RSIM_L_HARNESS,
					       RSIM_P_CALL, mark), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* The TL checker flags a supplier held active by a consumer's leaked reference. */
static void tl_checker_flags_supplier_held(struct kunit *test)
{
	struct rsim_dev *sup = rsim_kunit_ready_child(test, "tl_bad_sup", NULL, false);
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "tl_bad_con"),
		.no_bind = true,
		.beh = { .probe = RSIM_PROBE_LEAK, .defer_count = 1 },
	};
	struct rsim_dev *con;
	char why[128] = "";

	rsim_kunit_use_bus(test, &cfg);
	con = rsim_kunit_dev(test, &cfg);
	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_dev_set_bindable(con, true), 0);
	rsim_kunit_bind(con);
	rsim_kunit_bind(con);
	KUNIT_EXPECT_TRUE(test, rsim_dev_bound(con));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(rsim_dev_device(con), RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(rsim_dev_device(sup), RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ(test, rsim_check_usage(sup, 0, why, sizeof(why)), 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, "leak"), "%s", why);
}

static struct kunit_case rsim_tl_cases[] = {
	KUNIT_CASE_PARAM(tl1_parent_stays_active_with_child, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl1_ignore_children_suspends, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl1_deleted_active_child_releases_parent, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl1_irq_safe_child_holds_parent, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl2_child_resume_resumes_parent, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl2_failed_parent_fails_child, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl3_link_supplier_first, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl3_set_status_holds_supplier, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl3_rpm_active_link_holds_supplier, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl3_failed_resume_releases_supplier, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl3_failed_supplier_releases_others, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl3_disabled_supplier_ignored, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl3_unbind_consumer_releases_supplier, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl4_probe_resumes_parent_device_attach, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl4_probe_resumes_parent_driver_attach, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl4_link_made_in_probe_resumes_supplier, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl5_idle_after_probe, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(tl_checker_flags_supplier_held, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_tl_suite = {
	.name = "rpm_sim_tl",
	.test_cases = rsim_tl_cases,
};

kunit_test_suite(rsim_tl_suite);
