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

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

static struct rsim_dev *ag_ready(struct kunit *test, const char *base)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};

	rsim_kunit_use_bus(test, &cfg);
	return rsim_kunit_ready(test, &cfg);
}

static unsigned int ag_resumes(struct kunit *test, struct rsim_dev *rsim, u64 since)
{
	return rsim_kunit_count(test, rsim_dev_name(rsim), RSIM_EV_RUNTIME_RESUME,
				RSIM_L_DRIVER, RSIM_P_ENTER, since);
}

/* After a get and its wait: one resume, usage 1; the put suspends again. */
static void ag1_expect_resumed_once(struct kunit *test, struct rsim_dev *rsim, u64 mark)
{
	struct device *dev = rsim_dev_device(rsim);

	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, ag_resumes(test, rsim, mark), 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* AG-1: get on a suspended device returns 0 and queues one resume. */
static void ag1_get_queues_resume(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag1");
	int ret;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	/* 1 if the barrier ran the pending resume itself, 0 if the work did. */
	ret = rsim_rpm_call(rsim, RSIM_EV_RPM_BARRIER);
	if (rsim_rpm_returns(RSIM_EV_RPM_BARRIER))
		KUNIT_EXPECT_TRUE_MSG(test, ret == 0 || ret == 1, "barrier returned %d", ret);
	ag1_expect_resumed_once(test, rsim, mark);
}

/* AG-1, waiting on the status instead of a barrier */
static void ag1_get_then_poll_status(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag1_poll");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_ACTIVE, RSIM_WAIT_MS));
	ag1_expect_resumed_once(test, rsim, mark);
}

/* AG-2: get on an active device returns 1 and runs no callback. */
static void ag2_get_active_returns_one(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag2");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 1);
	RSIM_EXPECT_RET(test, rsim, RSIM_EV_RPM_BARRIER, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 2, 0, 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* Far beyond any case: the timer can only go by a cancellation. */
#define AG_SUSPEND_DELAY_MS	60000

/*
 * AG-2 with a suspend scheduled: pm_runtime_get() on an active device
 * returns 1 and disarms the timer pm_schedule_suspend() set (rpm_resume()
 * cancels every timer but autosuspend's before it looks at the status), so
 * nothing is left to fire under the new user.
 */
static void ag2_get_cancels_scheduled_suspend(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag2s");
	struct device *dev = rsim_dev_device(rsim);

	rsim_kunit_make_active(test, rsim);
	KUNIT_ASSERT_EQ(test, pm_schedule_suspend(dev, AG_SUSPEND_DELAY_MS), 0);
	KUNIT_ASSERT_TRUE(test, rsim_pm(dev).timer_armed);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 1);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
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
	struct rsim_dev *rsim = ag_ready(test, "ag3");
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
	KUNIT_EXPECT_EQ(test, ag_resumes(test, rsim, mark), 1);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, AG3_THREADS, 0, 0);

	for (i = 1; i < AG3_THREADS; i++)
		rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

#define AG3_STRESS_ITERATIONS	30
#define AG3_STRESS_THREADS	4

struct ag3_start {
	struct rsim_dev *rsim;
	atomic_t go;
};

/* Wait (yielding) until the start, then get: all of them close together. */
static int ag3_racer_fn(void *data)
{
	struct ag3_start *s = data;

	while (!atomic_read(&s->go))
		cond_resched();
	return rsim_rpm_call(s->rsim, RSIM_EV_RPM_GET);
}

/* AG-3 stress: unforced interleavings, one resume per round every time. */
static void ag3_stress(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag3_stress");
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t[AG3_STRESS_THREADS];
	struct ag3_start start = { .rsim = rsim };
	unsigned int n = rsim_kunit_stress_iterations(AG3_STRESS_ITERATIONS);
	unsigned int it, overlapped = 0;
	struct rnd_state rnd;
	int i;

	rsim_kunit_rand_init(test, &rnd);
	for (it = 0; it < n; it++) {
		u64 mark = rsim_evlog_mark();
		bool busy = false;

		atomic_set(&start.go, 0);
		for (i = 0; i < AG3_STRESS_THREADS; i++)
			t[i] = rsim_kunit_run(test, ag3_racer_fn, &start);
		udelay(prandom_u32_state(&rnd) % 200);
		atomic_set(&start.go, 1);
		for (i = 0; i < AG3_STRESS_THREADS; i++) {
			KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t[i], RSIM_WAIT_MS));
			busy |= rsim_kunit_thread_ret(t[i]) == -EINPROGRESS;
		}
		overlapped += busy;
		KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_ACTIVE, RSIM_WAIT_MS));
		KUNIT_ASSERT_EQ_MSG(test, ag_resumes(test, rsim, mark), 1, "iteration %u", it);
		KUNIT_ASSERT_EQ_MSG(test, rsim_pm(dev).usage_count, AG3_STRESS_THREADS,
				    "iteration %u", it);
		for (i = 1; i < AG3_STRESS_THREADS; i++)
			rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
		KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
	}
	kunit_info(test, "AG-3 stress: %u iterations of %d gets, %u with a get during the resume",
		   it, AG3_STRESS_THREADS, overlapped);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * AG-4: a barrier cancels a scheduled suspend: once it returns, no timer
 * is armed and no request queued, so nothing of the old requests can run.
 */
