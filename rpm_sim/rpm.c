// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime PM calls made on a simulated device, by its driver or by a test,
 * each logged with its return value and the state right after it.
 */
#include <linux/pm_runtime.h>
#include <linux/string.h>
#include <linux/export.h>

#include "internal.h"

/* The delays of the behaviour's autosuspend_ms and schedule_suspend_ms at 0 */
#define RSIM_AUTOSUSPEND_DEFAULT_MS		20
#define RSIM_SCHEDULE_SUSPEND_DEFAULT_MS	20

static int rsim_rpm_do(struct rsim_dev *rsim, enum rsim_ev call)
{
	struct device *dev = rsim->dev;
	struct rsim_behaviour beh;

	switch (call) {
	case RSIM_EV_RPM_ENABLE:
		pm_runtime_enable(dev);
		return 0;
	case RSIM_EV_RPM_DISABLE:
		pm_runtime_disable(dev);
		return 0;
	case RSIM_EV_RPM_GET:
		return pm_runtime_get(dev);
	case RSIM_EV_RPM_GET_SYNC:
		return pm_runtime_get_sync(dev);
	case RSIM_EV_RPM_RESUME_AND_GET:
		return pm_runtime_resume_and_get(dev);
	case RSIM_EV_RPM_GET_NORESUME:
		pm_runtime_get_noresume(dev);
		return 0;
	case RSIM_EV_RPM_GET_IF_IN_USE:
		return pm_runtime_get_if_in_use(dev);
	case RSIM_EV_RPM_GET_IF_ACTIVE:
		return rsim_pm_runtime_get_if_active(dev);
	case RSIM_EV_RPM_PUT:
		return rsim_pm_runtime_put(dev);
	case RSIM_EV_RPM_PUT_SYNC:
		return pm_runtime_put_sync(dev);
	case RSIM_EV_RPM_PUT_NOIDLE:
		pm_runtime_put_noidle(dev);
		return 0;
	case RSIM_EV_RPM_PUT_AUTOSUSPEND:
		pm_runtime_mark_last_busy(dev);
		return pm_runtime_put_autosuspend(dev);
	case RSIM_EV_RPM_RESUME:
		return pm_runtime_resume(dev);
	case RSIM_EV_RPM_SUSPEND:
		return pm_runtime_suspend(dev);
	case RSIM_EV_RPM_IDLE:
		return pm_runtime_idle(dev);
	case RSIM_EV_RPM_REQUEST_RESUME:
		return pm_request_resume(dev);
	case RSIM_EV_RPM_REQUEST_IDLE:
		return pm_request_idle(dev);
	case RSIM_EV_RPM_REQUEST_AUTOSUSPEND:
		return pm_request_autosuspend(dev);
	case RSIM_EV_RPM_SCHEDULE_SUSPEND:
		rsim_behaviour_get(rsim, &beh);
		return pm_schedule_suspend(dev, beh.schedule_suspend_ms ? :
					   RSIM_SCHEDULE_SUSPEND_DEFAULT_MS);
	case RSIM_EV_RPM_BARRIER:
		return rsim_pm_runtime_barrier(dev);
	case RSIM_EV_RPM_IRQ_SAFE:
		pm_runtime_irq_safe(dev);
		return 0;
	case RSIM_EV_RPM_SET_ACTIVE:
		return pm_runtime_set_active(dev);
	case RSIM_EV_RPM_SET_SUSPENDED:
		pm_runtime_set_suspended(dev);
		return 0;
	case RSIM_EV_RPM_FORCE_SUSPEND:
		return pm_runtime_force_suspend(dev);
	case RSIM_EV_RPM_FORCE_RESUME:
		return pm_runtime_force_resume(dev);
	case RSIM_EV_RPM_AUTOSUSPEND_ON:
		rsim_behaviour_get(rsim, &beh);
		pm_runtime_set_autosuspend_delay(dev, beh.autosuspend_ms ? :
						 RSIM_AUTOSUSPEND_DEFAULT_MS);
		pm_runtime_use_autosuspend(dev);
		return 0;
	case RSIM_EV_RPM_AUTOSUSPEND_OFF:
		pm_runtime_dont_use_autosuspend(dev);
		return 0;
	case RSIM_EV_RPM_PUT_SYNC_SUSPEND:
		return pm_runtime_put_sync_suspend(dev);
	case RSIM_EV_RPM_PUT_SYNC_AUTOSUSPEND:
		return pm_runtime_put_sync_autosuspend(dev);
	case RSIM_EV_RPM_AUTOSUSPEND:
		return pm_runtime_autosuspend(dev);
	case RSIM_EV_RPM_MARK_LAST_BUSY:
		pm_runtime_mark_last_busy(dev);
		return 0;
	case RSIM_EV_RPM_ALLOW:
		pm_runtime_allow(dev);
		return 0;
	case RSIM_EV_RPM_FORBID:
		pm_runtime_forbid(dev);
		return 0;
	default:
		return -EINVAL;
	}
}

