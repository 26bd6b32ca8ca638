// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the rpm_sim KUnit suites (see rsim_kunit.h).
 */
#include <kunit/test.h>
#include <kunit/resource.h>
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/string.h>

#include "rsim_kunit.h"

const struct rsim_kunit_bus rsim_kunit_buses[3] = {
	{ .bus = RSIM_BUS_SIM, .desc = "rpm_sim bus" },
	{ .bus = RSIM_BUS_PLATFORM, .pm_domain = true, .desc = "platform bus + PM domain" },
	{ .bus = RSIM_BUS_SIM, .async_probe = true, .desc = "rpm_sim bus, async probe" },
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

#ifdef RSIM_HAVE_KUNIT_ADD_ACTION
int rsim_kunit_defer(struct kunit *test, void (*fn)(void *), void *data)
{
	return kunit_add_action_or_reset(test, fn, data);
}
#else
/*
 * KUnit before v6.5 has no actions: the same on a resource, whose free
 * callback runs when the case ends.
 */
struct rsim_kunit_action {
	void (*fn)(void *data);
	void *data;
};

static int rsim_kunit_action_init(struct kunit_resource *res, void *ctx)
{
	res->data = ctx;
	return 0;
}

static void rsim_kunit_action_free(struct kunit_resource *res)
{
	struct rsim_kunit_action *a = res->data;

	a->fn(a->data);
	kfree(a);
}

int rsim_kunit_defer(struct kunit *test, void (*fn)(void *), void *data)
{
	struct rsim_kunit_action *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a) {
		fn(data);
		return -ENOMEM;
	}
	a->fn = fn;
	a->data = data;
	if (!kunit_alloc_resource(test, rsim_kunit_action_init,
				  rsim_kunit_action_free, GFP_KERNEL, a)) {
		fn(data);
		kfree(a);
		return -ENOMEM;
	}
	return 0;
}
#endif

/* kunit_kstrdup() is v6.7+; this is the same for every KUnit. */
char *rsim_kunit_strdup(struct kunit *test, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memcpy(p, s, len);
	return p;
}

/* By name: a case may have destroyed the device itself (the device_del path). */
static void rsim_kunit_dev_destroy(void *name)
{
	struct rsim_dev *rsim = rsim_dev_find(name);

	if (!rsim)
		return;
	rsim_gate_release_all(rsim);
	if (rsim_dev_destroy(rsim))
		pr_err("rpm_sim_kunit: cannot destroy %s\n", (char *)name);
}

struct rsim_dev *rsim_kunit_dev(struct kunit *test, const struct rsim_dev_config *cfg)
{
	struct rsim_dev *rsim = rsim_dev_create(cfg);
	char *name;

	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, rsim, "creating %s", cfg->name);
	/* device_add() only queued an asynchronous probe: let it finish. */
	if (cfg->async_probe)
		wait_for_device_probe();
	name = rsim_kunit_strdup(test, cfg->name);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rsim_kunit_dev_destroy, name), 0);
	return rsim;
}

char *rsim_kunit_name(struct kunit *test, const char *base)
{
	const struct rsim_kunit_bus *b = test->param_value;
	char *name;

	name = kunit_kzalloc(test, RSIM_NAME_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	snprintf(name, RSIM_NAME_LEN, "%s_%s", base,
		 !b ? "sim" : b->bus == RSIM_BUS_PLATFORM ? "plat" :
		 b->async_probe ? "asy" : "sim");
	return name;
}

bool rsim_kunit_wait_status(struct device *dev, int status, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	struct rsim_pm_state st;

	do {
		rsim_pm_snapshot(dev, &st);
		if (st.runtime_status == status && !st.request_pending)
			return true;
		usleep_range(500, 1000);
	} while (time_before(jiffies, end));
	return st.runtime_status == status;
}

bool rsim_kunit_wait_probes(struct rsim_dev *rsim, unsigned int n, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (rsim_dev_probe_count(rsim) < n) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(500, 1000);
	}
	/* Probe entered; let it finish (it holds the device lock). */
	device_lock(rsim_dev_device(rsim));
	device_unlock(rsim_dev_device(rsim));
	return true;
}

