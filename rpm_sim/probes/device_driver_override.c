// SPDX-License-Identifier: GPL-2.0
/*
 * device_set_driver_override(): driver_override moved from the bus devices
 * into struct device ("driver core: generic driver_override infrastructure",
 * upstream v7.0, backported to Debian's 6.12.117), replacing the platform
 * device's own field.
 */
#include <linux/device.h>
int t(struct device *dev);
int t(struct device *dev) { return device_set_driver_override(dev, "x"); }
