// SPDX-License-Identifier: GPL-2.0
/*
 * bus_attribute callbacks take a const struct bus_type (v6.4, "driver core:
 * bus: mark the struct bus_type for sysfs callbacks as constant")
 */
#include <linux/device.h>
static ssize_t s(const struct bus_type *bus, const char *buf, size_t n) { return n; }
struct bus_attribute a = { .store = s };
