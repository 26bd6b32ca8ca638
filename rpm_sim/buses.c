// SPDX-License-Identifier: GPL-2.0
/*
 * The buses a simulated device can sit on, by kind: the bus type of each,
 * the name commands and debugfs know it by, and one notifier block per
 * bus for the parts that follow every device wherever it sits (debugfs,
 * the lifecycle checker).
 */
#include <linux/iopoll.h>
#include <linux/notifier.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "internal.h"

static const char * const rsim_bus_names[RSIM_BUS_NR] = {
	[RSIM_BUS_SIM] = "rpm_sim",
	[RSIM_BUS_PLATFORM] = "platform",
	[RSIM_BUS_BARE] = "bare",
};

rsim_bus_type *rsim_bus_type_of(enum rsim_bus_kind bus)
{
	switch (bus) {
	case RSIM_BUS_SIM:
		return &rsim_bus;
	case RSIM_BUS_PLATFORM:
		return &platform_bus_type;
	case RSIM_BUS_BARE:
		return &rsim_bare_bus;
	default:
		return NULL;
	}
}

const char *rsim_bus_kind_name(enum rsim_bus_kind bus)
{
	return bus < RSIM_BUS_NR ? rsim_bus_names[bus] : "?";
}

/* Return: 0 and the kind in @bus, or -EINVAL for no such name. */
int rsim_bus_kind_parse(const char *name, enum rsim_bus_kind *bus)
{
	int i = match_string(rsim_bus_names, RSIM_BUS_NR, name);

	if (i < 0)
		return -EINVAL;
	*bus = i;
	return 0;
}

/**
 * rsim_match_answer() - what rpm_sim's bus ->match answers for its driver
 * @rsim: the device, already known to be the driver's
 *
 * The rpm_sim bus and the bare bus answer alike; the platform bus's
 * ->match is the kernel's, which is why the match knobs are refused there.
 *
 * Return: 0 while the device is not bindable; else the behaviour's
 * match_err ("not this device", nothing more), -EPROBE_DEFER for
 * match_defer (the driver core's "not now": the device waits on the
 * deferred list, unprobed), or 1.
 */
int rsim_match_answer(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;

	if (!READ_ONCE(rsim->bindable))
		return 0;
	rsim_behaviour_get(rsim, &b);
	if (b.match_err)
		return b.match_err;
	return b.match_defer ? -EPROBE_DEFER : 1;
}

/* Return: 0, or -EINVAL with a message for a knob that @bus cannot honour. */
int rsim_behaviour_check_bus(const struct rsim_behaviour *beh, enum rsim_bus_kind bus,
			     const char *name)
{
	if (bus == RSIM_BUS_PLATFORM && (beh->match_defer || beh->match_err)) {
		pr_err("rpm_sim: %s: match_defer and match_err need rpm_sim's ->match: bus=rpm_sim or bus=bare\n",
		       name);
		return -EINVAL;
	}
	return 0;
}

int rsim_bus_notifiers_register(struct notifier_block nb[RSIM_BUS_NR])
{
	int i, ret;

	for (i = 0; i < RSIM_BUS_NR; i++) {
		ret = bus_register_notifier(rsim_bus_type_of(i), &nb[i]);
		if (ret) {
			while (i--)
				bus_unregister_notifier(rsim_bus_type_of(i), &nb[i]);
			return ret;
		}
	}
	return 0;
}

void rsim_bus_notifiers_unregister(struct notifier_block nb[RSIM_BUS_NR])
{
	int i = RSIM_BUS_NR;

	while (i--)
		bus_unregister_notifier(rsim_bus_type_of(i), &nb[i]);
}

/*
 * bus_unregister() of one of our buses, and the wait for its release:
 * older driver cores still write into the bus type (see compat.h).
 */
void rsim_bus_unregister_wait(rsim_bus_type *bus)
{
	bool released;

	bus_unregister(bus);
	if (read_poll_timeout(rsim_bus_released, released, released,
			      10 * USEC_PER_MSEC, 30 * USEC_PER_SEC, false, bus))
		WARN(1, "rpm_sim: bus %s not released 30 s after bus_unregister()\n",
		     bus->name);
}
