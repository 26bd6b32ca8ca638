// SPDX-License-Identifier: GPL-2.0
/*
 * RI: the re-init of runtime PM state at probe error and driver unbind.
 *
 * From commit 5de85b9d57ab ("PM / runtime: Re-init runtime PM states at
 * probe error and driver unbind"): device_unbind_cleanup() (really_probe()'s
 * error path and __device_release_driver()) calls pm_runtime_reinit(),
 * which, with runtime PM disabled, marks an active device suspended and
 * drops an irq_safe parent reference. It never touches usage_count or
 * disable_depth, and leaves a device with runtime PM enabled alone.
 * Before it, the same function releases the driver's devres, which undoes
 * what the devm runtime PM helpers did (RI-7).
 */
#include <kunit/test.h>

#include "rsim_kunit.h"

/* RI is about the PM domain: every bus and attach path with the domain. */
static const struct rsim_kunit_bus ri_buses[] = {
	{ .bus = RSIM_BUS_SIM, .pm_domain = true, .desc = "rpm_sim bus + PM domain" },
	{ .bus = RSIM_BUS_PLATFORM, .pm_domain = true, .desc = "platform bus + PM domain" },
	{ .bus = RSIM_BUS_SIM, .pm_domain = true, .async_probe = true,
	  .desc = "rpm_sim bus + PM domain, async probe" },
	{ .bus = RSIM_BUS_BARE, .pm_domain = true, .desc = "bare bus + PM domain" },
};

KUNIT_ARRAY_PARAM(ri_bus, ri_buses, rsim_kunit_bus_desc);
/* RI-7 is not about the domain: every bus, with and without it. */
RSIM_KUNIT_BUS_PARAMS;

static struct rsim_dev *ri_dev(struct kunit *test, const char *base,
			       struct rsim_dev *parent, const struct rsim_behaviour *beh)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.parent = parent,
		.beh = *beh,
	};

	rsim_kunit_use_bus(test, &cfg);
	return rsim_kunit_dev(test, &cfg);
}

/* Bind again (device_attach()); the mark before it and the probe's entry. */
static u64 ri_rebind(struct kunit *test, struct rsim_dev *rsim, struct rsim_event *pr)
{
	u64 mark = rsim_evlog_mark();

	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(rsim), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_PROBE,
						RSIM_L_DRIVER, RSIM_P_ENTER, mark, 0, pr));
	return mark;
}

/*
 * RI-1: probe fails with -EPROBE_DEFER after put() + disable(). The re-init
 * leaves the device suspended, so the retry's get_sync resumes it again
 * through the PM domain (and the bus).
 *
 * The device sits on the deferred-probe list between the attempts, and any
 * successful bind in the system may trigger a retry of it. So: no probe
 * anywhere in flight before it is made, and the probe gate armed at once,
 * so a retry from anywhere stops before it touches runtime PM.
 */
