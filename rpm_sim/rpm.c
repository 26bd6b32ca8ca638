// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime PM calls made on a simulated device, by its driver or by a test,
 * each logged with its return value and the state right after it.
 */
#include <linux/pm_runtime.h>
#include <linux/string.h>
#include <linux/export.h>

#include "internal.h"

#define RSIM_AUTOSUSPEND_MS	20

static int rsim_rpm_do(struct device *dev, enum rsim_ev call)
{
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
	case RSIM_EV_RPM_PUT:
		return pm_runtime_put(dev);
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
	case RSIM_EV_RPM_SCHEDULE_SUSPEND:
		return pm_schedule_suspend(dev, RSIM_AUTOSUSPEND_MS);
	case RSIM_EV_RPM_BARRIER:
		return pm_runtime_barrier(dev);
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
		pm_runtime_set_autosuspend_delay(dev, RSIM_AUTOSUSPEND_MS);
		pm_runtime_use_autosuspend(dev);
		return 0;
	default:
		return -EINVAL;
	}
}

static bool rsim_rpm_valid(enum rsim_ev call)
{
	return call >= RSIM_EV_RPM_ENABLE && call <= RSIM_EV_RPM_AUTOSUSPEND_ON;
}

/* A runtime PM call by the driver engine or the bus, logged in @layer. */
int rsim_rpm_in(struct rsim_dev *rsim, enum rsim_ev call, enum rsim_layer layer)
{
	int ret = rsim_rpm_do(rsim->dev, call);

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
	if (!rsim_rpm_valid(call))
		return -EINVAL;
	return rsim_rpm_in(rsim, call, RSIM_L_HARNESS);
}
EXPORT_SYMBOL_GPL(rsim_rpm_call);

/* debugfs "rpm" file: the call's name without its pm_runtime_/pm_ prefix. */
int rsim_rpm_parse(struct rsim_dev *rsim, const char *buf)
{
	char word[32];
	int i;

	if (sscanf(buf, "%31s", word) != 1)
		goto bad;
	for (i = RSIM_EV_RPM_ENABLE; i <= RSIM_EV_RPM_AUTOSUSPEND_ON; i++) {
		const char *name = rsim_ev_name(i);

		if (!strcmp(word, name) ||
		    (str_has_prefix(name, "pm_runtime_") && !strcmp(word, name + 11)) ||
		    (str_has_prefix(name, "pm_") && !strcmp(word, name + 3))) {
			rsim_rpm_call(rsim, i);
			return 0;
		}
	}
bad:
	pr_err("rpm_sim: %s: rpm: unknown call; expected e.g. get, get_sync, put, put_sync, resume, suspend, barrier\n",
	       rsim->name);
	return -EINVAL;
}
