// SPDX-License-Identifier: GPL-2.0
/*
 * RM: runtime PM around driver removal.
 *
 * From commit e1866b33b1b8 ("PM / Runtime: Rework runtime PM handling
 * during driver removal"): __device_release_driver() resumes the device with
 * pm_runtime_get_sync() before BUS_NOTIFY_UNBIND_DRIVER, drops that with
 * pm_runtime_put_sync() before ->remove, and the driver's
 * pm_runtime_disable() leaves no callback to run after ->remove.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/random.h>

#include "rsim_kunit.h"

RSIM_KUNIT_BUS_PARAMS;

enum rm_path {
	RM_RELEASE_DRIVER,	/* device_release_driver() */
	RM_DRIVER_UNREGISTER,	/* driver_unregister() -> driver_detach() */
	RM_DEVICE_DEL,		/* device_del() -> bus_remove_device() */
};

static struct rsim_dev *rm_bound_suspended(struct kunit *test, const char *base,
					   enum rsim_remove_mode remove)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.beh = { .probe = RSIM_PROBE_GET_PUT, .remove = remove },
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

/*
 * RM-1 and RM-2 on one unbind path: the notifier sees the device active and
 * referenced, the core's put_sync suspends it before ->remove, and the
 * driver's pm_runtime_suspend() in ->remove finds it suspended.
 */
static void rm_unbind_on_path(struct kunit *test, enum rm_path path)
{
	struct rsim_dev *rsim = rm_bound_suspended(test, "rm12", RSIM_REMOVE_SUSPEND);
	const struct rsim_kunit_bus *b = test->param_value;
	/* A copy: the device_del path frees rsim and its name. */
	const char *name = rsim_kunit_strdup(test, rsim_dev_name(rsim));
	struct {
		struct rsim_event nt, res, rm_in, rm_out, call, susp;
	} *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	char why[128] = "";
	u64 mark;

	KUNIT_ASSERT_NOT_NULL(test, e);

	mark = rsim_evlog_mark();
	switch (path) {
	case RM_RELEASE_DRIVER:
		rsim_kunit_unbind(rsim);
		break;
	case RM_DRIVER_UNREGISTER:
		rsim_kunit_driver_off(test, b->bus);
		break;
	case RM_DEVICE_DEL:
		KUNIT_ASSERT_EQ(test, rsim_dev_destroy(rsim), 0);
		rsim = NULL;	/* freed: only the log speaks from here */
		break;
	}

	/* RM-1: resumed (driver ->runtime_resume) before the notifier ... */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(name, BUS_NOTIFY_UNBIND_DRIVER,
						       mark, &e->nt));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_RUNTIME_RESUME,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &e->res));
	KUNIT_EXPECT_EQ(test, e->res.ret, 0);
	KUNIT_EXPECT_LT(test, e->res.seq, e->nt.seq);
	if (b->pm_domain)
		KUNIT_EXPECT_EQ(test, rsim_kunit_count(name, RSIM_EV_RUNTIME_RESUME,
						       RSIM_L_DOMAIN, RSIM_P_ENTER, mark), 1);
	/* ... which sees it active with the core's reference. */
	RSIM_EXPECT_EV_PM(test, &e->nt, RPM_ACTIVE, 1, 0, 0);

	/* RM-2: the core's put_sync suspended it before ->remove. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &e->rm_in));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_RUNTIME_SUSPEND,
						RSIM_L_DRIVER, RSIM_P_EXIT, e->nt.seq, 0,
						&e->susp));
	KUNIT_EXPECT_EQ(test, e->susp.ret, 0);
	KUNIT_EXPECT_LT(test, e->susp.seq, e->rm_in.seq);
	RSIM_EXPECT_EV_PM(test, &e->rm_in, RPM_SUSPENDED, 0, 0, 0);

	/* pm_runtime_suspend() in ->remove: already suspended, returns 1. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_RPM_SUSPEND, RSIM_L_DRIVER,
						RSIM_P_CALL, e->rm_in.seq, 0, &e->call));
	KUNIT_EXPECT_EQ(test, e->call.ret, 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &e->rm_out));
	RSIM_EXPECT_EV_PM(test, &e->rm_out, RPM_SUSPENDED, 0, 0, 1);

	/* One resume and one suspend in all, no callback after ->remove. */
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(name, RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 1);
	if (!rsim)
		return;
	KUNIT_EXPECT_EQ_MSG(test, rsim_check_no_callback_after_remove(rsim, mark, why, sizeof(why)),
			    0, why);
	KUNIT_EXPECT_EQ_MSG(test, rsim_check_unbound(rsim, mark, 0, why, sizeof(why)),
			    0, why);
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

	rsim = rm_bound_suspended(test, "rm2_hold", RSIM_REMOVE_SUSPEND);
	name = rsim_dev_name(rsim);
	rsim_bus_set_opts(&o);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rm_restore_bus_opts, NULL), 0);

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(rsim);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &rm_in));
	RSIM_EXPECT_EV_PM(test, &rm_in, RPM_ACTIVE, 1, 0, 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_RPM_SUSPEND, RSIM_L_DRIVER,
						RSIM_P_CALL, rm_in.seq, 0, &call));
	KUNIT_EXPECT_EQ(test, call.ret, -EAGAIN);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
}