static void ri1_retry(struct kunit *test, bool deferred_work)
{
	/* static: a KASAN frame of this size must not hold it too */
	static const struct rsim_behaviour beh = { .probe = RSIM_PROBE_DEFER, .defer_count = 1 };
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_kunit_thread *t = NULL;
	struct rsim_event pr, dom, drv, put;
	bool again = false;
	struct rsim_dev *rsim;
	struct device *dev;
	const char *name;
	u64 start;

retry:
	rsim_kunit_quiesce();
	/* From here: a re-run of the suite logs under the same names. */
	start = rsim_evlog_mark();
	rsim = ri_dev(test, deferred_work ? "ri1" : again ? "ri1_att2" : "ri1_att", NULL, &beh);
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_PROBE), 0);
	dev = rsim_dev_device(rsim);
	name = rsim_dev_name(rsim);

	/* The failed attempt: resumed once, put() queued idle, disable() ... */
	KUNIT_ASSERT_EQ_MSG(test, rsim_dev_probe_count(rsim), 1,
			    "a deferred-probe retry came before the probe gate was armed");
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(rsim));
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DOMAIN, RSIM_P_ENTER, start), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RPM_PUT, RSIM_L_DRIVER,
						RSIM_P_CALL, start, 0, &put));
	KUNIT_EXPECT_EQ(test, put.ret, 0);
	/* ... left it active and disabled; the re-init marked it suspended. */
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_SUSPEND,
					       RSIM_L_DRIVER, RSIM_P_ENTER, start), 0);

	if (deferred_work) {
		/* A successful bind elsewhere triggers the deferred probe work. */
		struct rsim_dev_config cfg = { .name = rsim_kunit_name(test, "ri1_trig") };

		KUNIT_ASSERT_TRUE(test, rsim_dev_bound(rsim_kunit_dev(test, &cfg)));
	} else {
		t = rsim_kunit_run(test, rsim_kunit_bind_fn, rsim);
	}
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_PROBE, RSIM_WAIT_MS), 0);
	/* The retry, held at probe entry: whoever retried, the re-init was first. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_PROBE, RSIM_L_DRIVER,
						RSIM_P_ENTER, start, 1, &pr));
	RSIM_EXPECT_EV_PM(test, &pr, RPM_SUSPENDED, 0, 0, 1);
	/*
	 * Once a boot, driver_deferred_probe_timeout seconds after the last
	 * driver registration, deferred_probe_timeout_work_func() retries
	 * every deferred device from the driver core's own work; nothing a
	 * module can see or wait for. If that retry beat ours, this was not
	 * the device_attach() path: let it finish and start once more, on a
	 * device of its own (the timeout work does not come back).
	 */
	if (t && (pid_t)pr.arg != rsim_kunit_thread_pid(t) && !again) {
		kunit_info(test, "retried by pid %d, not by device_attach(): once more",
			   (pid_t)pr.arg);
		rsim_gate_release(rsim, RSIM_GATE_PROBE);
		KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
		KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_probes(rsim, 2, RSIM_WAIT_MS));
		again = true;
		goto retry;
	}
	if (t)
		KUNIT_EXPECT_EQ_MSG(test, (pid_t)pr.arg, rsim_kunit_thread_pid(t),
				    "the retry did not come from device_attach()");
	rsim_gate_release(rsim, RSIM_GATE_PROBE);
	if (t) {
		KUNIT_ASSERT_TRUE(test, rsim_kunit_join(t, RSIM_WAIT_MS));
		KUNIT_EXPECT_EQ(test, rsim_kunit_thread_ret(t), 1);
	}
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_probes(rsim, 2, RSIM_WAIT_MS));
	KUNIT_EXPECT_TRUE(test, rsim_dev_bound(rsim));

	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_RESUME,
						RSIM_L_DOMAIN, RSIM_P_ENTER, pr.seq, 0, &dom));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_RUNTIME_RESUME,
						RSIM_L_DRIVER, RSIM_P_ENTER, pr.seq, 0, &drv));
	KUNIT_EXPECT_LT(test, dom.seq, drv.seq);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DOMAIN, RSIM_P_ENTER, pr.seq), 1);
	if (b->bus == RSIM_BUS_SIM)
		KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
						       RSIM_L_BUS, RSIM_P_ENTER, pr.seq), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

/* RI-1 through the deferred probe work (a later successful bind triggers it) */
static void ri1_deferred_retry_resumes_domain(struct kunit *test)
{
	ri1_retry(test, true);
}

/* RI-1 through a direct device_attach() */
static void ri1_attach_retry_resumes_domain(struct kunit *test)
{
	ri1_retry(test, false);
}

/*
 * RI-2: ->remove ends with put() + disable(): the re-init at unbind leaves
 * the device suspended, and rebinding resumes it through the domain again.
 */
