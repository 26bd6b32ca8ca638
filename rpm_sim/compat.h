/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Version shims, all in one place. Each RSIM_HAVE_* comes from a compile
 * probe in rpm_sim/probes/ run by Kbuild against the target tree, not from
 * a version number: distribution kernels carry backports.
 */
#ifndef _RPM_SIM_COMPAT_H
#define _RPM_SIM_COMPAT_H

#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

/* bus_type.match: const driver since v6.11 */
#ifdef RSIM_HAVE_CONST_DRV_MATCH
#define rsim_const_drv const
#else
#define rsim_const_drv
#endif

/*
 * The bus type is const where the driver core takes it so (v6.4, "driver
 * core: bus: mark the struct bus_type for sysfs callbacks as constant" and
 * the series around it); 6.1's bus_register() writes into it. The platform
 * bus is declared the same way, so follow it.
 */
#define rsim_bus_type	typeof(platform_bus_type)

/*
 * Up to v6.2, struct bus_type points to the bus's private part, and
 * bus_release() clears that pointer when the last reference to the bus's
 * kobject goes: with DEBUG_KOBJECT_RELEASE 1 to 4 s after bus_unregister(),
 * a store into a module that may be gone by then. "driver core: remove
 * private pointer from struct bus_type" (v6.3) ended it; before that, the
 * module waits for the store.
 */
#ifdef RSIM_HAVE_BUS_TYPE_PRIVATE
static inline bool rsim_bus_released(rsim_bus_type *bus)
{
	return !READ_ONCE(bus->p);
}
#else
static inline bool rsim_bus_released(rsim_bus_type *bus)
{
	return true;
}
#endif

/* bus_attribute show/store: const bus since v6.4 */
#ifdef RSIM_HAVE_CONST_BUS_ATTR
#define rsim_const_bus const
#else
#define rsim_const_bus
#endif

/*
 * platform_driver: void remove_new from v6.1; .remove itself
 * void and remove_new gone from v6.13.
 */
#ifdef RSIM_HAVE_PLATFORM_REMOVE_NEW
#define RSIM_PLATFORM_REMOVE(fn)	.remove_new = (fn)
#else
#define RSIM_PLATFORM_REMOVE(fn)	.remove = (fn)
#endif

/*
 * driver_override: a field of struct device set by
 * device_set_driver_override() in newer trees (and Debian's 6.12 backport),
 * a field of struct platform_device set by driver_set_override() before.
 */
#ifdef RSIM_HAVE_DEVICE_DRIVER_OVERRIDE
static inline int rsim_set_driver_override(struct platform_device *pdev,
					   const char *name)
{
	return device_set_driver_override(&pdev->dev, name);
}
#else
static inline int rsim_set_driver_override(struct platform_device *pdev,
					   const char *name)
{
	return driver_set_override(&pdev->dev, &pdev->driver_override, name,
				   strlen(name));
}
#endif

/*
 * syscore: struct syscore with const ops and a data pointer from v6.19
 * ("syscore: Pass context data to callbacks", in Debian's 6.12.117 too);
 * struct syscore_ops registered directly before.
 */
