/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the rpm_sim KUnit suites: devices whose cleanup is
 * registered with KUnit, bounded waits, event-log queries, threads for
 * racing steps, and whole-state expectations.
 */
#ifndef _RSIM_KUNIT_H
#define _RSIM_KUNIT_H

#include <kunit/test.h>
#include <linux/pm_runtime.h>

#include "../rpm_sim/rpm_sim.h"

/*
 * The buses a scenario runs on: platform always with the PM domain, and the
 * rpm_sim bus once more with its asynchronous driver, for the async attach
 * paths (__device_attach_async_helper(), __driver_attach_async_helper()).
 */
struct rsim_kunit_bus {
	enum rsim_bus_kind bus;
	bool pm_domain;
	bool async_probe;
	const char *desc;
};

extern const struct rsim_kunit_bus rsim_kunit_buses[3];
void rsim_kunit_bus_desc(const struct rsim_kunit_bus *b, char *desc);

/* Declares rsim_bus_gen_params for KUNIT_CASE_PARAM in each suite file. */
#define RSIM_KUNIT_BUS_PARAMS \
	KUNIT_ARRAY_PARAM(rsim_bus, rsim_kunit_buses, rsim_kunit_bus_desc)

/* The bus of a parameterised case, applied to @cfg. */
void rsim_kunit_use_bus(struct kunit *test, struct rsim_dev_config *cfg);

/* Create a device; destroyed when the case ends, whatever happens. */
struct rsim_dev *rsim_kunit_dev(struct kunit *test, const struct rsim_dev_config *cfg);

/* Run @fn(@data) when the case ends (kunit_add_action or a resource). */
int rsim_kunit_defer(struct kunit *test, void (*fn)(void *), void *data);

/* Poll until dev->power.runtime_status == @status; false on timeout. */
bool rsim_kunit_wait_status(struct device *dev, int status, unsigned int ms);

/* Poll until the device has entered probe @n times; false on timeout. */
bool rsim_kunit_wait_probes(struct rsim_dev *rsim, unsigned int n, unsigned int ms);

/* A copy of @s that lives as long as the case */
char *rsim_kunit_strdup(struct kunit *test, const char *s);

/* A device name unique to the case and its bus: "<base>_sim", "<base>_plat" */
char *rsim_kunit_name(struct kunit *test, const char *base);

/* Event log queries for one device, by name (-1: any) */
unsigned int rsim_kunit_count(const char *dev, int type, int layer,
			      int phase, u64 since);
bool rsim_kunit_find(const char *dev, int type, int layer, int phase,
		     u64 since, unsigned int nth, struct rsim_event *out);
bool rsim_kunit_find_notify(const char *dev, unsigned long action, u64 since,
			    struct rsim_event *out);

/* Poll until the device's work-after-resume has run @n times */
bool rsim_kunit_wait_work(struct rsim_dev *rsim, unsigned int n, unsigned int ms);

/* A step run on another thread, joined (bounded) when the case ends. */
struct rsim_kunit_thread;
struct rsim_kunit_thread *rsim_kunit_run(struct kunit *test,
					 int (*fn)(void *data), void *data);
bool rsim_kunit_join(struct rsim_kunit_thread *t, unsigned int ms);
int rsim_kunit_thread_ret(struct rsim_kunit_thread *t);

/* Steps for rsim_kunit_run(); register_fn takes an enum rsim_bus_kind */
int rsim_kunit_unbind_fn(void *rsim);
int rsim_kunit_bind_fn(void *rsim);
int rsim_kunit_register_fn(void *bus);

/* Unregister the driver of @bus for this case; registered again at its end */
void rsim_kunit_driver_off(struct kunit *test, enum rsim_bus_kind bus);

/* Unbind through device_release_driver(), bind through device_attach() */
void rsim_kunit_unbind(struct rsim_dev *rsim);
int rsim_kunit_bind(struct rsim_dev *rsim);

/* The whole runtime PM state of a device, each field checked by name. */
#define RSIM_EXPECT_PM(test, dev, status, usage, children, depth)	\
	rsim_kunit_expect_pm(test, dev, status, usage, children, depth, __FILE__, __LINE__)

/* The same on the record of an event: the state at that moment. */
#define RSIM_EXPECT_EV_PM(test, ev, status, usage, children, depth)	\
	rsim_kunit_expect_ev_pm(test, ev, status, usage, children, depth, __FILE__, __LINE__)

void rsim_kunit_expect_pm(struct kunit *test, struct device *dev, int status,
			  int usage, int children, unsigned int depth,
			  const char *file, int line);
void rsim_kunit_expect_ev_pm(struct kunit *test, const struct rsim_event *ev,
			     int status, int usage, int children,
			     unsigned int depth, const char *file, int line);

#define RSIM_WAIT_MS	2000

/* dev->power now, by value: rsim_pm(dev).request_pending */
static inline struct rsim_pm_state rsim_pm(struct device *dev)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(dev, &st);
	return st;
}

#endif /* _RSIM_KUNIT_H */