static void ri2_unbind_put_rebind(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "ri2"),
		.beh = { .probe = RSIM_PROBE_GET_PUT, .remove = RSIM_REMOVE_PUT },
	};
	struct rsim_dev *rsim;
	struct rsim_event out, pr;
	struct device *dev;
	const char *name;
	u64 mark;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_ready(test, &cfg);
	dev = rsim_dev_device(rsim);
	name = rsim_dev_name(rsim);
	mark = rsim_evlog_mark();
	rsim_kunit_unbind(rsim);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &out));
	/* ->remove left it active and disabled ... */
	RSIM_EXPECT_EV_PM(test, &out, RPM_ACTIVE, 0, 0, 1);
	/* ... and the re-init marked it suspended. */
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);

	mark = ri_rebind(test, rsim, &pr);
	RSIM_EXPECT_EV_PM(test, &pr, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_RESUME,
					       RSIM_L_DOMAIN, RSIM_P_ENTER, mark), 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

#define RI3_ATTEMPTS	3

static struct rsim_dev *ri_parent(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "ri_par"),
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};

	return rsim_kunit_ready(test, &cfg);
}

/*
 * RI-3: pm_runtime_irq_safe() in a probe that fails N times: each failure's
 * re-init drops the parent reference irq_safe took, so the parent's
 * usage_count is back to 0 after every attempt and the parent suspends.
 */
static void ri3_irq_safe_parent_usage(struct kunit *test)
{
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_IRQ_SAFE,
				      .defer_count = RI3_ATTEMPTS };
	struct rsim_dev *par = ri_parent(test);
	struct device *pdev = rsim_dev_device(par);
	struct rsim_dev *child = ri_dev(test, "ri3_child", par, &beh);
	struct device *cdev = rsim_dev_device(child);
	int i;

	for (i = 1; i <= RI3_ATTEMPTS; i++) {
		KUNIT_ASSERT_EQ(test, rsim_dev_probe_count(child), i);
		KUNIT_EXPECT_FALSE(test, rsim_dev_bound(child));
		RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 1);
		KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(pdev, RPM_SUSPENDED,
							       RSIM_WAIT_MS));
		RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
		rsim_kunit_bind(child);
	}
	/* The last attempt succeeds: irq_safe holds the parent active. */
	KUNIT_EXPECT_TRUE(test, rsim_dev_bound(child));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(cdev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM_F(test, cdev, RPM_SUSPENDED, 0, 0, 0, RSIM_PM_IRQ_SAFE);
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 0, 0);
	rsim_kunit_unbind(child);
	RSIM_EXPECT_PM(test, cdev, RPM_SUSPENDED, 0, 0, 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(pdev, RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, pdev, RPM_SUSPENDED, 0, 0, 0);
}

/*
 * The RI checker flags irq_safe set on every retry of a probe that fails
 * with runtime PM left enabled: no re-init runs, so each attempt takes one
 * more parent reference.
 */
static void ri_checker_flags_irq_safe_retry(struct kunit *test)
{
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_IRQ_SAFE, .defer_count = 2,
				      .fail_keep_enabled = true,
				      .fail_put = RSIM_FAIL_PUT_SYNC };
	struct rsim_dev *par = ri_parent(test);
	struct rsim_dev *child = ri_dev(test, "ri_bad_child", par, &beh);
	char why[128] = "";

	rsim_kunit_bind(child);
	KUNIT_EXPECT_EQ(test, rsim_dev_probe_count(child), 2);
	KUNIT_EXPECT_EQ(test, rsim_check_usage(par, 0, why, sizeof(why)), 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, "usage_count 2"), "%s", why);
}

/*
 * RI-4: a probe that fails with runtime PM still enabled is the
 * subsystem's business: the re-init leaves it alone. The failed attempt
 * leaves what a wrong re-init would undo: irq_safe set, the parent
 * reference irq_safe took, runtime PM enabled.
 */
