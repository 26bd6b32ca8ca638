// SPDX-License-Identifier: GPL-2.0
/*
 * RM: runtime PM around driver removal.
 *
 * From commit e1866b33b1b8 ("PM / Runtime: Rework runtime PM handling
 * during driver removal"): __device_release_driver() resumes the device with
 * pm_runtime_get_sync() before BUS_NOTIFY_UNBIND_DRIVER, drops that with
 * pm_runtime_put_sync() before ->remove, and the driver's
 * pm_runtime_disable() (__pm_runtime_disable() -> __pm_runtime_barrier())
 * cancels what is queued and waits for what runs, so no callback of the
 * driver runs after ->remove.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/workqueue.h>
#include <linux/ktime.h>
#include <linux/minmax.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

enum rm_path {
	RM_RELEASE_DRIVER,	/* device_release_driver() */
	RM_DRIVER_UNREGISTER,	/* driver_unregister() -> driver_detach() */
	RM_DEVICE_DEL,		/* device_del() -> bus_remove_device() */
};

/* The behaviour an RM device starts with. */
static struct rsim_behaviour rm_behaviour(enum rsim_remove_mode remove)
{
	return (struct rsim_behaviour){ .probe = RSIM_PROBE_GET_PUT, .remove = remove,
					.schedule_suspend_ms = 10000 };
}

static struct rsim_dev *rm_ready_as(struct kunit *test, const char *base,
				    const struct rsim_behaviour *beh)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.beh = *beh,
	};

	rsim_kunit_use_bus(test, &cfg);
	return rsim_kunit_ready(test, &cfg);
}

static struct rsim_dev *rm_ready(struct kunit *test, const char *base,
				 enum rsim_remove_mode remove)
{
	struct rsim_behaviour beh = rm_behaviour(remove);

	return rm_ready_as(test, base, &beh);
}

/* Active, usage 0, nothing pending: the state a request can act on. */
/*
 * Unbind @rsim on @path. driver_unregister() leaves the driver off (the
 * caller has it registered again); device_del() frees @rsim unless the
 * caller holds a reference to its device.
 */
static void rm_unbind(struct kunit *test, struct rsim_dev *rsim, enum rm_path path)
{
	const struct rsim_kunit_bus *b = test->param_value;

	switch (path) {
	case RM_RELEASE_DRIVER:
		rsim_kunit_unbind(rsim);
		break;
	case RM_DRIVER_UNREGISTER:
		rsim_driver_unregister(b->bus);
		break;
	case RM_DEVICE_DEL:
		KUNIT_ASSERT_EQ(test, rsim_dev_destroy(rsim), 0);
		break;
	}
}

/*
 * RM-1 and RM-2 on one unbind path: the notifier sees the device active and
 * referenced, the core's put_sync suspends it before ->remove, and the
 * driver's pm_runtime_suspend() in ->remove finds it suspended.
 */