#ifdef RSIM_HAVE_REGISTER_SYSCORE
#define RSIM_SYSCORE_ARG	void *data
#define RSIM_DEFINE_SYSCORE(name, fn)					\
	static const struct syscore_ops name##_ops = { .shutdown = fn };	\
	static struct syscore name = { .ops = &name##_ops }
#define rsim_register_syscore(s)	register_syscore(s)
#define rsim_unregister_syscore(s)	unregister_syscore(s)
#else
#define RSIM_SYSCORE_ARG	void
#define RSIM_DEFINE_SYSCORE(name, fn)					\
	static struct syscore_ops name = { .shutdown = fn }
#define rsim_register_syscore(s)	register_syscore_ops(s)
#define rsim_unregister_syscore(s)	unregister_syscore_ops(s)
#endif

/*
 * Asynchronous shutdown in the driver core (the series proposed upstream
 * since 2022, not merged as of v6.18): where the tree has it, the core
 * dispatches and rpm_sim's own model steps aside.
 */
#ifdef RSIM_HAVE_DEVICE_ASYNC_SHUTDOWN
#define RSIM_CORE_ASYNC_SHUTDOWN	true
static inline void rsim_enable_async_shutdown(struct device *dev)
{
	device_enable_async_shutdown(dev);
}
#else
#define RSIM_CORE_ASYNC_SHUTDOWN	false
static inline void rsim_enable_async_shutdown(struct device *dev)
{
}
#endif

/*
 * Runtime PM calls whose result upstream dropped: pm_runtime_barrier() in
 * v6.19 ("PM: runtime: Make pm_runtime_barrier() return void"),
 * pm_runtime_put() in the v7.1 merge window ("PM: runtime: Change
 * pm_runtime_put() return type to void"). Where a call has no result,
 * rpm_sim logs 0 for it, as for every void call, and rsim_rpm_returns()
 * says so: a test asserts a result only where the kernel gives one.
 */
#ifdef RSIM_HAVE_RPM_BARRIER_RET
#define RSIM_RPM_BARRIER_RETURNS	true
#define rsim_pm_runtime_barrier(dev)	pm_runtime_barrier(dev)
#else
#define RSIM_RPM_BARRIER_RETURNS	false
static inline int rsim_pm_runtime_barrier(struct device *dev)
{
	pm_runtime_barrier(dev);
	return 0;
}
#endif

#ifdef RSIM_HAVE_RPM_PUT_RET
#define RSIM_RPM_PUT_RETURNS		true
#define rsim_pm_runtime_put(dev)	pm_runtime_put(dev)
#else
#define RSIM_RPM_PUT_RETURNS		false
static inline int rsim_pm_runtime_put(struct device *dev)
{
	pm_runtime_put(dev);
	return 0;
}
#endif

/*
 * pm_runtime_get_if_active() takes the device alone since v6.9
 * (c0ef3df8dbae, "PM: runtime: Simplify pm_runtime_get_if_active()
 * usage"); before, ign_usage_count said whether to ignore the usage count,
 * which the one-argument call always does.
 */
#ifdef RSIM_HAVE_RPM_GET_IF_ACTIVE_DEV_ONLY
#define rsim_pm_runtime_get_if_active(dev)	pm_runtime_get_if_active(dev)
#else
#define rsim_pm_runtime_get_if_active(dev)	pm_runtime_get_if_active(dev, true)
#endif

/*
 * A runtime PM callback's error, as the caller gets it and as it sticks in
 * power.runtime_error. Since 72263869656d ("PM: runtime: Unify error
 * handling during suspend and resume", v6.15) -EACCES comes back as
 * -EAGAIN, and -EAGAIN and -EBUSY never stick, in resume as in suspend.
 * Before, -EACCES came back as -EIO, every error of a resume stuck, and a
 * failed suspend unstuck -EAGAIN and -EBUSY only. That commit changes
 * static code only: the sign read is the field its pull request renamed
 * (3038b22bc098, power.work_in_progress).
 */
#ifdef RSIM_HAVE_RPM_WORK_IN_PROGRESS
#define RSIM_RPM_TRANSIENT_ERRORS_UNSTUCK	true
#else
#define RSIM_RPM_TRANSIENT_ERRORS_UNSTUCK	false
#endif

/*
 * A put that drops the usage count to 0 on a device already suspended
 * returns 1 since d0b8651a0261 ("PM: runtime: Make put{,_sync}() return 1
 * when already suspended", v6.18), -EAGAIN before. Static code again: the
 * sign read is RPM_TRANSPARENT, from the same pull request
 * (9a0abc39450a), which also brought pm_runtime_get_active().
 */
#ifdef RSIM_HAVE_RPM_TRANSPARENT
#define RSIM_RPM_PUT_SUSPENDED_RET	1
#define RSIM_RPM_GET_ACTIVE		true
#define rsim_pm_runtime_get_active(dev, transparent)			\
	pm_runtime_get_active(dev, (transparent) ? RPM_TRANSPARENT : 0)
#else
#define RSIM_RPM_PUT_SUSPENDED_RET	(-EAGAIN)
#define RSIM_RPM_GET_ACTIVE		false
static inline int rsim_pm_runtime_get_active(struct device *dev, bool transparent)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * devm_pm_runtime_set_active_enabled() and devm_pm_runtime_get_noresume()
 * (73db799bf5ef, v6.16, in several stable series): probe=devm. Without
 * them, that probe fails with -EOPNOTSUPP.
 */
#ifdef RSIM_HAVE_RPM_DEVM_ACTIVE_ENABLED
#define RSIM_RPM_DEVM			true
static inline int rsim_devm_pm_runtime_active_in_use(struct device *dev)
{
	return devm_pm_runtime_set_active_enabled(dev) ?: devm_pm_runtime_get_noresume(dev);
}
#else
#define RSIM_RPM_DEVM			false
static inline int rsim_devm_pm_runtime_active_in_use(struct device *dev)
{
	return -EOPNOTSUPP;
}
#endif

#endif /* _RPM_SIM_COMPAT_H */