/*
 * RM-3: requests queued while ->remove is held (a resume, a delayed
 * suspend, an idle) are carried out or cancelled by pm_runtime_disable();
 * no driver callback runs after ->remove returns.
 */
static void rm3_requests_during_remove(struct kunit *test)
{
	struct rsim_dev *rsim = rm_bound_suspended(test, "rm3", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	const char *name = rsim_dev_name(rsim);
	struct rsim_kunit_thread *t;
	struct rsim_event rm_out;
	char why[128] = "";
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_REMOVE), 0);
	t = rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_REMOVE,
						     RSIM_WAIT_MS), 0);
	/* Held in ->remove, suspended by the core's put_sync (RM-2). */
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_RESUME), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_SCHEDULE_SUSPEND);
	rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_IDLE);
	rsim_gate_release(rsim, RSIM_GATE_REMOVE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	/* Past the delayed suspend's 20 ms: nothing may fire now. */
	msleep(60);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &rm_out));
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(name, RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER,
					       RSIM_P_ENTER, rm_out.seq), 0);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(name, RSIM_EV_RUNTIME_RESUME, RSIM_L_DRIVER,
					       RSIM_P_ENTER, rm_out.seq), 0);
	KUNIT_EXPECT_EQ_MSG(test, rsim_check_no_callback_after_remove(rsim, mark, why, sizeof(why)),
			    0, why);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).request_pending);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).usage_count, 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).disable_depth, 1);
}

/*
 * RM-3 with a delayed suspend queued before unbind starts: the core's
 * resume cancels the timer; nothing runs after ->remove.
 */
static void rm3_scheduled_suspend_before_unbind(struct kunit *test)
{
	struct rsim_dev *rsim = rm_bound_suspended(test, "rm3_sched", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	char why[128] = "";
	u64 mark;

	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 0, 0, 0);
	mark = rsim_evlog_mark();
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_SCHEDULE_SUSPEND), 0);
	rsim_kunit_unbind(rsim);
	msleep(60);
	KUNIT_EXPECT_EQ_MSG(test, rsim_check_no_callback_after_remove(rsim, mark, why, sizeof(why)),
			    0, why);
	KUNIT_EXPECT_EQ_MSG(test, rsim_check_unbound(rsim, mark, 0, why, sizeof(why)),
			    0, why);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
}

/*
 * RM-4: an asynchronous resume held open in ->runtime_resume while unbind
 * runs on another thread: unbind waits for it, the driver is never called
 * after ->remove, and the racing reference is the racer's to drop.
 */
static void rm4_resume_race_unbind(struct kunit *test)
{
	struct rsim_dev *rsim = rm_bound_suspended(test, "rm4", RSIM_REMOVE_DISABLE);
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

	t = rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
	/* The core's get_sync waits for the resume in progress. */
	KUNIT_EXPECT_FALSE(test, rsim_kunit_join(t, 50));
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(rsim_dev_name(rsim), RSIM_EV_REMOVE,
					       RSIM_L_DRIVER, RSIM_P_ENTER, mark), 0);
	rsim_gate_release(rsim, RSIM_GATE_RESUME_ENTRY);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));

	KUNIT_EXPECT_EQ_MSG(test, rsim_check_no_callback_after_remove(rsim, mark, why, sizeof(why)),
			    0, why);
	/*
	 * Our pm_runtime_get() reference survives unbind and kept the device
	 * active through it; the re-init marked it suspended. Dropping the
	 * reference balances the count; runtime PM is off, so idle says -EACCES.
	 */
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_PUT), -EACCES);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).request_pending);
}