static void rm_unbind_on_path(struct kunit *test, enum rm_path path)
{
	/*
	 * On the driver_unregister() path, a device bound before the case's:
	 * driver_detach() takes the driver's devices from the tail of its
	 * list, the last bound first (6.1 and 6.12 alike).
	 */
	struct rsim_dev *first = path == RM_DRIVER_UNREGISTER ?
		rm_ready(test, "rm12_first", RSIM_REMOVE_SUSPEND) : NULL;
	struct rsim_dev *rsim = rm_ready(test, "rm12", RSIM_REMOVE_SUSPEND);
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_event first_rm;
	/* A copy: the device_del path frees rsim and its name. */
	const char *name = rsim_kunit_strdup(test, rsim_dev_name(rsim));
	struct {
		struct rsim_event nt, res, rm_in, rm_out, call, susp;
	} *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	char why[128] = "";
	u64 mark;

	KUNIT_ASSERT_NOT_NULL(test, e);

	if (path == RM_DRIVER_UNREGISTER)
		rsim_kunit_driver_back_later(test, b->bus);
	mark = rsim_evlog_mark();
	rm_unbind(test, rsim, path);
	if (path == RM_DEVICE_DEL)
		rsim = NULL;	/* freed: only the log speaks from here */

	/* RM-1: resumed (driver ->runtime_resume) before the notifier ... */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBIND_DRIVER,
						       mark, &e->nt));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_RESUME,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &e->res));
	KUNIT_EXPECT_EQ(test, e->res.ret, 0);
	KUNIT_EXPECT_LT(test, e->res.seq, e->nt.seq);
	if (b->pm_domain)
		KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
						       RSIM_L_DOMAIN, RSIM_P_ENTER, mark), 1);
	/* ... which sees it active with the core's reference. */
	RSIM_EXPECT_EV_PM(test, &e->nt, RPM_ACTIVE, 1, 0, 0);

	/* RM-2: the core's put_sync suspended it before ->remove. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &e->rm_in));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_SUSPEND,
						RSIM_L_DRIVER, RSIM_P_EXIT, e->nt.seq, 0,
						&e->susp));
	KUNIT_EXPECT_EQ(test, e->susp.ret, 0);
	KUNIT_EXPECT_LT(test, e->susp.seq, e->rm_in.seq);
	RSIM_EXPECT_EV_PM(test, &e->rm_in, RPM_SUSPENDED, 0, 0, 0);

	/* pm_runtime_suspend() in ->remove: already suspended, returns 1. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RPM_SUSPEND, RSIM_L_DRIVER,
						RSIM_P_CALL, e->rm_in.seq, 0, &e->call));
	KUNIT_EXPECT_EQ(test, e->call.ret, 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &e->rm_out));
	RSIM_EXPECT_EV_PM(test, &e->rm_out, RPM_SUSPENDED, 0, 0, 1);
	if (first) {
		KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(first),
							RSIM_EV_REMOVE, RSIM_L_DRIVER,
							RSIM_P_ENTER, mark, 0, &first_rm));
		KUNIT_EXPECT_LT_MSG(test, e->rm_out.seq, first_rm.seq,
				    "driver_detach() did not unbind the last bound device first");
	}

	/* One resume and one suspend in all, no callback after ->remove. */
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	if (!rsim)
		return;
	RSIM_EXPECT_CHECK(test, rsim_check_no_callback_after_remove(rsim, mark, why,
								    sizeof(why)), why);
	RSIM_EXPECT_CHECK(test, rsim_check_unbound(rsim, mark, 0, why, sizeof(why)), why);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
}

/* RM-1/RM-2 through device_release_driver() */
static void rm1_notifier_sees_active(struct kunit *test)
{
	rm_unbind_on_path(test, RM_RELEASE_DRIVER);
}

/* RM-1/RM-2 through driver_unregister(), the driver_detach() path */
static void rm1_notifier_sees_active_driver_unregister(struct kunit *test)
{
	rm_unbind_on_path(test, RM_DRIVER_UNREGISTER);
}

/* RM-1/RM-2 through device_del(), the device deletion path */
static void rm1_notifier_sees_active_device_del(struct kunit *test)
{
	rm_unbind_on_path(test, RM_DEVICE_DEL);
}

/*
 * RM-1 seen live: the notifier gate holds the driver core inside
 * BUS_NOTIFY_UNBIND_DRIVER; there the device is active, referenced, and
 * ->remove has not started.
 */
static void rm1_held_at_unbind_notifier(struct kunit *test)
{
	struct rsim_dev *rsim = rm_ready(test, "rm1_gate", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t;
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_NOTIFIER), 0);
	t = rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_NOTIFIER,
						     RSIM_WAIT_MS), 0);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim), RSIM_EV_REMOVE,
					       -1, -1, mark), 0);
	rsim_gate_release(rsim, RSIM_GATE_NOTIFIER);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
}

static void rm_restore_bus_opts(void *data)
{
	struct rsim_bus_opts o = {};

	rsim_bus_set_opts(&o);
}

/*
 * RM-2 corollary: a bus that holds a reference across ->remove (as PCI
 * does) makes ->remove start active; the driver's pm_runtime_suspend()
 * then fails with -EAGAIN and the re-init marks the device suspended.
 */
static void rm2_bus_holds_reference(struct kunit *test)
{
	struct rsim_bus_opts o = { .hold_rpm_across_remove = true };
	struct rsim_event rm_in, call;
	struct rsim_dev *rsim;
	const char *name;
	u64 mark;

	rsim = rm_ready(test, "rm2_hold", RSIM_REMOVE_SUSPEND);
	name = rsim_dev_name(rsim);
	rsim_bus_set_opts(&o);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rm_restore_bus_opts, NULL), 0);

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(rsim);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &rm_in));
	RSIM_EXPECT_EV_PM(test, &rm_in, RPM_ACTIVE, 1, 0, 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RPM_SUSPEND, RSIM_L_DRIVER,
						RSIM_P_CALL, rm_in.seq, 0, &call));
	KUNIT_EXPECT_EQ(test, call.ret, -EAGAIN);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
}

