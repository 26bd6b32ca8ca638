// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the rpm_sim KUnit suites (see rsim_kunit.h).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/stringhash.h>
#include <linux/moduleparam.h>

#include "rsim_kunit.h"
#include "compat.h"

unsigned int rsim_kunit_stress_iterations(unsigned int base)
{
	return base * rsim_test_stress_scale();
}

void rsim_kunit_rand_init(struct kunit *test, struct rnd_state *state)
{
	u32 s = rsim_test_seed();

	prandom_seed_state(state, ((u64)s << 32) ^ full_name_hash(NULL, test->name,
								  strlen(test->name)));
	kunit_info(test, "seed %u (replay with rpm_sim.seed=%u)", s, s);
}

bool rsim_kunit_wait_until(bool (*cond)(void *arg), void *arg, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (!cond(arg)) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(200, 500);
	}
	return true;
}

const struct rsim_kunit_bus rsim_kunit_buses[5] = {
	{ .bus = RSIM_BUS_SIM, .desc = "rpm_sim bus" },
	{ .bus = RSIM_BUS_SIM, .pm_domain = true, .async_probe = true,
	  .desc = "rpm_sim bus + PM domain, async probe" },
	{ .bus = RSIM_BUS_PLATFORM, .pm_domain = true, .desc = "platform bus + PM domain" },
	{ .bus = RSIM_BUS_PLATFORM, .desc = "platform bus" },
	{ .bus = RSIM_BUS_BARE, .desc = "bare bus" },
};

void rsim_kunit_bus_desc(const struct rsim_kunit_bus *b, char *desc)
{
	strscpy(desc, b->desc, KUNIT_PARAM_DESC_SIZE);
}

void rsim_kunit_use_bus(struct kunit *test, struct rsim_dev_config *cfg)
{
	const struct rsim_kunit_bus *b = test->param_value;

	if (!b)
		return;
	cfg->bus = b->bus;
	cfg->pm_domain = b->pm_domain;
	cfg->async_probe = b->async_probe;
}

char *rsim_kunit_name(struct kunit *test, const char *base)
{
	const struct rsim_kunit_bus *b = test->param_value;
	char *name;

	name = kunit_kzalloc(test, RSIM_NAME_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	/* s, p or b: the rpm_sim, platform or bare bus (enum rsim_bus_kind) */
	snprintf(name, RSIM_NAME_LEN, "%s_%c%s%s", base, "spb"[b ? b->bus : RSIM_BUS_SIM],
		 b && b->pm_domain ? "d" : "", b && b->async_probe ? "a" : "");
	return name;
}

int rsim_kunit_defer(struct kunit *test, void (*fn)(void *), void *data)
{
	return rsim_kunit_add_action(test, fn, data);
}

/* kunit_kstrdup() is v6.7+; this is the same for every KUnit. */
char *rsim_kunit_strdup(struct kunit *test, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memcpy(p, s, len);
	return p;
}

struct rsim_kunit_owned {
	struct kunit *test;
	const char *name;
	struct list_head node;
};

/*
 * The devices of the running case (KUnit runs one case at a time): a case
 * that fails while one of its threads waits at a gate opens them all at
 * teardown, before it waits for the thread.
 */
static LIST_HEAD(rsim_kunit_owned_list);
static DEFINE_MUTEX(rsim_kunit_owned_lock);

static void rsim_kunit_release_gates(void)
{
	struct rsim_kunit_owned *o;
	struct rsim_dev *rsim;

	mutex_lock(&rsim_kunit_owned_lock);
	list_for_each_entry(o, &rsim_kunit_owned_list, node) {
		rsim = rsim_dev_find(o->name);
		if (rsim)
			rsim_gate_release_all(rsim);
	}
	mutex_unlock(&rsim_kunit_owned_lock);
}

/* By name: a case may have destroyed the device itself (the device_del path). */
static void rsim_kunit_dev_destroy(void *data)
{
	struct rsim_kunit_owned *o = data;
	struct rsim_dev *rsim = rsim_dev_find(o->name);
	int ret;

	mutex_lock(&rsim_kunit_owned_lock);
	list_del(&o->node);
	mutex_unlock(&rsim_kunit_owned_lock);
	if (!rsim)
		return;
	rsim_gate_release_all(rsim);
	ret = rsim_dev_destroy(rsim);
	KUNIT_EXPECT_EQ_MSG(o->test, ret, 0, "cleanup: deleting %s: %d%s", o->name, ret,
			    ret == -EPROTO ?
			    " (its driver-core lifecycle broke; the kernel log says how)" : "");
}

struct rsim_dev *rsim_kunit_dev(struct kunit *test, const struct rsim_dev_config *cfg)
{
	struct rsim_kunit_owned *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	struct rsim_dev *rsim;

	KUNIT_ASSERT_NOT_NULL(test, o);
	rsim = rsim_dev_create(cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, rsim, "creating %s", cfg->name);
	o->test = test;
	o->name = rsim_kunit_strdup(test, cfg->name);
	mutex_lock(&rsim_kunit_owned_lock);
	list_add(&o->node, &rsim_kunit_owned_list);
	mutex_unlock(&rsim_kunit_owned_lock);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rsim_kunit_dev_destroy, o), 0);
	/* device_add() only queued an asynchronous probe: let it finish. */
	if (cfg->async_probe)
		wait_for_device_probe();
	return rsim;
}