static void ag4_barrier_cancels_requests(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag4");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	rsim_kunit_make_active(test, rsim);

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SCHEDULE_SUSPEND), 0);
	KUNIT_EXPECT_TRUE(test, rsim_pm(dev).timer_armed);
	RSIM_EXPECT_RET(test, rsim, RSIM_EV_RPM_BARRIER, 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SUSPEND), 0);
}

static int ag_barrier_fn(void *rsim)
{
	return rsim_rpm_call(rsim, RSIM_EV_RPM_BARRIER);
}

/*
 * AG-4: a barrier waits for a callback in progress, and after it returns
 * nothing is queued, armed or running.
 */
static void ag4_barrier_waits_for_callback(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag4_wait");
	struct device *dev = rsim_dev_device(rsim);
	const char *name = rsim_dev_name(rsim);
	struct rsim_kunit_thread *t;
	struct rsim_event ex, bar;
	u64 mark;

	mark = rsim_kunit_hold_suspending(test, rsim);
	t = rsim_kunit_run(test, ag_barrier_fn, rsim);
	/* The barrier sleeps until the suspend in progress ends. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_waiter(dev, RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RPM_BARRIER,
					       RSIM_L_HARNESS, RSIM_P_CALL, mark), 0);
	rsim_gate_release(rsim, RSIM_GATE_SUSPEND_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	if (rsim_rpm_returns(RSIM_EV_RPM_BARRIER))
		KUNIT_EXPECT_EQ(test, rsim_kunit_thread_ret(t), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_SUSPEND,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &ex));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RPM_BARRIER,
						RSIM_L_HARNESS, RSIM_P_CALL, mark, 0, &bar));
	KUNIT_EXPECT_LT(test, ex.seq, bar.seq);
	/* At the barrier's return nothing could still call the driver. */
	RSIM_EXPECT_EV_PM(test, &bar, RPM_SUSPENDED, 0, 0, 0);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* AG-5: work after resume runs once the device is active, and only then. */
static void ag5_work_after_resume(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag5");
	struct device *dev = rsim_dev_device(rsim);
	const char *name = rsim_dev_name(rsim);
	struct rsim_event res, work;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_work(rsim, 1, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_RESUME,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &res));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_WORK, RSIM_L_DRIVER,
						-1, mark, 0, &work));
	KUNIT_EXPECT_EQ(test, work.ret, 0);
	KUNIT_EXPECT_NE(test, work.pm.runtime_status, RPM_SUSPENDED);
	KUNIT_EXPECT_LT(test, res.seq, work.seq);
	/* The work's put lets the device suspend again. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	/* Active already: get returns 1 and the work runs at once. */
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_work(rsim, 2, RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_WORK, RSIM_L_DRIVER,
					       -1, mark), 2);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(dev, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
}

/*
 * A get on @rsim whose resume is held at @point of @held (@rsim itself, or
 * its supplier), then the helper: the status reads RESUMING, and the
 * helper's get says -EINPROGRESS.
 */