struct rm_sync {
	struct kunit *test;
	struct rsim_dev *rsim;
	u64 mark;
};

/* ->remove has returned: its exit is in the log. */
static bool rm_remove_returned(struct rm_sync *s)
{
	return rsim_kunit_count(s->test, rsim_dev_name(s->rsim), RSIM_EV_REMOVE,
				RSIM_L_DRIVER, RSIM_P_EXIT, s->mark) > 0;
}

/*
 * The remover's pm_runtime_disable() has begun its barrier, or ->remove
 * returned. __pm_runtime_disable() raises disable_depth and the barrier
 * drops the queued request (request = RPM_REQ_NONE) under one hold of
 * power.lock, before it lets go of the lock for cancel_work_sync(): a
 * snapshot that sees the depth raised comes after both. (The work item's
 * own PENDING bit is no sync point: while cancel_work_sync() waits for the
 * running instance, v6.1 keeps it set to mark the cancel, v6.12 clears it.)
 */
static bool rm_cancel_began(void *arg)
{
	struct rm_sync *s = arg;

	return rsim_pm(rsim_dev_device(s->rsim)).disable_depth > 0 || rm_remove_returned(s);
}

/* The remover waits on dev->power.wait_queue, or ->remove returned. */
static bool rm_barrier_waits(void *arg)
{
	struct rm_sync *s = arg;
	struct device *dev = rsim_dev_device(s->rsim);

	/* Unlocked: a poll for the runtime PM core's sleepers, looked at again. */
	return waitqueue_active(&dev->power.wait_queue) || rm_remove_returned(s);
}

/*
 * Held callback @ev (entered after @mark) must have returned before
 * ->remove did, leaving the device @status there with @usage references,
 * and nothing of the driver may run after ->remove.
 */
static void rm_expect_finished_first(struct kunit *test, struct rsim_dev *rsim,
				     enum rsim_ev ev, int status, int usage, u64 mark)
{
	const char *name = rsim_dev_name(rsim);
	struct rsim_event cb_out, rm_out;
	char why[128] = "";

	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &rm_out));
	/* The held callback: the last of its kind to end before the check. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, ev, RSIM_L_DRIVER, RSIM_P_EXIT,
						mark, rsim_kunit_count(test, name, ev,
								       RSIM_L_DRIVER, RSIM_P_EXIT,
								       mark) - 1, &cb_out));
	KUNIT_EXPECT_LT_MSG(test, cb_out.seq, rm_out.seq,
			    "->remove returned while ->%s was still running", rsim_ev_name(ev));
	RSIM_EXPECT_CHECK(test, rsim_check_no_callback_after_remove(rsim, mark, why,
								    sizeof(why)), why);
	RSIM_EXPECT_EV_PM(test, &rm_out, status, usage, 0, 1);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, usage, 0, 1);
}

/*
 * pm_wq's worker held in ->runtime_idle of an active device: an idle
 * request made after s->mark, caught at the IDLE gate.
 */
static void rm_hold_idle(struct kunit *test, struct rm_sync *s)
{
	rsim_kunit_make_active(test, s->rsim);
	s->mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(s->rsim, RSIM_GATE_IDLE), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(s->rsim, RSIM_EV_RPM_REQUEST_IDLE), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(s->rsim, RSIM_GATE_IDLE, RSIM_WAIT_MS), 0);
}

/*
 * An unbind of @rsim on @path, started in another thread. Not device_del():
 * it frees the device under the case, which the races below look at after
 * the unbind (rm_unbind_on_path() covers that path from the log).
 */
static struct rsim_kunit_thread *rm_unbind_async(struct kunit *test, struct rsim_dev *rsim,
						 enum rm_path path)
{
	const struct rsim_kunit_bus *b = test->param_value;

	KUNIT_ASSERT_NE(test, path, RM_DEVICE_DEL);
	if (path == RM_DRIVER_UNREGISTER) {
		rsim_kunit_driver_back_later(test, b->bus);
		return rsim_kunit_run(test, rsim_kunit_unregister_fn, (void *)(long)b->bus);
	}
	return rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
}

/* An unbind on @path started in another thread and held at ->remove's gate. */
static struct rsim_kunit_thread *rm_unbind_held_at_remove(struct kunit *test,
							  struct rsim_dev *rsim,
							  enum rm_path path)
{
	struct rsim_kunit_thread *t;

	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_REMOVE), 0);
	t = rm_unbind_async(test, rsim, path);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_REMOVE, RSIM_WAIT_MS), 0);
	return t;
}

