/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Version shims of the KUnit suites, all in one place (the module's own
 * are in rpm_sim/compat.h). RSIM_HAVE_* come from Kbuild's compile probes.
 */
#ifndef _RSIM_KUNIT_COMPAT_H
#define _RSIM_KUNIT_COMPAT_H

#include <kunit/test.h>
#include <kunit/resource.h>
#include <linux/slab.h>

#ifdef RSIM_HAVE_KUNIT_ADD_ACTION
static inline int rsim_kunit_add_action(struct kunit *test, void (*fn)(void *),
					void *data)
{
	return kunit_add_action_or_reset(test, fn, data);
}
#else
/*
 * KUnit before v6.5 ("kunit: Add kunit_add_action() to defer a call until
 * test exit") has no actions: the same on a resource, whose free callback
 * runs when the case ends.
 */
struct rsim_kunit_action {
	void (*fn)(void *data);
	void *data;
};

static inline int rsim_kunit_action_init(struct kunit_resource *res, void *ctx)
{
	res->data = ctx;
	return 0;
}

static inline void rsim_kunit_action_free(struct kunit_resource *res)
{
	struct rsim_kunit_action *a = res->data;

	a->fn(a->data);
	kfree(a);
}

static inline int rsim_kunit_add_action(struct kunit *test, void (*fn)(void *),
					void *data)
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

/*
 * The runtime PM guards: pm_runtime_active and pm_runtime_active_auto
 * (v6.18, 9a0abc39450a, "PM: runtime: Add auto-cleanup macros for "resume
 * and get" operations"), pm_runtime_noresume ("PM: runtime: Introduce one
 * more usage counter guard", the same cycle). Without them the RS-13
 * cases skip before these are reached: they only have to compile.
 */
#ifdef RSIM_HAVE_RPM_GUARDS
#include <linux/cleanup.h>
#include <linux/pm_runtime.h>
#define RSIM_RPM_GUARDS			true
#define rsim_guard_rpm_active(dev)	guard(pm_runtime_active)(dev)
#define rsim_guard_rpm_active_auto(dev)	guard(pm_runtime_active_auto)(dev)
#else
#define RSIM_RPM_GUARDS			false
#define rsim_guard_rpm_active(dev)	((void)(dev))
#define rsim_guard_rpm_active_auto(dev)	((void)(dev))
#endif

#ifdef RSIM_HAVE_RPM_NORESUME_GUARD
#define RSIM_RPM_NORESUME_GUARD		true
#define rsim_guard_rpm_noresume(dev)	guard(pm_runtime_noresume)(dev)
#else
#define RSIM_RPM_NORESUME_GUARD		false
#define rsim_guard_rpm_noresume(dev)	((void)(dev))
#endif

#endif /* _RSIM_KUNIT_COMPAT_H */
