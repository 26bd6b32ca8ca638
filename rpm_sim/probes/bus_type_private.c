// SPDX-License-Identifier: GPL-2.0
/*
 * struct bus_type points to its subsys_private (up to v6.2; gone with
 * "driver core: remove private pointer from struct bus_type", v6.3)
 */
#include <linux/device.h>
int f(const struct bus_type *bus) { return !!bus->p; }