/*
 * RM-3, an idle notification under way and a request queued behind it:
 * pm_wq's worker is held in ->runtime_idle, a suspend request waits for
 * the same work item, and ->remove starts. Its pm_runtime_disable() must
 * take the queued request off pm_wq and wait for ->runtime_idle to return;
 * the queued suspend never runs.
 */
static void rm3_idle_running_request_queued(struct kunit *test)
{
	struct rsim_dev *rsim = rm_ready(test, "rm3_idle", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	struct rm_sync s = { .test = test, .rsim = rsim };
	struct rsim_kunit_thread *t;
	struct rsim_event rm_in;
	struct rsim_pm_state st;

	rm_hold_idle(test, &s);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_AUTOSUSPEND), 0);
	st = rsim_pm(dev);
	KUNIT_ASSERT_TRUE(test, st.idle_notification && st.request_pending);

	t = rm_unbind_held_at_remove(test, rsim, RM_RELEASE_DRIVER);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_REMOVE,
						RSIM_L_DRIVER, RSIM_P_ENTER, s.mark, 0, &rm_in));
	/* The work is queued for real when ->remove begins. */
	RSIM_EXPECT_EV_PM_F(test, &rm_in, RPM_ACTIVE, 0, 0, 0, RSIM_PM_PENDING);
	KUNIT_EXPECT_TRUE(test, rm_in.pm.request_pending);
	KUNIT_EXPECT_TRUE(test, rm_in.pm.idle_notification);

	rsim_gate_release(rsim, RSIM_GATE_REMOVE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_until(rm_cancel_began, &s, RSIM_WAIT_MS));
	rsim_gate_release(rsim, RSIM_GATE_IDLE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	rm_expect_finished_first(test, rsim, RSIM_EV_RUNTIME_IDLE, RPM_ACTIVE, 0, s.mark);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim),
					       RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER,
					       RSIM_P_ENTER, s.mark), 0);
}

/*
 * RM-3, an idle notification alone: pm_wq's worker is held in
 * ->runtime_idle with nothing queued behind it, so no cancel_work_sync()
 * waits for the work item; ->remove's pm_runtime_disable() must wait for
 * the notification itself (idle_notification) before it returns.
 */
static void rm3_idle_running_alone(struct kunit *test)
{
	struct rsim_dev *rsim = rm_ready(test, "rm3_idle1", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	struct rm_sync s = { .test = test, .rsim = rsim };
	struct rsim_kunit_thread *t;
	struct rsim_pm_state st;

	rm_hold_idle(test, &s);
	st = rsim_pm(dev);
	KUNIT_ASSERT_TRUE(test, st.idle_notification);
	KUNIT_ASSERT_FALSE(test, st.request_pending);

	t = rm_unbind_held_at_remove(test, rsim, RM_RELEASE_DRIVER);
	rsim_gate_release(rsim, RSIM_GATE_REMOVE);
	/* The remover sleeps in the barrier, or (the bug) ->remove returned. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_until(rm_barrier_waits, &s, RSIM_WAIT_MS));
	rsim_gate_release(rsim, RSIM_GATE_IDLE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	rm_expect_finished_first(test, rsim, RSIM_EV_RUNTIME_IDLE, RPM_ACTIVE, 0, s.mark);
}

/*
 * RM-3, a suspend under way with a resume deferred behind it: pm_wq's
 * worker is held in ->runtime_suspend when a resume request arrives
 * (deferred_resume), and ->remove's pm_runtime_disable() must wait for the
 * suspend to end; the deferred resume then finds runtime PM disabled and
 * never calls the driver.
 */
static void rm3_suspend_running_resume_deferred(struct kunit *test)
{
	struct rsim_dev *rsim = rm_ready(test, "rm3_susp", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	struct rm_sync s = { .test = test, .rsim = rsim };
	struct rsim_kunit_thread *t;
	struct rsim_event out;
	struct rsim_pm_state st;

	s.mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_REMOVE), 0);
	t = rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_REMOVE, RSIM_WAIT_MS), 0);
	/* Inside ->remove: the core's put_sync left it suspended (RM-2). */
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);

	rsim_kunit_hold_suspending(test, rsim);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_RESUME), 0);
	st = rsim_pm(dev);
	KUNIT_ASSERT_EQ(test, st.runtime_status, RPM_SUSPENDING);
	KUNIT_ASSERT_TRUE(test, st.deferred_resume);

	rsim_gate_release(rsim, RSIM_GATE_REMOVE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_until(rm_barrier_waits, &s, RSIM_WAIT_MS));
	rsim_gate_release(rsim, RSIM_GATE_SUSPEND_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	rm_expect_finished_first(test, rsim, RSIM_EV_RUNTIME_SUSPEND, RPM_SUSPENDED, 0, s.mark);
	/* The held suspend's end, and the deferred resume dropped, not run. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_REMOVE,
						RSIM_L_DRIVER, RSIM_P_ENTER, s.mark, 0, &out));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim),
						RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER,
						RSIM_P_EXIT, out.seq, 0, &out));
	KUNIT_EXPECT_EQ(test, out.pm.disable_depth, 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim),
					       RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
					       RSIM_P_ENTER, out.seq), 0);
}

/*
 * RM-3, a delayed suspend armed while ->remove runs: pm_runtime_disable()
 * deactivates its timer, so when ->remove returns nothing is left that
 * could call the driver (no timer, no request).
 */
static void rm3_scheduled_suspend_at_remove(struct kunit *test)
{
	struct rsim_dev *rsim = rm_ready(test, "rm3_timer", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t;
	struct rsim_event rm_out;
	char why[128] = "";
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_REMOVE), 0);
	t = rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_REMOVE, RSIM_WAIT_MS), 0);
	rsim_kunit_make_active(test, rsim);
	/* schedule_suspend_ms is 10 s: the timer is armed when disable runs. */
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SCHEDULE_SUSPEND), 0);
	KUNIT_ASSERT_TRUE(test, rsim_pm(dev).timer_armed);
	rsim_gate_release(rsim, RSIM_GATE_REMOVE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_REMOVE,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &rm_out));
	RSIM_EXPECT_EV_PM(test, &rm_out, RPM_ACTIVE, 0, 0, 1);
	RSIM_EXPECT_CHECK(test, rsim_check_no_callback_after_remove(rsim, mark, why,
								    sizeof(why)), why);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
}

