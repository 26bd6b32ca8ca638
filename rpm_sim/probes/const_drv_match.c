// SPDX-License-Identifier: GPL-2.0
/*
 * bus_type.match takes a const struct device_driver (v6.11, "driver core:
 * have match() callback in struct bus_type take a const *")
 */
#include <linux/device.h>
static int m(struct device *dev, const struct device_driver *drv) { return 0; }
const struct bus_type b = { .match = m };