static void ri4_enabled_failure_not_reset(struct kunit *test)
{
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_IRQ_SAFE, .defer_count = 1,
				      .fail_keep_enabled = true,
				      .fail_put = RSIM_FAIL_PUT_NOIDLE };
	struct rsim_dev *par = ri_parent(test);
	struct device *pdev = rsim_dev_device(par);
	struct rsim_dev *child = ri_dev(test, "ri4", par, &beh);
	struct device *cdev = rsim_dev_device(child);

	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(child));
	/* The core's pm_request_idle() after the failed probe may suspend it. */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(cdev, RSIM_WAIT_MS));
	KUNIT_EXPECT_TRUE(test, rsim_pm(cdev).irq_safe);
	KUNIT_EXPECT_EQ(test, rsim_pm(cdev).disable_depth, 0);
	KUNIT_EXPECT_EQ(test, rsim_pm(cdev).usage_count, 0);
	/*
	 * irq_safe's parent reference survives the failure. The child's
	 * suspend may have queued an idle request for the parent: let it run.
	 */
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(pdev, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, pdev, RPM_ACTIVE, 1, 0, 0);
}

/*
 * RI-5: the core never resets usage_count: a reference leaked by a failed
 * probe shows on the next attempt and keeps the device active; the checker
 * reports the leak.
 */
static void ri5_usage_leak_visible(struct kunit *test)
{
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_LEAK, .defer_count = 1 };
	struct rsim_dev *rsim = ri_dev(test, "ri5", NULL, &beh);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_event pr;
	char why[128] = "";
	u64 mark;

	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 1);
	ri_rebind(test, rsim, &pr);
	RSIM_EXPECT_EV_PM(test, &pr, RPM_SUSPENDED, 1, 0, 1);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_settle(dev, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 1, 0, 0);

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(rsim);
	KUNIT_EXPECT_GE(test, rsim_check_unbound(rsim, mark, 0, why, sizeof(why)), 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, "leaked"), "%s", why);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 1, 0, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
}

/*
 * RI-6: pm_runtime_force_suspend() in ->remove on a device others still
 * use sets needs_force_resume; the re-init clears it. This is upstream
 * 89d9cec3b1e9 ("PM: runtime: Clear power.needs_force_resume in
 * pm_runtime_reinit()", v6.17, in stable trees since); a tree without it
 * fails here.
 */
static void ri6_reinit_clears_needs_force_resume(struct kunit *test)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, "ri6"),
		.beh = { .probe = RSIM_PROBE_GET_PUT, .remove = RSIM_REMOVE_FORCE_SUSPEND },
	};
	struct rsim_dev *rsim;
	struct rsim_event out;
	struct device *dev;
	u64 mark;

	rsim_kunit_use_bus(test, &cfg);
	rsim = rsim_kunit_ready(test, &cfg);
	dev = rsim_dev_device(rsim);
	/* Two users: force_suspend cannot conclude it need not resume. */
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_GET_NORESUME);

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(rsim);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, rsim_dev_name(rsim), RSIM_EV_REMOVE,
						RSIM_L_DRIVER, RSIM_P_EXIT, mark, 0, &out));
	RSIM_EXPECT_EV_PM(test, &out, RPM_SUSPENDED, 2, 0, 1);
	KUNIT_EXPECT_TRUE(test, out.pm.needs_force_resume);
	KUNIT_EXPECT_FALSE_MSG(test, rsim_pm(dev).needs_force_resume,
			       "needs_force_resume survived unbind: the tree lacks upstream 89d9cec3b1e9");
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 2, 0, 1);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
}

/*
 * RI-7: probe=devm, the devres helpers (devm_pm_runtime_set_active_enabled()
 * and devm_pm_runtime_get_noresume(), 73db799bf5ef): bound, the device is
 * active with its reference held and the parent kept active; ->remove still
 * finds it so (its remove= is not applied); by BUS_NOTIFY_UNBOUND_DRIVER,
 * device_unbind_cleanup()'s devres_release_all() has given it all back in
 * reverse order: the reference dropped, runtime PM disabled, then marked
 * suspended, which drops the parent's count of active children. A rebind
 * enables it once. Every bus, with and without the PM domain.
 */
