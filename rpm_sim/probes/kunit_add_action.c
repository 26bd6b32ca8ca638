// SPDX-License-Identifier: GPL-2.0
/*
 * kunit_add_action_or_reset() (v6.5, "kunit: Add kunit_add_action() to
 * defer a call until test exit")
 */
#include <kunit/test.h>
#include <kunit/resource.h>
static void f(void *p) { }
int t(struct kunit *test) { return kunit_add_action_or_reset(test, f, NULL); }