/* A runtime PM call by the driver engine or the bus, logged in @layer. */
int rsim_rpm_in(struct rsim_dev *rsim, enum rsim_ev call, enum rsim_layer layer)
{
	int ret = rsim_rpm_do(rsim, call);

	rsim_log(rsim, call, layer, RSIM_P_CALL, ret, 0);
	return ret;
}

/**
 * rsim_rpm_call() - make a runtime PM call on @rsim's device for a test
 * @rsim: the device
 * @call: one of the RSIM_EV_RPM_* values
 *
 * The call and its return value are logged in the harness layer.
 *
 * Return: what the runtime PM call returned (0 for void ones), or -EINVAL
 * when @call is not a runtime PM call.
 */
int rsim_rpm_call(struct rsim_dev *rsim, enum rsim_ev call)
{
	if (call < RSIM_EV_RPM_FIRST || call > RSIM_EV_RPM_LAST)
		return -EINVAL;
	return rsim_rpm_in(rsim, call, RSIM_L_HARNESS);
}
EXPORT_SYMBOL_GPL(rsim_rpm_call);

/**
 * rsim_rpm_returns() - whether @call gives a result on this kernel
 * @call: one of the RSIM_EV_RPM_* values
 *
 * Return: false for the calls that are void here (rsim_rpm_call() gives 0
 * for them), true for the others.
 */
bool rsim_rpm_returns(enum rsim_ev call)
{
	switch (call) {
	case RSIM_EV_RPM_ENABLE:
	case RSIM_EV_RPM_DISABLE:
	case RSIM_EV_RPM_GET_NORESUME:
	case RSIM_EV_RPM_PUT_NOIDLE:
	case RSIM_EV_RPM_IRQ_SAFE:
	case RSIM_EV_RPM_SET_SUSPENDED:
	case RSIM_EV_RPM_AUTOSUSPEND_ON:
	case RSIM_EV_RPM_AUTOSUSPEND_OFF:
	case RSIM_EV_RPM_MARK_LAST_BUSY:
	case RSIM_EV_RPM_ALLOW:
	case RSIM_EV_RPM_FORBID:
		return false;
	case RSIM_EV_RPM_PUT:
		return RSIM_RPM_PUT_RETURNS;
	case RSIM_EV_RPM_BARRIER:
		return RSIM_RPM_BARRIER_RETURNS;
	default:
		return call >= RSIM_EV_RPM_FIRST && call <= RSIM_EV_RPM_LAST;
	}
}
EXPORT_SYMBOL_GPL(rsim_rpm_returns);

/*
 * The call named @name: its log name, or that name without its
 * "pm_runtime_" or "pm_" prefix ("get_sync", "request_resume").
 */
int rsim_rpm_lookup(const char *name)
{
	int i;

	for (i = RSIM_EV_RPM_FIRST; i <= RSIM_EV_RPM_LAST; i++) {
		const char *full = rsim_ev_name(i);

		if (!strcmp(name, full) ||
		    (str_has_prefix(full, "pm_runtime_") &&
		     !strcmp(name, full + strlen("pm_runtime_"))) ||
		    (str_has_prefix(full, "pm_") && !strcmp(name, full + strlen("pm_"))))
			return i;
	}
	return -EINVAL;
}