struct rsim_dev *rsim_kunit_ready(struct kunit *test, const struct rsim_dev_config *cfg)
{
	struct rsim_dev *rsim = rsim_kunit_dev(test, cfg);
	struct device *dev = rsim_dev_device(rsim);

	KUNIT_ASSERT_TRUE_MSG(test, rsim_dev_bound(rsim), "%s did not bind", cfg->name);
	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS),
			      "%s did not suspend after probe", cfg->name);
	/* The probe path's pm_runtime_put(parent) is asynchronous: let it land. */
	if (cfg->parent)
		KUNIT_ASSERT_TRUE(test, rsim_kunit_wait_status(rsim_dev_device(cfg->parent),
							       RPM_SUSPENDED, RSIM_WAIT_MS));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
	return rsim;
}

unsigned int rsim_kunit_driver_callbacks(struct kunit *test, struct rsim_dev *rsim,
					 u64 since)
{
	return rsim_kunit_count(test, rsim_dev_name(rsim), -1, RSIM_L_DRIVER,
				RSIM_P_ENTER, since);
}

struct rsim_dev *rsim_kunit_ready_child(struct kunit *test, const char *base,
					struct rsim_dev *parent, bool ignore_children)
{
	struct rsim_dev_config cfg = {
		.name = rsim_kunit_name(test, base),
		.parent = parent,
		.ignore_children = ignore_children,
		.beh = { .probe = RSIM_PROBE_GET_PUT },
	};

	rsim_kunit_use_bus(test, &cfg);
	return rsim_kunit_ready(test, &cfg);
}

void rsim_kunit_expect_suspended(struct kunit *test, struct rsim_dev *rsim)
{
	struct device *dev = rsim_dev_device(rsim);

	KUNIT_ASSERT_TRUE_MSG(test, rsim_kunit_wait_status(dev, RPM_SUSPENDED, RSIM_WAIT_MS),
			      "%s did not suspend", rsim_dev_name(rsim));
	RSIM_EXPECT_PM(test, dev, RPM_SUSPENDED, 0, 0, 0);
}

void rsim_kunit_make_active(struct kunit *test, struct rsim_dev *rsim)
{
	KUNIT_ASSERT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_GET_SYNC), 0);
	rsim_rpm_call(rsim, RSIM_EV_RPM_PUT_NOIDLE);
	RSIM_EXPECT_PM(test, rsim_dev_device(rsim), RPM_ACTIVE, 0, 0, 0);
}

u64 rsim_kunit_hold_suspending(struct kunit *test, struct rsim_dev *rsim)
{
	u64 mark;

	rsim_kunit_make_active(test, rsim);
	mark = rsim_evlog_mark();
	KUNIT_ASSERT_EQ(test, rsim_gate_arm(rsim, RSIM_GATE_SUSPEND_ENTRY), 0);
	KUNIT_EXPECT_EQ(test, rsim_rpm_call(rsim, RSIM_EV_RPM_REQUEST_IDLE), 0);
	KUNIT_ASSERT_EQ(test, rsim_gate_wait_reached(rsim, RSIM_GATE_SUSPEND_ENTRY,
						     RSIM_WAIT_MS), 0);
	KUNIT_ASSERT_EQ(test, rsim_pm(rsim_dev_device(rsim)).runtime_status, RPM_SUSPENDING);
	return mark;
}