/*
 * RM-4: an asynchronous resume held open in ->runtime_resume while unbind
 * runs on another thread: unbind's get_sync waits for it, the driver is
 * never called after ->remove, and the racing reference is the racer's.
 */
static void rm4_resume_race_on_path(struct kunit *test, enum rm_path path)
{
	struct rsim_dev *rsim = rm_ready(test, "rm4", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t;
	char why[128] = "";
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_RESUME_ENTRY), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_RESUME_ENTRY,
						     RSIM_WAIT_MS), 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).runtime_status, RPM_RESUMING);

	t = rm_unbind_async(test, rsim, path);
	/* The core's get_sync waits for the resume in progress ... */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_waiter(dev, RSIM_WAIT_MS));
	/* ... so unbind is stuck before the notifier, ->remove not begun. */
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim), RSIM_EV_NOTIFY,
					       RSIM_L_CORE, -1, mark), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim), RSIM_EV_REMOVE,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 0);
	rsim_gate_release(rsim, RSIM_GATE_RESUME_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	RSIM_EXPECT_CHECK(test, rsim_check_no_callback_after_remove(rsim, mark, why,
								    sizeof(why)), why);
	/*
	 * Our pm_runtime_get() reference survives unbind and kept the device
	 * active through it; the re-init marked it suspended. Dropping the
	 * reference balances the count; runtime PM is off, so idle says -EACCES.
	 */
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 1);
	RSIM_EXPECT_RET(test, rsim, RSIM_EV_RPM_PUT, -EACCES);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
}

/* RM-4, the resume held open, through device_release_driver() */
static void rm4_resume_race_unbind(struct kunit *test)
{
	rm4_resume_race_on_path(test, RM_RELEASE_DRIVER);
}

/* RM-4, the resume held open, through driver_unregister() */
static void rm4_resume_race_driver_unregister(struct kunit *test)
{
	rm4_resume_race_on_path(test, RM_DRIVER_UNREGISTER);
}

/*
 * RM-4: pm_runtime_get() while ->remove is held, its resume carried out by
 * pm_wq and held in the driver's ->runtime_resume: ->remove's
 * pm_runtime_disable() must wait for the resume, which returns before
 * ->remove does, and nothing of the driver runs after it.
 *
 * Held in the callback, not anywhere earlier: until rpm_resume() marks the
 * device RESUMING (for a platform device, after it let go of power.lock to
 * look at the parent) a pm_runtime_disable() that comes in between makes
 * the worker give the resume up with -EACCES; the driver is not called at
 * all then, which RM-4 allows.
 */