enum ri7_unbind {
	RI7_RELEASE_DRIVER,	/* device_release_driver() */
	RI7_DRIVER_UNREGISTER,	/* driver_unregister() -> driver_detach() */
	RI7_DEVICE_DEL,		/* device_del() -> bus_remove_device() */
};

static struct rsim_dev *ri7_devm_dev(struct kunit *test, const char *base,
				     struct rsim_dev *parent, unsigned int fails)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.parent = parent,
		.beh = { .probe = RSIM_PROBE_DEVM, .remove = RSIM_REMOVE_DISABLE,
			 .defer_count = fails, .probe_err = -EIO },
	};

	if (!RSIM_RPM_DEVM)
		kunit_skip(test, "this tree has no devm_pm_runtime_set_active_enabled() %s",
			   "(v6.16, 73db799bf5ef)");
	rsim_kunit_use_bus(test, &cfg);
	return rsim_kunit_dev(test, &cfg);
}

/* Bound by probe=devm under @par (NULL: none): active and held. */
static void ri7_expect_bound(struct kunit *test, struct rsim_dev *rsim, struct rsim_dev *par)
{
	KUNIT_ASSERT_TRUE(test, rsim_dev_bound(rsim));
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_ACTIVE, 1, 0, 0);
	if (par)
		RSIM_EXPECT_PM(test, rsim_dev_device(par), RPM_ACTIVE, 0, 1, 0);
}

/*
 * With the PM domain: devres runs before ->dismiss, so the domain lets go of
 * a device already given back. Only there can a device that could not idle
 * on its way out (ri7_devm_undone_forbidden) show actions undone in the
 * wrong order: still active with runtime PM disabled, which the re-init
 * after ->dismiss would hide.
 */
static void ri7_expect_dismissed_undone(struct kunit *test, const char *name, u64 mark,
					int usage)
{
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_event dis;

	if (!b->pm_domain)
		return;
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_PD_DISMISS, RSIM_L_DOMAIN,
						RSIM_P_CALL, mark, 0, &dis));
	RSIM_EXPECT_EV_PM(test, &dis, RPM_SUSPENDED, usage, 0, 1);
}

static void ri7_devm_undone(struct kunit *test, enum ri7_unbind path)
{
	const struct rsim_kunit_bus *b = test->param_value;
	struct rsim_dev *par = NULL, *rsim;
	struct rsim_event rm, ub;
	const char *name;
	u64 mark;

	/* driver_unregister() would take a parent on the same driver along. */
	if (path != RI7_DRIVER_UNREGISTER)
		par = ri_parent(test);
	rsim = ri7_devm_dev(test, "ri7", par, 0);
	name = rsim_dev_name(rsim);
	ri7_expect_bound(test, rsim, par);

	mark = rsim_evlog_mark();
	switch (path) {
	case RI7_RELEASE_DRIVER:
		rsim_kunit_unbind(rsim);
		break;
	case RI7_DRIVER_UNREGISTER:
		rsim_kunit_driver_off(test, b->bus);
		break;
	case RI7_DEVICE_DEL:
		KUNIT_ASSERT_EQ(test, rsim_dev_destroy(rsim), 0);
		rsim = NULL;	/* freed: the log speaks for it */
		break;
	}
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_REMOVE, RSIM_L_DRIVER,
						RSIM_P_ENTER, mark, 0, &rm));
	RSIM_EXPECT_EV_PM(test, &rm, RPM_ACTIVE, 1, 0, 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBOUND_DRIVER,
						       mark, &ub));
	RSIM_EXPECT_EV_PM(test, &ub, RPM_SUSPENDED, 0, 0, 1);
	ri7_expect_dismissed_undone(test, name, mark, 0);
	if (par)
		rsim_kunit_expect_suspended(test, par);
	if (!rsim)
		return;
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);

	/* Bound again: enabled once, held once. */
	if (path == RI7_DRIVER_UNREGISTER)
		KUNIT_ASSERT_EQ(test, rsim_driver_register(b->bus), 0);
	else
		KUNIT_EXPECT_EQ(test, rsim_kunit_bind(rsim), 1);
	rsim_kunit_quiesce();
	ri7_expect_bound(test, rsim, par);
	rsim_kunit_unbind(rsim);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
}

