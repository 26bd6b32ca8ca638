// SPDX-License-Identifier: GPL-2.0
/*
 * register_syscore(): struct syscore with const ops and a data pointer,
 * replacing register_syscore_ops() (upstream v6.19, "syscore: Pass context
 * data to callbacks"; backported to Debian's 6.12.117).
 */
#include <linux/syscore_ops.h>
void t(struct syscore *s);
void t(struct syscore *s) { register_syscore(s); }
