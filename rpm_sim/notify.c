// SPDX-License-Identifier: GPL-2.0
/*
 * What the driver core announces about simulated devices, on the rpm_sim
 * bus and on the platform bus, recorded in the core layer. The
 * BIND_DRIVER and UNBIND_DRIVER announcements pass the notifier gate.
 */
#include <linux/notifier.h>
#include <linux/platform_device.h>

#include "internal.h"

static int rsim_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct rsim_dev *rsim = rsim_from_dev(data);

	if (!rsim)
		return NOTIFY_DONE;
	rsim_log(rsim, RSIM_EV_NOTIFY, RSIM_L_CORE, RSIM_P_MARK, 0, action);
	rsim_lc_notify(rsim, action);
	if (action == BUS_NOTIFY_UNBIND_DRIVER || action == BUS_NOTIFY_BIND_DRIVER)
		rsim_gate_pass(rsim, RSIM_GATE_NOTIFIER);
	return NOTIFY_OK;
}

static struct notifier_block rsim_sim_nb = { .notifier_call = rsim_notify };
static struct notifier_block rsim_plat_nb = { .notifier_call = rsim_notify };

int rsim_notify_init(void)
{
	int ret = bus_register_notifier(&rsim_bus, &rsim_sim_nb);

	if (ret)
		return ret;
	ret = bus_register_notifier(&platform_bus_type, &rsim_plat_nb);
	if (ret)
		bus_unregister_notifier(&rsim_bus, &rsim_sim_nb);
	return ret;
}

void rsim_notify_exit(void)
{
	bus_unregister_notifier(&platform_bus_type, &rsim_plat_nb);
	bus_unregister_notifier(&rsim_bus, &rsim_sim_nb);
}