/*
 * RI-7 with runtime PM forbidden (power/control "on"): the device cannot
 * idle on its way out, so only devres's order marks it suspended: disabled
 * first, then suspended; the forbid's reference stays.
 */
static void ri7_devm_undone_forbidden(struct kunit *test)
{
	struct rsim_dev *par = ri_parent(test);
	struct rsim_dev *rsim = ri7_devm_dev(test, "ri7o", par, 0);
	const char *name = rsim_dev_name(rsim);
	struct device *dev = rsim_dev_device(rsim);
	struct rsim_event ub;
	u64 mark;

	ri7_expect_bound(test, rsim, par);
	rsim_rpm_call(rsim, RSIM_EV_RPM_FORBID);
	RSIM_EXPECT_PM(test, dev, RPM_ACTIVE, 2, 0, 0);

	mark = rsim_evlog_mark();
	rsim_kunit_unbind(rsim);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_UNBOUND_DRIVER,
						       mark, &ub));
	RSIM_EXPECT_EV_PM(test, &ub, RPM_SUSPENDED, 1, 0, 1);
	ri7_expect_dismissed_undone(test, name, mark, 1);
	KUNIT_EXPECT_EQ(test, rsim_kunit_count(test, name, RSIM_EV_RUNTIME_SUSPEND, RSIM_L_DRIVER,
					       RSIM_P_ENTER, mark), 0);
	rsim_kunit_expect_suspended(test, par);
	rsim_rpm_call(rsim, RSIM_EV_RPM_ALLOW);
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 1);
}

static void ri7_devm_undone_release_driver(struct kunit *test)
{
	ri7_devm_undone(test, RI7_RELEASE_DRIVER);
}

static void ri7_devm_undone_driver_unregister(struct kunit *test)
{
	ri7_devm_undone(test, RI7_DRIVER_UNREGISTER);
}

static void ri7_devm_undone_device_del(struct kunit *test)
{
	ri7_devm_undone(test, RI7_DEVICE_DEL);
}

/*
 * RI-7 at a failed probe: really_probe() announces DRIVER_NOT_BOUND before
 * device_unbind_cleanup(), so the notifier still sees what the probe set
 * up; devres undoes it right after. The retry binds it as a first bind.
 */
static void ri7_devm_undone_failed_probe(struct kunit *test)
{
	struct rsim_dev *par = ri_parent(test);
	struct rsim_dev *rsim;
	struct rsim_event pr, nb;
	const char *name;
	u64 mark;

	mark = rsim_evlog_mark();
	rsim = ri7_devm_dev(test, "ri7f", par, 1);
	name = rsim_dev_name(rsim);
	rsim_kunit_quiesce();
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(rsim));
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find(test, name, RSIM_EV_PROBE, RSIM_L_DRIVER,
						RSIM_P_EXIT, mark, 0, &pr));
	KUNIT_EXPECT_EQ(test, pr.ret, -EIO);
	RSIM_EXPECT_EV_PM(test, &pr, RPM_ACTIVE, 1, 0, 0);
	KUNIT_ASSERT_TRUE(test, rsim_kunit_find_notify(test, name, BUS_NOTIFY_DRIVER_NOT_BOUND,
						       mark, &nb));
	RSIM_EXPECT_EV_PM(test, &nb, RPM_ACTIVE, 1, 0, 0);
	ri7_expect_dismissed_undone(test, name, mark, 0);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_SUSPENDED, 0, 0, 1);
	rsim_kunit_expect_suspended(test, par);

	KUNIT_EXPECT_EQ(test, rsim_kunit_bind(rsim), 1);
	rsim_kunit_quiesce();
	ri7_expect_bound(test, rsim, par);
}

