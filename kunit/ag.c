// SPDX-License-Identifier: GPL-2.0
/*
 * AG: asynchronous get, barriers and "work after resume".
 *
 * pm_runtime_get() is the asynchronous form documented in
 * Documentation/power/runtime_pm.rst; AG-5 models the 2012 ".pm_async_work"
 * RFC (never merged) as a driver-side helper, rsim_work_after_resume().
 * AG-6 contrasts pm_runtime_get_sync() with pm_runtime_resume_and_get()
 * (commit dd8088d5a896, "PM: runtime: Add pm_runtime_resume_and_get to
 * deal with usage counter").
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/random.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

static struct rsim_dev *ag_suspended(struct kunit *test, const char *base)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};
	struct rsim_dev *rsim;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_dev(test, &cfg);
	KUNIT_ASSERT_TRUE(test, rsim_dev_bound(rsim));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(rsim_dev_device(rsim),
						       RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 0);
	return rsim;
}

static unsigned int ag_resumes(struct rsim_dev *rsim, u64 since)
{
	return rsim_kunit_count(rsim_dev_name(rsim), RSIM_EV_RUNTIME_RESUME,
				RSIM_L_DRIVER, RSIM_P_ENTER, since);
}

static unsigned int ag_callbacks(struct rsim_dev *rsim, u64 since)
{
	return rsim_kunit_count(rsim_dev_name(rsim), -1, RSIM_L_DRIVER,
				RSIM_P_ENTER, since);
}

/* AG-1: get on a suspended device returns 0 and queues one resume. */
static void ag1_get_queues_resume(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag1");
	struct device *dev = rsim_dev_device(rsim);
	int ret;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	/* 1 if the barrier ran the pending resume itself, 0 if the work did. */
	ret = rsim_rpm_call(rsim, RSIM_EV_RPM_BARRIER);
	KUNIT_EXPECT_TRUE_MSG(test, ret == 0 || ret == 1, "barrier returned %d", ret);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, ag_resumes(rsim, mark), 1);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).request_pending);

	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* AG-1, waiting on the status instead of a barrier */
static void ag1_get_then_poll_status(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag1_poll");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_ACTIVE, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, ag_resumes(rsim, mark), 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* AG-2: get on an active device returns 1 and runs no callback. */
static void ag2_get_active_returns_one(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag2");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_BARRIER), 0);
	KUNIT_EXPECT_EQ(test, ag_callbacks(rsim, mark), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 2, 0, 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

static int ag_get_fn(void *rsim)
{
	return rsim_rpm_call(rsim, RSIM_EV_RPM_GET);
}

#define AG3_THREADS	8

/*
 * AG-3: concurrent gets while the first one's resume is held in
 * ->runtime_resume: each later get sees RPM_RESUMING and returns
 * -EINPROGRESS; one callback in all; usage_count == N.
 */
static void ag3_concurrent_get(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag3");
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t[AG3_THREADS];
	int i;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_RESUME_ENTRY), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_RESUME_ENTRY,
						     RSIM_WAIT_MS), 0);
	for (i = 1; i < AG3_THREADS; i++)
		t[i] = rsim_kunit_run(test, ag_get_fn, rsim);
	for (i = 1; i < AG3_THREADS; i++) {
		KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t[i], RSIM_WAIT_MS));
		KUNIT_EXPECT_EQ(test, rsim_kunit_thread_ret(t[i]), -EINPROGRESS);
	}
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_status, RPM_RESUMING);
	rsim_gate_release(rsim, RSIM_GATE_RESUME_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_ACTIVE, RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ(test, ag_resumes(rsim, mark), 1);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, AG3_THREADS, 0, 0);

	for (i = 1; i < AG3_THREADS; i++)
		rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

#define AG3_STRESS_ITERATIONS	30
#define AG3_STRESS_THREADS	4

/* AG-3 stress: unforced interleavings, one resume per round every time. */
static void ag3_stress(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag3_stress");
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t[AG3_STRESS_THREADS];
	unsigned int it;
	int i;

	for (it = 0; it < AG3_STRESS_ITERATIONS; it++) {
		u64 mark = rsim_evlog_mark();

		for (i = 0; i < AG3_STRESS_THREADS; i++)
			t[i] = rsim_kunit_run(test, ag_get_fn, rsim);
		for (i = 0; i < AG3_STRESS_THREADS; i++)
			KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t[i], RSIM_WAIT_MS));
		pm_runtime_barrier(dev);
		KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_ACTIVE, RSIM_WAIT_MS));
		KUNIT_ASSERT_EQ_MSG(test, ag_resumes(rsim, mark), 1, "iteration %u", it);
		KUNIT_ASSERT_EQ_MSG(test, rsim_pm(dev).usage_count, AG3_STRESS_THREADS,
				    "iteration %u", it);
		for (i = 1; i < AG3_STRESS_THREADS; i++)
			rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
		KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
		udelay(get_random_u32() % 200);
	}
	kunit_info(test, "AG-3 stress: %u iterations of %d gets", it, AG3_STRESS_THREADS);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* AG-4: a barrier cancels a scheduled suspend and a queued idle. */
