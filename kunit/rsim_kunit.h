/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the rpm_sim KUnit suites: devices whose cleanup is
 * registered with KUnit, synchronisation points, event-log queries that
 * fail the case when their window is gone, threads for racing steps, and
 * whole-state expectations.
 */
#ifndef _RSIM_KUNIT_H
#define _RSIM_KUNIT_H

#include <kunit/test.h>
#include <linux/pm_runtime.h>
#include <linux/prandom.h>

#include "../rpm_sim/compat.h"
#include "../rpm_sim/rpm_sim.h"

/*
 * The buses a scenario runs on: each bus with and without the PM domain,
 * and the rpm_sim bus once more with its asynchronous driver, for the
 * async attach paths (__device_attach_async_helper(),
 * __driver_attach_async_helper()), and the bare bus, without PM callbacks
 * or ->probe of its own: there the driver core and the PM core call the
 * driver's own (call_driver_probe(), RPM_GET_CALLBACK(), pm_op()).
 */
struct rsim_kunit_bus {
	enum rsim_bus_kind bus;
	bool pm_domain;
	bool async_probe;
	const char *desc;
};

extern const struct rsim_kunit_bus rsim_kunit_buses[5];
void rsim_kunit_bus_desc(const struct rsim_kunit_bus *b, char *desc);

/* Declares rsim_bus_gen_params for KUNIT_CASE_PARAM in each suite file. */
#define RSIM_KUNIT_BUS_PARAMS \
	KUNIT_ARRAY_PARAM(rsim_bus, rsim_kunit_buses, rsim_kunit_bus_desc)

/* The bus of a parameterised case, applied to @cfg. */
void rsim_kunit_use_bus(struct kunit *test, struct rsim_dev_config *cfg);

/* A device name unique to the case and its bus: "<base>_sim", "<base>_pdp", ... */
char *rsim_kunit_name(struct kunit *test, const char *base);

/* Create a device; destroyed when the case ends, whatever happens. */
struct rsim_dev *rsim_kunit_dev(struct kunit *test, const struct rsim_dev_config *cfg);

/*
 * Create a device that must end up bound and runtime-suspended with
 * nothing pending (its parent too), and check its whole state.
 */
struct rsim_dev *rsim_kunit_ready(struct kunit *test, const struct rsim_dev_config *cfg);

/*
 * rsim_kunit_ready() of a probe=get_put device on the case's bus, under
 * @parent (NULL: none), ignoring its children or not.
 */
/* @rsim at rest and suspended (waited for), usage, children, depth 0. */
void rsim_kunit_expect_suspended(struct kunit *test, struct rsim_dev *rsim);

/* @rsim resumed with nobody using it: RPM_ACTIVE, usage 0 (checked). */
void rsim_kunit_make_active(struct kunit *test, struct rsim_dev *rsim);

/*
 * @rsim made active and unused, then the suspend of an idle request held
 * at its RSIM_GATE_SUSPEND_ENTRY gate (RPM_SUSPENDING). Returns the event
 * mark taken before the request.
 */
u64 rsim_kunit_hold_suspending(struct kunit *test, struct rsim_dev *rsim);

struct rsim_dev *rsim_kunit_ready_child(struct kunit *test, const char *base,
					struct rsim_dev *parent, bool ignore_children);

/* Run @fn(@data) when the case ends (kunit_add_action or a resource). */
int rsim_kunit_defer(struct kunit *test, void (*fn)(void *), void *data);

/* A copy of @s that lives as long as the case */
char *rsim_kunit_strdup(struct kunit *test, const char *s);

/*
 * Synchronisation points. Each returns once something has happened, or
 * false after @ms; none of them stands for "nothing happened".
 */
/* No probe anywhere in flight, no deferred-probe work queued or running. */
void rsim_kunit_quiesce(void);
/* The device's runtime PM requests all run: work flushed, nothing pending. */
bool rsim_kunit_settle(struct device *dev, unsigned int ms);
/* runtime_status is @status with nothing pending (a timer may run to get there). */
bool rsim_kunit_wait_status(struct device *dev, int status, unsigned int ms);
/* A task sleeps on dev->power.wait_queue (in rpm_resume/suspend or a barrier). */
bool rsim_kunit_wait_waiter(struct device *dev, unsigned int ms);
/* The device has entered probe @n times, and that probe has finished. */
bool rsim_kunit_wait_probes(struct rsim_dev *rsim, unsigned int n, unsigned int ms);
/* The device's work-after-resume has run @n times. */
bool rsim_kunit_wait_work(struct rsim_dev *rsim, unsigned int n, unsigned int ms);

/*
 * Event log queries for one device, by name (-1: any). A lost window
 * (the ring wrapped past @since) fails the case.
 */
unsigned int rsim_kunit_count(struct kunit *test, const char *dev, int type,
			      int layer, int phase, u64 since);
bool rsim_kunit_find(struct kunit *test, const char *dev, int type, int layer,
		     int phase, u64 since, unsigned int nth, struct rsim_event *out);
bool rsim_kunit_find_notify(struct kunit *test, const char *dev,
			    unsigned long action, u64 since, struct rsim_event *out);
/* How many driver callbacks of @rsim began since @since */
unsigned int rsim_kunit_driver_callbacks(struct kunit *test, struct rsim_dev *rsim,
					 u64 since);