void rsim_kunit_quiesce(void)
{
	wait_for_device_probe();
}

/* Nothing queued, no timer, no callback under way. */
static bool rsim_kunit_at_rest(const struct rsim_pm_state *st)
{
	return !st->request_pending && !st->timer_armed && !st->idle_notification &&
	       st->runtime_status != RPM_RESUMING && st->runtime_status != RPM_SUSPENDING;
}

/*
 * Poll @done(dev, arg) until it holds or @ms pass, flushing the device's
 * runtime PM work between looks so that queued requests run now.
 */
static bool rsim_kunit_poll(struct device *dev, unsigned int ms,
			    bool (*done)(struct device *dev, long arg), long arg)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	for (;;) {
		if (done(dev, arg))
			return true;
		if (time_after(jiffies, end))
			return false;
		flush_work(&dev->power.work);
		usleep_range(200, 500);
	}
}

static bool rsim_kunit_settled(struct device *dev, long unused)
{
	struct rsim_pm_state st = rsim_pm(dev);

	return rsim_kunit_at_rest(&st);
}

bool rsim_kunit_settle(struct device *dev, unsigned int ms)
{
	return rsim_kunit_poll(dev, ms, rsim_kunit_settled, 0);
}

static bool rsim_kunit_status_is(struct device *dev, long status)
{
	struct rsim_pm_state st = rsim_pm(dev);

	return st.runtime_status == status && rsim_kunit_at_rest(&st);
}

bool rsim_kunit_wait_status(struct device *dev, int status, unsigned int ms)
{
	return rsim_kunit_poll(dev, ms, rsim_kunit_status_is, status);
}

static bool rsim_kunit_has_waiter(void *dev)
{
	/* Unlocked: a poll for the runtime PM core's sleepers, looked at again. */
	return waitqueue_active(&((struct device *)dev)->power.wait_queue);
}

bool rsim_kunit_wait_waiter(struct device *dev, unsigned int ms)
{
	return rsim_kunit_wait_until(rsim_kunit_has_waiter, dev, ms);
}

/* Poll @count(rsim) until it reaches @n or @ms pass. */
static bool rsim_kunit_wait_count(unsigned int (*count)(struct rsim_dev *rsim),
				  struct rsim_dev *rsim, unsigned int n, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (count(rsim) < n) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(500, 1000);
	}
	return true;
}

bool rsim_kunit_wait_probes(struct rsim_dev *rsim, unsigned int n, unsigned int ms)
{
	if (!rsim_kunit_wait_count(rsim_dev_probe_count, rsim, n, ms))
		return false;
	/* Probe entered; let it finish (it holds the device lock). */
	device_lock(rsim_dev_device(rsim));
	device_unlock(rsim_dev_device(rsim));
	return true;
}

bool rsim_kunit_wait_work(struct rsim_dev *rsim, unsigned int n, unsigned int ms)
{
	return rsim_kunit_wait_count(rsim_work_count, rsim, n, ms);
}

unsigned int rsim_kunit_count(struct kunit *test, const char *dev, int type,
			      int layer, int phase, u64 since)
{
	struct rsim_ev_filter f = {
		.dev = dev,
		.type = type,
		.layer = layer,
		.phase = phase,
		.since = since,
	};
	int n = rsim_evlog_count(&f);

	KUNIT_ASSERT_GE_MSG(test, n, 0,
			    "event log: records since seq %llu are gone (evlog_entries too small?)",
			    since);
	return n;
}

bool rsim_kunit_find(struct kunit *test, const char *dev, int type, int layer,
		     int phase, u64 since, unsigned int nth, struct rsim_event *out)
{
	struct rsim_ev_filter f = {
		.dev = dev,
		.type = type,
		.layer = layer,
		.phase = phase,
		.since = since,
	};
	int ret = rsim_evlog_nth(&f, nth, out);

	KUNIT_ASSERT_GE_MSG(test, ret, 0,
			    "event log: records since seq %llu are gone (evlog_entries too small?)",
			    since);
	return ret > 0;
}