static void ag4_barrier_cancels_requests(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag4");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SCHEDULE_SUSPEND), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_BARRIER), 0);
	msleep(60);
	KUNIT_EXPECT_EQ(test, ag_callbacks(rsim, mark), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).request_pending);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), 0);
}

static int ag_barrier_fn(void *rsim)
{
	return rsim_rpm_call(rsim, RSIM_EV_RPM_BARRIER);
}

/* AG-4: a barrier waits for a callback in progress; none runs after it. */
static void ag4_barrier_waits_for_callback(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag4_wait");
	struct device *dev = rsim_dev_device(rsim);
	const char *name = rsim_dev_name(rsim);
	struct rsim_kunit_thread *t;
	struct rsim_event ex;
	u64 mark, done;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_SUSPEND_ENTRY), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_IDLE), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_SUSPEND_ENTRY,
						     RSIM_WAIT_MS), 0);
	t = rsim_kunit_run(test, ag_barrier_fn, rsim);
	KUNIT_EXPECT_FALSE(test, rsim_kunit_join(t, 50));
	rsim_gate_release(rsim, RSIM_GATE_SUSPEND_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	done = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_kunit_thread_ret(t), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &ex));
	KUNIT_EXPECT_LT(test, ex.seq, done);
	msleep(20);
	KUNIT_EXPECT_EQ(test, ag_callbacks(rsim, done), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* AG-5: work after resume runs once the device is active, and only then. */
static void ag5_work_after_resume(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag5");
	struct device *dev = rsim_dev_device(rsim);
	const char *name = rsim_dev_name(rsim);
	struct rsim_event res, work;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_work(rsim, 1, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &res));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_WORK, RSIM_L_DRIVER,
						-1, mark, 0, &work));
	KUNIT_EXPECT_EQ(test, work.ret, 0);
	KUNIT_EXPECT_EQ(test, work.pm.runtime_status, RPM_ACTIVE);
	KUNIT_EXPECT_LT(test, res.seq, work.seq);
	/* The work's put lets the device suspend again. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	/* Active already: get returns 1 and the work runs at once. */
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_work(rsim, 2, RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(name, RSIM_EV_WORK, RSIM_L_DRIVER, -1, mark), 2);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).usage_count, 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
}

/* AG-5: work pending on a held resume while unbind runs: never after ->remove. */
static void ag5_no_work_after_remove(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag5_rm");
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t;
	char why[128] = "";
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_RESUME_ENTRY), 0);
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_RESUME_ENTRY,
						     RSIM_WAIT_MS), 0);
	t = rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
	msleep(20);
	rsim_gate_release(rsim, RSIM_GATE_RESUME_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	msleep(20);
	KUNIT_EXPECT_EQ_MSG(test, rsim_check_no_callback_after_remove(rsim, mark, why, sizeof(why)),
			    0, why);
	KUNIT_EXPECT_LE(test, rsim_work_count(rsim), 1);
	/* Whether the work ran or ->remove cancelled it, its reference is gone. */
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).usage_count, 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).disable_depth, 1);
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), -ENODEV);
}

static void ag6_set_fail(struct rsim_dev *rsim)
{
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_GET_PUT,
				      .resume_err = -EIO, .resume_err_count = 1 };

	rsim_dev_set_behaviour(rsim, &beh);
}

/*
 * AG-6: get_sync keeps its reference when the resume fails; resume_and_get
 * drops it. runtime_error holds the failure and blocks further resumes
 * (-EINVAL, no callback) until pm_runtime_set_suspended() clears it.
 */
static void ag6_get_sync_keeps_usage_on_error(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag6");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	ag6_set_fail(rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), -EIO);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, -EIO);

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), -EINVAL);
	KUNIT_EXPECT_EQ(test, ag_callbacks(rsim, mark), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	ag6_set_fail(rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME_AND_GET), -EIO);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, -EIO);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);

	/* Healthy again */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME_AND_GET), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
}

/* The AG checker flags the reference leaked after a failed get_sync. */
static void ag_checker_flags_get_sync_leak(struct kunit *test)
{
	struct rsim_dev *rsim = ag_suspended(test, "ag_bad");
	char why[128] = "";

	ag6_set_fail(rsim);
	/* The bug: no put_noidle after get_sync failed. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), -EIO);
	KUNIT_EXPECT_EQ(test, rsim_check_usage(rsim, 0, why, sizeof(why)), 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, "leak"), "%s", why);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_EXPECT_EQ(test, rsim_check_usage(rsim, 0, why, sizeof(why)), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
}

static struct kunit_case rsim_ag_cases[] = {
	KUNIT_CASE_PARAM(ag1_get_queues_resume, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag1_get_then_poll_status, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag2_get_active_returns_one, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag3_concurrent_get, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag3_stress, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag4_barrier_cancels_requests, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag4_barrier_waits_for_callback, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag5_work_after_resume, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag5_no_work_after_remove, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag6_get_sync_keeps_usage_on_error, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag_checker_flags_get_sync_leak, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_ag_suite = {
	.name = "rpm_sim_ag",
	.test_cases = rsim_ag_cases,
};

kunit_test_suite(rsim_ag_suite);