/*
 * RI-8: device_unbind_cleanup() also clears the DPM driver flags the probe
 * set (dev_pm_set_driver_flags(dev, 0)): after a failed probe, at
 * device_release_driver() and at driver_unregister(), so that the next
 * probe, of this driver or another, starts from none. The probe sets them
 * only when asked, so a bind without them shows whatever was left.
 */
static void ri8_driver_flags_cleared(struct kunit *test)
{
	const struct rsim_kunit_bus *b = test->param_value;
	const u32 flags = DPM_FLAG_NO_DIRECT_COMPLETE | DPM_FLAG_SMART_PREPARE |
			  DPM_FLAG_SMART_SUSPEND | DPM_FLAG_MAY_SKIP_RESUME;
	struct rsim_behaviour beh = { .probe = RSIM_PROBE_GET_PUT, .dpm_flags = flags,
				      .defer_count = 1, .probe_err = -EIO };
	struct rsim_dev *rsim = ri_dev(test, "ri8", NULL, &beh);
	struct device *dev = rsim_dev_device(rsim);

	rsim_kunit_quiesce();
	KUNIT_ASSERT_FALSE(test, rsim_dev_bound(rsim));
	KUNIT_EXPECT_EQ_MSG(test, dev->power.driver_flags, 0, "after a failed probe");

	KUNIT_ASSERT_EQ(test, rsim_kunit_bind(rsim), 1);
	KUNIT_EXPECT_EQ(test, dev->power.driver_flags, flags);
	rsim_kunit_unbind(rsim);
	KUNIT_EXPECT_EQ_MSG(test, dev->power.driver_flags, 0, "after device_release_driver()");

	beh.dpm_flags = 0;
	beh.defer_count = 0;
	rsim_dev_set_behaviour(rsim, &beh);
	KUNIT_ASSERT_EQ(test, rsim_kunit_bind(rsim), 1);
	KUNIT_EXPECT_EQ_MSG(test, dev->power.driver_flags, 0, "bound by a probe that set none");
	rsim_kunit_unbind(rsim);

	beh.dpm_flags = flags;
	rsim_dev_set_behaviour(rsim, &beh);
	KUNIT_ASSERT_EQ(test, rsim_kunit_bind(rsim), 1);
	rsim_kunit_driver_off(test, b->bus);
	KUNIT_EXPECT_FALSE(test, rsim_dev_bound(rsim));
	KUNIT_EXPECT_EQ_MSG(test, dev->power.driver_flags, 0, "after driver_unregister()");
}

static struct kunit_case rsim_ri_cases[] = {
	KUNIT_CASE_PARAM(ri1_deferred_retry_resumes_domain, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri1_attach_retry_resumes_domain, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri2_unbind_put_rebind, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri3_irq_safe_parent_usage, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri_checker_flags_irq_safe_retry, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri4_enabled_failure_not_reset, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri5_usage_leak_visible, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri6_reinit_clears_needs_force_resume, ri_bus_gen_params),
	KUNIT_CASE_PARAM(ri7_devm_undone_release_driver, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ri7_devm_undone_driver_unregister, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ri7_devm_undone_device_del, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ri7_devm_undone_failed_probe, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ri7_devm_undone_forbidden, rsim_bus_gen_params),
	KUNIT_CASE_PARAM(ri8_driver_flags_cleared, rsim_bus_gen_params),
	{}
};

static struct kunit_suite rsim_ri_suite = {
	.name = "rpm_sim_ri",
	.test_cases = rsim_ri_cases,
};

kunit_test_suite(rsim_ri_suite);