static void rm4_get_during_remove_on_path(struct kunit *test, enum rm_path path)
{
	struct rsim_dev *rsim = rm_ready(test, "rm4_get", RSIM_REMOVE_DISABLE);
	struct rm_sync s = { .test = test, .rsim = rsim };
	struct rsim_kunit_thread *t;
	struct rsim_event rm_in;

	s.mark = rsim_evlog_mark();
	t = rm_unbind_held_at_remove(test, rsim, path);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_REMOVE,
						RSIM_L_DRIVER, RSIM_P_ENTER, s.mark, 0, &rm_in));
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_RESUME_ENTRY), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_RESUME_ENTRY,
						     RSIM_WAIT_MS), 0);
	rsim_gate_release(rsim, RSIM_GATE_REMOVE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_until(rm_barrier_waits, &s, RSIM_WAIT_MS));
	rsim_gate_release(rsim, RSIM_GATE_RESUME_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	/* Our get's reference survives the unbind; the re-init left it suspended. */
	rm_expect_finished_first(test, rsim, RSIM_EV_RUNTIME_RESUME, RPM_ACTIVE, 1, s.mark);
	/* One resume inside ->remove: ours (the core's get_sync came before). */
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, rsim_dev_name(rsim),
					       RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
					       RSIM_P_EXIT, rm_in.seq), 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
}

/* RM-4, a get inside ->remove, through device_release_driver() */
static void rm4_get_during_remove(struct kunit *test)
{
	rm4_get_during_remove_on_path(test, RM_RELEASE_DRIVER);
}

/* RM-4, a get inside ->remove, through driver_unregister() */
static void rm4_get_during_remove_driver_unregister(struct kunit *test)
{
	rm4_get_during_remove_on_path(test, RM_DRIVER_UNREGISTER);
}

struct rm4_racer {
	struct rsim_dev *rsim;
	unsigned int delay_us;
	u64 go_ns;		/* when the racer saw the start */
	atomic_t go;
};

/*
 * The racer's wait before its get and before its put. Busy only when
 * short: a vCPU that spins for milliseconds in a kernel without
 * preemption holds up what needs every CPU (an RCU grace period, a
 * per-CPU worker), and the unbind then waits for the racer: seen on
 * driver_unregister(), whose notifier came a steady delay/2 after the
 * racer's get, so the window ran ahead of every offset aimed at it.
 */
static void rm4_pause(unsigned int us)
{
	if (us < 100)
		udelay(us);
	else
		usleep_range(us, us + 20);
}

/* Wait (yielding) for the unbind to start, then get/put at an offset into it. */
static int rm4_racer_fn(void *data)
{
	struct rm4_racer *r = data;

	while (!atomic_read(&r->go))
		cond_resched();
	r->go_ns = ktime_get_ns();
	rm4_pause(r->delay_us);
	rsim_rpm_call(r->rsim, RSIM_EV_RPM_GET);
	rm4_pause(r->delay_us / 2);
	rsim_rpm_call(r->rsim, RSIM_EV_RPM_PUT);
	return 0;
}

/*
 * How each unbind path is stressed: iterations a round (times the
 * stress_scale parameter), the hits a round needs (an iteration whose get
 * landed inside the unbind; fewer means no race was tried), how many
 * rounds the case may go on for them (a loaded host skews the vCPUs), and
 * how long ->runtime_suspend sleeps from the start. Past the first rounds,
 * each round that leaves the hits short doubles that sleep (the core's
 * put_sync runs it inside the window), from 100 us up to 6400 us: under a
 * loaded host a vCPU can stall for longer than the natural window is wide,
 * and the sleep does not change what the kernel does around it.
 *
 * Thirty rounds, not ten: on the fast 6.12 kernel (the narrowest window)
 * beside two other guests and a kernel build, 400 iterations on the
 * platform bus with the PM domain got 3 hits (1 run in 80).
 * driver_unregister() re-registers the driver every iteration, which a
 * kernel with DEBUG_KOBJECT_RELEASE delays by 1 to 4 s (see
 * rsim_driver_register()): short rounds, a wide window from the start.
 */
static const struct rm4_stress_plan {
	unsigned int round, min_hits, max_rounds, first_sleep_us;
} rm4_stress_plans[] = {
	[RM_RELEASE_DRIVER] = { 40, 4, 30, 0 },
	[RM_DRIVER_UNREGISTER] = { 2, 1, 16, 3200 },
	[RM_DEVICE_DEL] = { 40, 4, 30, 0 },
};