static void ag5_helper_during_held_resume(struct kunit *test, struct rsim_dev *rsim,
					  struct rsim_dev *held, enum rsim_gate_point point)
{
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(held, point), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(held, point, RSIM_WAIT_MS), 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(rsim_dev_device(rsim)).runtime_status, RPM_RESUMING);
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), -EINPROGRESS);
}

/*
 * AG-5: the resume's callback has already succeeded (and passed the point
 * where it hands work on) while the status still reads RPM_RESUMING: the
 * helper's get says -EINPROGRESS, and the work must still run.
 */
static void ag5_work_when_resume_nearly_done(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag5_late");
	struct device *dev = rsim_dev_device(rsim);

	ag5_helper_during_held_resume(test, rsim, rsim, RSIM_GATE_RESUME_EXIT);
	rsim_gate_release(rsim, RSIM_GATE_RESUME_EXIT);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_work(rsim, 1, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(dev, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_SYNC), 0);
}

static bool ag_usage_zero(void *dev)
{
	return !rsim_pm(dev).usage_count;
}

/* What the AG-5 work of one device has done since a mark. */
struct ag5_watch {
	struct kunit *test;
	const char *name;
	u64 mark;
};

static unsigned int ag5_records(struct ag5_watch *w, int type)
{
	return rsim_kunit_count(w->test, w->name, type, RSIM_L_DRIVER, -1, w->mark);
}

/* The work has run, been dropped, or begun to wait for the resume. */
static bool ag5_work_moved(void *data)
{
	struct ag5_watch *w = data;

	return ag5_records(w, RSIM_EV_WORK) + ag5_records(w, RSIM_EV_WORK_DROPPED) +
	       ag5_records(w, RSIM_EV_WORK_WAIT);
}

/*
 * AG-5: a resume under way whose driver callback has not run yet. The core
 * marks the consumer RESUMING, then resumes its supplier (held here at the
 * supplier's ->runtime_resume) before it calls the consumer's callbacks;
 * the helper's get says -EINPROGRESS. An earlier resume of the consumer
 * succeeded: the work must wait for this one, not run on the strength of
 * the last.
 */
static void ag5_work_waits_for_resume_under_way(struct kunit *test)
{
	struct rsim_dev *sup = ag_ready(test, "ag5_sup");
	struct rsim_dev *con = ag_ready(test, "ag5_con");
	struct device *cdev = rsim_dev_device(con);
	struct ag5_watch w = { .test = test, .name = rsim_dev_name(con) };
	struct rsim_event res, work;

	KUNIT_ASSERT_EQ(test, rsim_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME), 0);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_GET_SYNC), 0);
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(rsim_dev_device(sup), RPM_SUSPENDED,
						       RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 0);

	w.mark = rsim_evlog_mark();
	ag5_helper_during_held_resume(test, con, sup, RSIM_GATE_RESUME_ENTRY);
	/* The work has made its choice: it must be to wait. */
	KUNIT_EXPECT_TRUE(test, rsim_kunit_wait_until(ag5_work_moved, &w, RSIM_WAIT_MS));
	KUNIT_EXPECT_EQ(test, ag5_records(&w, RSIM_EV_WORK), 0);
	KUNIT_EXPECT_EQ(test, ag5_records(&w, RSIM_EV_WORK_WAIT), 1);
	rsim_gate_release(sup, RSIM_GATE_RESUME_ENTRY);

	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_work(con, 1, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, w.name, RSIM_EV_RUNTIME_RESUME,
						RSIM_L_DRIVER, RSIM_P_EXIT, w.mark, 0, &res));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, w.name, RSIM_EV_WORK, RSIM_L_DRIVER,
						-1, w.mark, 0, &work));
	KUNIT_EXPECT_LT(test, res.seq, work.seq);
	RSIM_EXPECT_EV_PM(test, &work, RPM_ACTIVE, 2, 0, 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(cdev, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, cdev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(con, RSIM_EV_RPM_PUT_SYNC), 0);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * AG-5: the resume's callback has already failed while the status still
 * reads RPM_RESUMING: the helper's get says -EINPROGRESS, and the work and
 * its reference must go once the resume ends, not wait for ->remove.
 */
static void ag5_failed_resume_under_way_drops_work(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag5_late_fail");
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_GET_PUT,
				      .resume_err = -EIO, .resume_err_count = 1 };
	struct device *dev = rsim_dev_device(rsim);
	struct ag5_watch w = { .test = test, .name = rsim_dev_name(rsim) };
	struct rsim_event drop;

	rsim_dev_set_behaviour(rsim, &beh);
	w.mark = rsim_evlog_mark();
	ag5_helper_during_held_resume(test, rsim, rsim, RSIM_GATE_RESUME_EXIT);
	rsim_gate_release(rsim, RSIM_GATE_RESUME_EXIT);
	/* The harness's get and the helper's: both dropped, the work with it. */
	KUNIT_EXPECT_TRUE(test, rsim_kunit_wait_until(ag5_work_moved, &w, RSIM_WAIT_MS));
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_until(ag_usage_zero, dev, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(dev, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, w.name, RSIM_EV_WORK_DROPPED,
						RSIM_L_DRIVER, -1, w.mark, 0, &drop));
	KUNIT_EXPECT_EQ(test, drop.ret, -EIO);
	KUNIT_EXPECT_EQ(test, rsim_work_count(rsim), 0);
	RSIM_EXPECT_PM_F(test, dev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_ERROR);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, -EIO);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
}