unsigned int rsim_kunit_count(const char *dev, int type, int layer,
			      int phase, u64 since)
{
	struct rsim_ev_filter f = {
		.dev = dev,
		.type = type,
		.layer = layer,
		.phase = phase,
		.since = since,
	};

	return rsim_evlog_count(&f);
}

bool rsim_kunit_find(const char *dev, int type, int layer, int phase,
		     u64 since, unsigned int nth, struct rsim_event *out)
{
	struct rsim_ev_filter f = {
		.dev = dev,
		.type = type,
		.layer = layer,
		.phase = phase,
		.since = since,
	};

	return rsim_evlog_nth(&f, nth, out);
}

bool rsim_kunit_find_notify(const char *dev, unsigned long action, u64 since,
			    struct rsim_event *out)
{
	unsigned int i;

	for (i = 0; rsim_kunit_find(dev, RSIM_EV_NOTIFY, RSIM_L_CORE, -1, since, i, out); i++)
		if (out->arg == action)
			return true;
	return false;
}

bool rsim_kunit_wait_work(struct rsim_dev *rsim, unsigned int n, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (rsim_work_count(rsim) < n) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(500, 1000);
	}
	return true;
}

struct rsim_kunit_thread {
	int (*fn)(void *data);
	void *data;
	int ret;
	struct completion done;
};

static int rsim_kunit_thread_fn(void *arg)
{
	struct rsim_kunit_thread *t = arg;

	t->ret = t->fn(t->data);
	/* complete_all: joins and the reaper may each wait on it. */
	complete_all(&t->done);
	return 0;
}

/* Case end: the thread must be gone before its memory is. */
static void rsim_kunit_thread_reap(void *arg)
{
	struct rsim_kunit_thread *t = arg;

	if (!wait_for_completion_timeout(&t->done, 60 * HZ))
		pr_err("rpm_sim_kunit: a test thread did not finish in 60 s\n");
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
	task = kthread_run(rsim_kunit_thread_fn, t, "rsim_kunit");
	if (IS_ERR(task))
		kfree(t);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(task), "kthread_run: %ld", PTR_ERR(task));
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

static void rsim_kunit_reregister(void *bus)
{
	rsim_kunit_register_fn(bus);
}

void rsim_kunit_driver_off(struct kunit *test, enum rsim_bus_kind bus)
{
	rsim_driver_unregister(bus);
	KUNIT_ASSERT_EQ(test, rsim_kunit_defer(test, rsim_kunit_reregister,
					       (void *)(long)bus), 0);
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

/*
 * Whole-state expectations. Failures name the caller's line, the device or
 * event, and the field, so a report reads like the assertion in the case.
 */
static void rsim_kunit_expect_state(struct kunit *test, const struct rsim_pm_state *st,
				    int status, int usage, int children,
				    unsigned int depth, const char *what,
				    const char *file, int line)
{
	file = kbasename(file);
	KUNIT_EXPECT_EQ_MSG(test, st->runtime_status, status,
			    "%s:%d: runtime_status of %s", file, line, what);
	KUNIT_EXPECT_EQ_MSG(test, st->usage_count, usage,
			    "%s:%d: usage_count of %s", file, line, what);
	KUNIT_EXPECT_EQ_MSG(test, st->child_count, children,
			    "%s:%d: child_count of %s", file, line, what);
	KUNIT_EXPECT_EQ_MSG(test, st->disable_depth, depth,
			    "%s:%d: disable_depth of %s", file, line, what);
}

void rsim_kunit_expect_pm(struct kunit *test, struct device *dev, int status,
			  int usage, int children, unsigned int depth,
			  const char *file, int line)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(dev, &st);
	rsim_kunit_expect_state(test, &st, status, usage, children, depth,
				dev_name(dev), file, line);
}

void rsim_kunit_expect_ev_pm(struct kunit *test, const struct rsim_event *ev,
			     int status, int usage, int children,
			     unsigned int depth, const char *file, int line)
{
	char what[64];

	snprintf(what, sizeof(what), "%s at %s seq %llu", ev->dev,
		 rsim_ev_name(ev->type), ev->seq);
	rsim_kunit_expect_state(test, &ev->pm, status, usage, children, depth,
				what, file, line);
}

MODULE_DESCRIPTION("rpm_sim KUnit contract suites");
MODULE_LICENSE("GPL");