#define RM4_STRESS_WIDEN_FIRST_US	100
#define RM4_STRESS_WIDEN_MAX_US		6400

static const char * const rm_path_names[] = {
	[RM_RELEASE_DRIVER] = "device_release_driver",
	[RM_DRIVER_UNREGISTER] = "driver_unregister",
	[RM_DEVICE_DEL] = "device_del",
};

/* The device a stress iteration holds, so that device_del() cannot free it. */
static void rm4_put_held(void *data)
{
	struct device **held = data;

	put_device(*held);
	*held = NULL;
}

/* Bound again after @path: the same device, or a new one after device_del(). */
static struct rsim_dev *rm4_stress_rebind(struct kunit *test, struct rsim_dev *rsim,
					  enum rm_path path, const struct rsim_behaviour *beh)
{
	const struct rsim_kunit_bus *b = test->param_value;

	switch (path) {
	case RM_RELEASE_DRIVER:
		KUNIT_ASSERT_EQ(test, rsim_kunit_bind(rsim), 1);
		break;
	case RM_DRIVER_UNREGISTER:
		KUNIT_ASSERT_EQ(test, rsim_driver_register(b->bus), 0);
		rsim_kunit_quiesce();	/* the asynchronous driver's probe */
		KUNIT_ASSERT_TRUE(test, rsim_dev_bound(rsim));
		break;
	case RM_DEVICE_DEL:
		return rm_ready_as(test, "rm4_stress", beh);
	}
	return rsim;
}

/*
 * RM-4 stress on one unbind path: get/put racing the unbind at random
 * offsets, binding again each time (after device_del(), a new device of
 * the same name). The racer starts with the unbind, at an offset drawn
 * from the window the last iteration measured (UNBIND_DRIVER notifier to
 * ->remove's return, from the racer's start), so the offsets follow the
 * window on any kernel and emulator speed. The case holds a reference to
 * the device across each iteration: after device_del() the racer's calls
 * still reach a live (deleted) device, and the checks still read it. Too
 * few hits and the case goes on, then fails.
 */
static void rm4_stress_on_path(struct kunit *test, enum rm_path path)
{
	const struct rm4_stress_plan *plan = &rm4_stress_plans[path];
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_dev *rsim = rm_ready(test, "rm4_stress", RSIM_REMOVE_PUT_SYNC);
	/* Off the stack: KASAN's redzones leave it no room. */
	struct rsim_behaviour *beh = kunit_kmalloc(test, sizeof(*beh), GFP_KERNEL);
	struct device **held = kunit_kzalloc(test, sizeof(*held), GFP_KERNEL);
	/* A copy: after device_del() each device's own goes with it. */
	const char *name = rsim_kunit_strdup(test, rsim_dev_name(rsim));
	/* Off the stack: a failed case may return before its racer is done. */
	struct rm4_racer *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	/* Off the stack too: KASAN's redzones. */
	struct {
		struct rsim_event nt, get, out;
		char why[128];
	} *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	unsigned int n = rsim_kunit_stress_iterations(plan->round);
	unsigned int i, min_hits, hits = 0, lo_us = 0, hi_us = 200;
	struct rnd_state rnd;
	u64 it;

	KUNIT_ASSERT_NOT_NULL(test, beh);
	KUNIT_ASSERT_NOT_NULL(test, held);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rm4_put_held, held), 0);
	if (path == RM_DRIVER_UNREGISTER)
		rsim_kunit_driver_back_later(test, b->bus);
	*beh = rm_behaviour(RSIM_REMOVE_PUT_SYNC);
	beh->suspend_delay_us = plan->first_sleep_us;
	rsim_dev_set_behaviour(rsim, beh);
	rsim_kunit_rand_init(test, &rnd);
	min_hits = n / plan->round * plan->min_hits;
	for (i = 0; i < n || (hits < min_hits && i < n * plan->max_rounds); i++) {
		struct rsim_kunit_thread *t;
		struct device *dev = rsim_dev_device(rsim);

		it = rsim_evlog_mark();
		r->rsim = rsim;
		r->delay_us = lo_us + prandom_u32_state(&rnd) % (hi_us - lo_us + 1);
		atomic_set(&r->go, 0);
		*held = get_device(dev);
		t = rsim_kunit_run(test, rm4_racer_fn, r);
		atomic_set(&r->go, 1);
		rm_unbind(test, rsim, path);
		KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
		KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(dev, RSIM_WAIT_MS));
		KUNIT_ASSERT_EQ_MSG(test, rsim_pm(dev).usage_count, 0, "iteration %u", i);
		KUNIT_ASSERT_EQ_MSG(test, rsim_check_no_callback_after_remove(rsim, it, w->why,
									      sizeof(w->why)),
				    0, "iteration %u: %s", i, w->why);
		KUNIT_ASSERT_TRUE_MSG(test,
				      rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBIND_DRIVER,
							     it, &w->nt) &&
				      rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						      RSIM_P_EXIT, it, 0, &w->out),
				      "iteration %u: no unbind notifier or ->remove recorded", i);
		if (rsim_kunit_find(test, name, RSIM_EV_RPM_GET, RSIM_L_HARNESS,
				    RSIM_P_CALL, it, 0, &w->get))
			hits += w->get.seq > w->nt.seq && w->get.seq < w->out.seq;
		/* Aim the next offset at this window, seen from the racer's start. */
		lo_us = clamp_t(s64, ((s64)w->nt.ts_ns - (s64)r->go_ns) / 1000, 0, 20000);
		hi_us = clamp_t(s64, ((s64)w->out.ts_ns - (s64)r->go_ns) / 1000, lo_us, 20000);
		if (i + 1 >= n && (i + 1) % plan->round == 0 && hits < min_hits &&
		    beh->suspend_delay_us < RM4_STRESS_WIDEN_MAX_US) {
			if (beh->suspend_delay_us)
				beh->suspend_delay_us *= 2;
			else
				beh->suspend_delay_us = RM4_STRESS_WIDEN_FIRST_US;
			if (path != RM_DEVICE_DEL)
				rsim_dev_set_behaviour(rsim, beh);
		}
		rsim = rm4_stress_rebind(test, rsim, path, beh);
		rm4_put_held(held);
	}
	kunit_info(test,
		   "RM-4 stress through %s: %u iterations, %u with the get inside the unbind; ->runtime_suspend slept %u us at the end",
		   rm_path_names[path], i, hits, beh->suspend_delay_us);
	KUNIT_EXPECT_GE_MSG(test, hits, min_hits,
			    "the race window was hit too rarely to mean anything");
}