/*
 * RM-4: pm_runtime_get() from another thread while ->remove is held: the
 * queued resume is carried out by pm_runtime_disable() inside ->remove.
 */
static void rm4_get_during_remove(struct kunit *test)
{
	struct rsim_dev *rsim = rm_bound_suspended(test, "rm4_get", RSIM_REMOVE_DISABLE);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_kunit_thread *t;
	char why[128] = "";
	u64 mark;

	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_REMOVE), 0);
	t = rsim_kunit_run(test, rsim_kunit_unbind_fn, rsim);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_REMOVE,
						     RSIM_WAIT_MS), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET), 0);
	rsim_gate_release(rsim, RSIM_GATE_REMOVE);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
	msleep(20);
	KUNIT_EXPECT_EQ_MSG(test, rsim_check_no_callback_after_remove(rsim, mark, why, sizeof(why)),
			    0, why);
	KUNIT_EXPECT_FALSE(test, rsim_pm(dev).request_pending);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).usage_count, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	KUNIT_EXPECT_EQ(test, rsim_pm(dev).usage_count, 0);
}

struct rm4_racer {
	struct rsim_dev *rsim;
	unsigned int delay_us;
};

static int rm4_racer_fn(void *data)
{
	struct rm4_racer *r = data;

	udelay(r->delay_us);
	rsim_rpm_call(r->rsim, RSIM_EV_RPM_GET);
	udelay(r->delay_us / 2);
	rsim_rpm_call(r->rsim, RSIM_EV_RPM_PUT);
	return 0;
}

#define RM4_STRESS_ITERATIONS	40

/* RM-4 stress: get/put racing unbind at random offsets, rebinding each time. */
static void rm4_stress(struct kunit *test)
{
	struct rsim_dev *rsim = rm_bound_suspended(test, "rm4_stress", RSIM_REMOVE_PUT_SYNC);
	struct device *dev = rsim_dev_device(rsim);
	struct rm4_racer r = { .rsim = rsim };
	char why[128] = "";
	unsigned int i;
	u64 mark;
	int n;

	mark = rsim_evlog_mark();
	for (i = 0; i < RM4_STRESS_ITERATIONS; i++) {
		struct rsim_kunit_thread *t;

		r.delay_us = get_random_u32() % 400;
		t = rsim_kunit_run(test, rm4_racer_fn, &r);
		udelay(get_random_u32() % 400);
		rsim_kunit_unbind(rsim);
		KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
		pm_runtime_barrier(dev);
		KUNIT_ASSERT_EQ_MSG(test, rsim_pm(dev).usage_count, 0,
				    "iteration %u", i);
		n = rsim_check_no_callback_after_remove(rsim, mark, why, sizeof(why));
		KUNIT_ASSERT_EQ_MSG(test, n, 0, "iteration %u: %s", i, why);
		KUNIT_ASSERT_EQ(test, rsim_kunit_bind(rsim), 1);
	}
	kunit_info(test, "RM-4 stress: %u iterations", i);
}

/*
 * The RM checker must fire on the known-bad remove patterns: put() instead
 * of put_sync() before disable leaves the hardware on behind a "suspended"
 * status; a forgotten pm_runtime_disable() leaves runtime PM enabled.
 */
static void rm_checker_flags_bad_remove(struct kunit *test)
{
	struct rsim_dev *put = rm_bound_suspended(test, "rm_bad_put", RSIM_REMOVE_PUT);
	struct rsim_dev *nod = rm_bound_suspended(test, "rm_bad_nodis", RSIM_REMOVE_NO_DISABLE);
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
	KUNIT_CASE(rm2_bus_holds_reference),
	KUNIT_CASE_PARAM(rm3_requests_during_remove, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm3_scheduled_suspend_before_unbind, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_resume_race_unbind, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_get_during_remove, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm4_stress, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(rm_checker_flags_bad_remove, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_rm_suite = {
	.name = "rpm_sim_rm",
	.test_cases = rsim_rm_cases,
};

kunit_test_suite(rsim_rm_suite);