/* Print @dev's records from @since on (at most 40) into the case's log. */
void rsim_kunit_dump(struct kunit *test, const char *dev, u64 since);
/* A checker's verdict, failing the case on a violation or a lost window. */
#define RSIM_EXPECT_CHECK(test, expr, why)				\
	KUNIT_EXPECT_EQ_MSG(test, (expr), 0, "%s", why)

/* A step run on another thread, joined (bounded) when the case ends. */
struct rsim_kunit_thread;
struct rsim_kunit_thread *rsim_kunit_run(struct kunit *test,
					 int (*fn)(void *data), void *data);
bool rsim_kunit_join(struct rsim_kunit_thread *t, unsigned int ms);
int rsim_kunit_thread_ret(struct rsim_kunit_thread *t);
pid_t rsim_kunit_thread_pid(struct rsim_kunit_thread *t);

/* Steps for rsim_kunit_run(); the driver steps take an enum rsim_bus_kind */
int rsim_kunit_unbind_fn(void *rsim);
int rsim_kunit_bind_fn(void *rsim);
int rsim_kunit_register_fn(void *bus);
int rsim_kunit_unregister_fn(void *bus);
int rsim_kunit_destroy_fn(void *rsim);

/*
 * Unregister the driver of @bus for this case; registered again at its end
 * (_back_later: only the latter, for an unregistration made elsewhere)
 */
void rsim_kunit_driver_off(struct kunit *test, enum rsim_bus_kind bus);
void rsim_kunit_driver_back_later(struct kunit *test, enum rsim_bus_kind bus);

/* Unbind through device_release_driver(), bind through device_attach() */
void rsim_kunit_unbind(struct rsim_dev *rsim);
int rsim_kunit_bind(struct rsim_dev *rsim);

/*
 * Make runtime PM call @call and expect @want from it, where this kernel's
 * @call has a result (pm_runtime_barrier() and pm_runtime_put() lost theirs
 * upstream: rsim_rpm_returns()). The call is made either way.
 */
#define RSIM_EXPECT_RET(test, rsim, call, want)				\
	do {								\
		enum rsim_ev __call = (call);				\
		int __ret = rsim_rpm_call(rsim, __call);		\
									\
		if (rsim_rpm_returns(__call))				\
			KUNIT_EXPECT_EQ(test, __ret, want);		\
	} while (0)

/*
 * The whole runtime PM state of a device, or of an event's record: the
 * four counters given, and the rest at rest: no runtime_error, no request
 * or timer pending, no idle notification in progress, irq_safe clear, and
 * last_status "invalid" while runtime PM is enabled. Flags admit one of
 * those on purpose. Failures name the caller's line and the field, with
 * statuses by name.
 */
#define RSIM_PM_IRQ_SAFE	BIT(0)	/* irq_safe set */
#define RSIM_PM_ERROR		BIT(1)	/* runtime_error is the case's business */
#define RSIM_PM_PENDING		BIT(2)	/* a request or timer may be pending */

#define RSIM_EXPECT_PM_F(test, dev, status, usage, children, depth, flags)	\
	rsim_kunit_expect_pm(test, dev, status, usage, children, depth, flags,	\
			     __FILE__, __LINE__)
#define RSIM_EXPECT_PM(test, dev, status, usage, children, depth)	\
	RSIM_EXPECT_PM_F(test, dev, status, usage, children, depth, 0)

#define RSIM_EXPECT_EV_PM_F(test, ev, status, usage, children, depth, flags)	\
	rsim_kunit_expect_ev_pm(test, ev, status, usage, children, depth, flags, \
				__FILE__, __LINE__)
#define RSIM_EXPECT_EV_PM(test, ev, status, usage, children, depth)	\
	RSIM_EXPECT_EV_PM_F(test, ev, status, usage, children, depth, 0)

void rsim_kunit_expect_pm(struct kunit *test, struct device *dev, int status,
			  int usage, int children, unsigned int depth,
			  unsigned int flags, const char *file, int line);
void rsim_kunit_expect_ev_pm(struct kunit *test, const struct rsim_event *ev,
			     int status, int usage, int children,
			     unsigned int depth, unsigned int flags,
			     const char *file, int line);

/*
 * Seeded randomness for the stress cases: rpm_sim's parameter seed (0,
 * the default: a random one, printed), mixed with the case's name, so a
 * case replays alone or among others.
 */
void rsim_kunit_rand_init(struct kunit *test, struct rnd_state *state);

/* @base times rpm_sim's parameter stress_scale (1 unless soaking). */
unsigned int rsim_kunit_stress_iterations(unsigned int base);

/* Poll @cond(@arg) until it holds or @ms pass; false on timeout. */
bool rsim_kunit_wait_until(bool (*cond)(void *arg), void *arg, unsigned int ms);

#define RSIM_WAIT_MS		2000
/* A driver registered again may wait for its old sysfs directory to go. */
#define RSIM_DRIVER_WAIT_MS	10000

/* dev->power now, by value: rsim_pm(dev).request_pending */
static inline struct rsim_pm_state rsim_pm(struct device *dev)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(dev, &st);
	return st;
}

#endif /* _RSIM_KUNIT_H */