/* RM-4 stress through device_release_driver() */
static void rm4_stress(struct kunit *test)
{
	rm4_stress_on_path(test, RM_RELEASE_DRIVER);
}

/* RM-4 stress through driver_unregister() -> driver_detach() */
static void rm4_stress_driver_unregister(struct kunit *test)
{
	rm4_stress_on_path(test, RM_DRIVER_UNREGISTER);
}

/* RM-4 stress through device_del(): the racer outlives the device's deletion */
static void rm4_stress_device_del(struct kunit *test)
{
	rm4_stress_on_path(test, RM_DEVICE_DEL);
}

/*
 * The RM checker must fire on the known-bad remove patterns: put() instead
 * of put_sync() before disable leaves the hardware on behind a "suspended"
 * status; a forgotten pm_runtime_disable() leaves runtime PM enabled.
 */
static void rm_checker_flags_bad_remove(struct kunit *test)
{
	struct rsim_dev *put = rm_ready(test, "rm_bad_put", RSIM_REMOVE_PUT);
	struct rsim_dev *nod = rm_ready(test, "rm_bad_nodis", RSIM_REMOVE_NO_DISABLE);
	char why[128] = "";
	u64 mark;

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(put);
	rsim_kunit_unbind(nod);
	KUNIT_EXPECT_EQ(test, rsim_check_unbound(put, mark, 0, why, sizeof(why)), 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, "hardware left on"), "%s", why);
	KUNIT_EXPECT_EQ(test, rsim_check_unbound(nod, mark, 0, why, sizeof(why)), 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, "left enabled"), "%s", why);
}

static struct kunit_case rsim_rm_cases[] = {
	KUNIT_CASE_PARAM(rm1_notifier_sees_active, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm1_notifier_sees_active_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm1_notifier_sees_active_device_del, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm1_held_at_unbind_notifier, rsim_bus_gen_params),
	KUNIT_CASE(rm2_bus_holds_reference),
	KUNIT_CASE_PARAM(rm3_idle_running_request_queued, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm3_idle_running_alone, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm3_suspend_running_resume_deferred, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm3_scheduled_suspend_at_remove, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_resume_race_unbind, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_resume_race_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_get_during_remove, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_get_during_remove_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_stress, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_stress_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_stress_device_del, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm_checker_flags_bad_remove, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_rm_suite = {
	.name = "rpm_sim_rm",
	.test_cases = rsim_rm_cases,
};

kunit_test_suite(rsim_rm_suite);