bool rsim_kunit_find_notify(struct kunit *test, const char *dev,
			    unsigned long action, u64 since, struct rsim_event *out)
{
	unsigned int i;

	for (i = 0; rsim_kunit_find(test, dev, RSIM_EV_NOTIFY, RSIM_L_CORE, -1, since,
				    i, out); i++)
		if (out->arg == action)
			return true;
	return false;
}

#define RSIM_KUNIT_DUMP_MAX	40

void rsim_kunit_dump(struct kunit *test, const char *dev, u64 since)
{
	struct rsim_event e;
	unsigned int i;
	char line[320];

	kunit_info(test, "event log of %s from seq %llu:", dev, since);
	for (i = 0; i < RSIM_KUNIT_DUMP_MAX; i++) {
		if (!rsim_kunit_find(test, dev, -1, -1, -1, since, i, &e))
			break;
		snprintf(line, sizeof(line),
			 "%llu %s %s %s ret=%d status=%s usage=%d depth=%u pending=%d",
			 e.seq, rsim_layer_name(e.layer), rsim_ev_name(e.type),
			 rsim_phase_name(e.phase), e.ret, rsim_status_name(e.pm.runtime_status),
			 e.pm.usage_count, e.pm.disable_depth, e.pm.request_pending);
		kunit_info(test, "  %s", line);
	}
}

struct rsim_kunit_thread {
	int (*fn)(void *data);
	void *data;
	int ret;
	pid_t pid;
	struct completion done;
};

/*
 * The thread holds a reference on this module until it has left its code:
 * rmmod cannot free the text under a step that outlived its case.
 */
static int rsim_kunit_thread_fn(void *arg)
{
	struct rsim_kunit_thread *t = arg;

	t->ret = t->fn(t->data);
	/* complete_all: joins and the reaper may each wait on it. */
	complete_all(&t->done);
	module_put_and_kthread_exit(0);
}

/* Case end: the thread must be gone before its memory is. */
static void rsim_kunit_thread_reap(void *arg)
{
	struct rsim_kunit_thread *t = arg;

	if (!completion_done(&t->done))
		rsim_kunit_release_gates();
	if (!wait_for_completion_timeout(&t->done, 60 * HZ))
		pr_err("rpm_sim_kunit: a test thread did not finish in 60 s; leaking it\n");
	else
		kfree(t);
}

struct rsim_kunit_thread *rsim_kunit_run(struct kunit *test,
					 int (*fn)(void *data), void *data)
{
	struct rsim_kunit_thread *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct task_struct *task;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->fn = fn;
	t->data = data;
	init_completion(&t->done);
	__module_get(THIS_MODULE);
	task = kthread_create(rsim_kunit_thread_fn, t, "rsim_kunit");
	if (IS_ERR(task)) {
		module_put(THIS_MODULE);
		kfree(t);
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(task), "kthread_create: %ld", PTR_ERR(task));
	t->pid = task_pid_nr(task);
	wake_up_process(task);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rsim_kunit_thread_reap, t), 0);
	return t;
}

bool rsim_kunit_join(struct rsim_kunit_thread *t, unsigned int ms)
{
	return wait_for_completion_timeout(&t->done, msecs_to_jiffies(ms));
}

int rsim_kunit_thread_ret(struct rsim_kunit_thread *t)
{
	return t->ret;
}

pid_t rsim_kunit_thread_pid(struct rsim_kunit_thread *t)
{
	return t->pid;
}

void rsim_kunit_unbind(struct rsim_dev *rsim)
{
	device_release_driver(rsim_dev_device(rsim));
}

int rsim_kunit_bind(struct rsim_dev *rsim)
{
	return device_attach(rsim_dev_device(rsim));
}

int rsim_kunit_register_fn(void *bus)
{
	return rsim_driver_register((enum rsim_bus_kind)(long)bus);
}

int rsim_kunit_unregister_fn(void *bus)
{
	rsim_driver_unregister((enum rsim_bus_kind)(long)bus);
	return 0;
}