/* AG-5: a resume that fails drops the work and its reference. */
static void ag5_failed_resume_drops_work(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag5_fail");
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_GET_PUT,
				      .resume_err = -EIO, .resume_err_count = 1 };
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_event drop;
	u64 mark;

	rsim_dev_set_behaviour(rsim, &beh);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_work_after_resume(rsim), 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_until(ag_usage_zero, dev, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(dev, RSIM_WAIT_MS));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim),
						RSIM_EV_WORK_DROPPED, RSIM_L_DRIVER, -1,
						mark, 0, &drop));
	KUNIT_EXPECT_EQ(test, drop.ret, -EIO);
	KUNIT_EXPECT_EQ(test, rsim_work_count(rsim), 0);
	RSIM_EXPECT_PM_F(test, dev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_ERROR);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, -EIO);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
}

/* AG-5: work pending on a held resume while unbind runs: never after ->remove. */
static void ag5_no_work_after_remove(struct kunit *test)
{
	struct rsim_dev *rsim = ag_ready(test, "ag5_rm");
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
	/* Unbind's get_sync waits for the held resume. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_waiter(dev, RSIM_WAIT_MS));
	rsim_gate_release(rsim, RSIM_GATE_RESUME_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	RSIM_EXPECT_CHECK(test, rsim_check_no_callback_after_remove(rsim, mark, why,
								    sizeof(why)), why);
	KUNIT_EXPECT_LE(test, rsim_work_count(rsim), 1);
	/* Whether the work ran or ->remove cancelled it, its reference is gone. */
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
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
	struct rsim_dev *rsim = ag_ready(test, "ag6");
	struct device *dev = rsim_dev_device(rsim);
	u64 mark;

	ag6_set_fail(rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), -EIO);
	RSIM_EXPECT_PM_F(test, dev, RPM_SUSPENDED, 1, 0, 0, RSIM_PM_ERROR);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_error, -EIO);

	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME), -EINVAL);
	KUNIT_EXPECT_EQ(test, rsim_kunit_driver_callbacks(test, rsim, mark), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SET_SUSPENDED);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	ag6_set_fail(rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_RESUME_AND_GET), -EIO);
	RSIM_EXPECT_PM_F(test, dev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_ERROR);
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
	struct rsim_dev *rsim = ag_ready(test, "ag_bad");
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
	KUNIT_CASE_PARAM(ag2_get_cancels_scheduled_suspend, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag3_concurrent_get, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag3_stress, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag4_barrier_cancels_requests, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag4_barrier_waits_for_callback, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag5_work_after_resume, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag5_work_when_resume_nearly_done, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag5_failed_resume_drops_work, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag5_work_waits_for_resume_under_way, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ag5_failed_resume_under_way_drops_work, rsim_bus_gen_params),
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