int rsim_kunit_destroy_fn(void *rsim)
{
	return rsim_dev_destroy(rsim);
}

/* A case's cleanup has no case to fail: the console's splat check does. */
static void rsim_kunit_reregister(void *bus)
{
	int ret = rsim_kunit_register_fn(bus);

	if (ret)
		pr_err("rpm_sim_kunit: cannot re-register the driver of bus %ld: %d\n",
		       (long)bus, ret);
}

void rsim_kunit_driver_back_later(struct kunit *test, enum rsim_bus_kind bus)
{
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rsim_kunit_reregister,
					       (void *)(long)bus), 0);
}

void rsim_kunit_driver_off(struct kunit *test, enum rsim_bus_kind bus)
{
	rsim_driver_unregister(bus);
	rsim_kunit_driver_back_later(test, bus);
}

int rsim_kunit_unbind_fn(void *rsim)
{
	rsim_kunit_unbind(rsim);
	return 0;
}

int rsim_kunit_bind_fn(void *rsim)
{
	return rsim_kunit_bind(rsim);
}

static void rsim_kunit_expect_state(struct kunit *test, const struct rsim_pm_state *st,
				    int status, int usage, int children,
				    unsigned int depth, unsigned int flags,
				    const char *what, const char *file, int line)
{
	file = kbasename(file);
	KUNIT_EXPECT_STREQ_MSG(test, rsim_status_name(st->runtime_status),
			       rsim_status_name(status),
			       "%s:%d: runtime_status of %s", file, line, what);
	KUNIT_EXPECT_EQ_MSG(test, st->usage_count, usage,
			    "%s:%d: usage_count of %s", file, line, what);
	KUNIT_EXPECT_EQ_MSG(test, st->child_count, children,
			    "%s:%d: child_count of %s", file, line, what);
	KUNIT_EXPECT_EQ_MSG(test, st->disable_depth, depth,
			    "%s:%d: disable_depth of %s", file, line, what);
	if (!(flags & RSIM_PM_ERROR))
		KUNIT_EXPECT_EQ_MSG(test, st->runtime_error, 0,
				    "%s:%d: runtime_error of %s", file, line, what);
	if (!(flags & RSIM_PM_PENDING)) {
		/*
		 * A request that rpm_resume() or the barrier cancelled sets
		 * request = RPM_REQ_NONE and stays "pending" until pm_wq's
		 * work runs and finds nothing to do: that is no request.
		 */
		KUNIT_EXPECT_FALSE_MSG(test, st->request_pending && st->request != RPM_REQ_NONE,
				       "%s:%d: request_pending of %s (request %d)",
				       file, line, what, st->request);
		KUNIT_EXPECT_FALSE_MSG(test, st->timer_armed,
				       "%s:%d: suspend timer of %s armed", file, line, what);
	}
	KUNIT_EXPECT_EQ_MSG(test, st->irq_safe, !!(flags & RSIM_PM_IRQ_SAFE),
			    "%s:%d: irq_safe of %s", file, line, what);
	/* pm_runtime_enable() resets it; only a disable records a status. */
	if (!st->disable_depth)
		KUNIT_EXPECT_STREQ_MSG(test, rsim_status_name(st->last_status), "invalid",
				       "%s:%d: last_status of %s, enabled", file, line, what);
}

void rsim_kunit_expect_pm(struct kunit *test, struct device *dev, int status,
			  int usage, int children, unsigned int depth,
			  unsigned int flags, const char *file, int line)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(dev, &st);
	rsim_kunit_expect_state(test, &st, status, usage, children, depth, flags,
				dev_name(dev), file, line);
}

void rsim_kunit_expect_ev_pm(struct kunit *test, const struct rsim_event *ev,
			     int status, int usage, int children,
			     unsigned int depth, unsigned int flags,
			     const char *file, int line)
{
	char what[64];

	snprintf(what, sizeof(what), "%s at %s seq %llu", ev->dev,
		 rsim_ev_name(ev->type), ev->seq);
	rsim_kunit_expect_state(test, &ev->pm, status, usage, children, depth,
				flags, what, file, line);
}

MODULE_DESCRIPTION("rpm_sim KUnit contract suites");
MODULE_LICENSE("GPL");
