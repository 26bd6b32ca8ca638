// SPDX-License-Identifier: GPL-2.0
/*
 * Every text command rpm_sim takes, wherever it is written (the bus's
 * sysfs attributes, the debugfs files), parsed by one parser: positional
 * words first, then key=value words. A bad command is refused with
 * -EINVAL (or the lookup's error) and a line in the kernel log saying what
 * was expected; nothing is half done.
 *
 *   new_device   NAME [bus=rpm_sim|platform|bare] [parent=NAME] [pm_domain=0|1]
 *                [async_suspend=0|1] [async_probe=0|1] [ignore_children=0|1]
 *                [bind=0|1] [behaviour key=value ...]
 *   del_device   NAME
 *   new_link     CONSUMER SUPPLIER [pm_runtime=0|1] [stateless=0|1] [rpm_active=0|1]
 *                [sync_state_only=0|1] [autoremove_consumer=0|1]
 *                [autoremove_supplier=0|1] [autoprobe_consumer=0|1]
 *   del_link     CONSUMER SUPPLIER
 *   events       clear
 *   bus_opts     [hold_rpm_across_remove=0|1] [break_ss2=0|1]
 *   drivers      register|unregister rpm_sim|platform|bare | settle
 * and per device:
 *   behaviour    key=value ...
 *   gate         arm|release POINT | release all | wait POINT MS
 *   rpm          CALL (get, get_sync, put, ..., or the full name)
 *   bindable     0|1
 *   work         run
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/device.h>

#include "internal.h"

#define RSIM_MAX_WORDS		8	/* positional words a command may have */
#define RSIM_GATE_WAIT_MAX_MS	60000

struct rsim_words {
	char *word[RSIM_MAX_WORDS];
	int n;				/* positional words */
	char *kv;			/* the key=value part, or NULL */
};

/* Split @buf (modified) into positional words and a key=value tail. */
static int rsim_split(char *buf, struct rsim_words *w)
{
	char *s = strim(buf), *tok;

	w->n = 0;
	w->kv = NULL;
	while ((tok = strsep(&s, " \t\n"))) {
		if (!*tok)
			continue;
		if (strchr(tok, '=')) {
			/* Undo the split: the tail is parsed by rsim_each_kv(). */
			if (s)
				s[-1] = ' ';
			w->kv = tok;
			return 0;
		}
		if (w->n == RSIM_MAX_WORDS)
			return -EINVAL;
		w->word[w->n++] = tok;
	}
	return 0;
}

/* Call @fn on each key=value word of @kv; every word must be one. */
static int rsim_each_kv(const char *cmd, char *kv,
			int (*fn)(void *ctx, const char *key, const char *val),
			void *ctx)
{
	char *w, *eq;
	int ret;

	while (kv && (w = strsep(&kv, " \t\n"))) {
		if (!*w)
			continue;
		eq = strchr(w, '=');
		if (!eq || eq == w) {
			pr_err("rpm_sim: %s: expected key=value, got '%s'\n", cmd, w);
			return -EINVAL;
		}
		*eq = '\0';
		ret = fn(ctx, w, eq + 1);
		if (ret) {
			pr_err("rpm_sim: %s: %s key '%s'%s%s\n", cmd,
			       ret == -ENOENT ? "unknown" : "bad value for",
			       w, ret == -ENOENT ? "" : ": ", ret == -ENOENT ? "" : eq + 1);
			return -EINVAL;
		}
	}
	return 0;
}

static int rsim_parse_bool(const char *val, bool *out)
{
	return kstrtobool(val, out) ? -EINVAL : 0;
}

/* new_device */

struct rsim_new_ctx {
	struct rsim_dev_config cfg;
	char parent[RSIM_NAME_LEN];
};

static int rsim_new_key(void *ctx, const char *key, const char *val)
{
	struct rsim_new_ctx *c = ctx;
	bool b;

	if (!strcmp(key, "bus"))
		return rsim_bus_kind_parse(val, &c->cfg.bus);
	if (!strcmp(key, "parent"))
		return strscpy(c->parent, val, sizeof(c->parent)) < 0 ? -EINVAL : 0;
	if (!strcmp(key, "pm_domain"))
		return rsim_parse_bool(val, &c->cfg.pm_domain);
	if (!strcmp(key, "async_suspend"))
		return rsim_parse_bool(val, &c->cfg.async_suspend);
	if (!strcmp(key, "async_probe"))
		return rsim_parse_bool(val, &c->cfg.async_probe);
	if (!strcmp(key, "ignore_children"))
		return rsim_parse_bool(val, &c->cfg.ignore_children);
	if (!strcmp(key, "bind")) {
		if (rsim_parse_bool(val, &b))
			return -EINVAL;
		c->cfg.no_bind = !b;
		return 0;
	}
	return rsim_behaviour_set(&c->cfg.beh, key, val);
}

static int rsim_cmd_new_device(char *buf)
{
	struct rsim_new_ctx *c;
	struct rsim_words w;
	struct rsim_dev *rsim;
	int ret;

	if (rsim_split(buf, &w) || w.n != 1) {
		pr_err("rpm_sim: new_device: expected 'NAME [key=value ...]'\n");
		return -EINVAL;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->cfg.name = w.word[0];
	ret = rsim_each_kv("new_device", w.kv, rsim_new_key, c);
	if (ret)
		goto out;

	mutex_lock(&rsim_lock);
	if (c->parent[0]) {
		c->cfg.parent = rsim_dev_find_locked(c->parent);
		if (!c->cfg.parent) {
			pr_err("rpm_sim: new_device: no parent named %s\n", c->parent);
			ret = -ENODEV;
		}
	}
	if (!ret) {
		rsim = rsim_dev_create_locked(&c->cfg);
		ret = PTR_ERR_OR_ZERO(rsim);
	}
	mutex_unlock(&rsim_lock);
out:
	kfree(c);
	return ret;
}

/* del_device */

static int rsim_cmd_del_device(char *buf)
{
	struct rsim_dev *rsim;
	struct rsim_words w;
	int ret;

	if (rsim_split(buf, &w) || w.n != 1 || w.kv) {
		pr_err("rpm_sim: del_device: expected 'NAME'\n");
		return -EINVAL;
	}
	mutex_lock(&rsim_lock);
	rsim = rsim_dev_find_locked(w.word[0]);
	if (rsim) {
		ret = rsim_dev_destroy_begin_locked(rsim);
	} else {
		pr_err("rpm_sim: del_device: no device named %s\n", w.word[0]);
		ret = -ENODEV;
	}
	mutex_unlock(&rsim_lock);
	/* Unregistering may wait: no other command waits with it. */
	if (!ret)
		ret = rsim_dev_destroy_finish(rsim);
	return ret;
}

/* new_link, del_link */

static int rsim_link_key(void *ctx, const char *key, const char *val)
{
	static const struct { const char *key; u32 flag; } keys[] = {
		{ "pm_runtime", DL_FLAG_PM_RUNTIME },
		{ "stateless", DL_FLAG_STATELESS },
		{ "rpm_active", DL_FLAG_RPM_ACTIVE },
		{ "sync_state_only", DL_FLAG_SYNC_STATE_ONLY },
		{ "autoremove_consumer", DL_FLAG_AUTOREMOVE_CONSUMER },
		{ "autoremove_supplier", DL_FLAG_AUTOREMOVE_SUPPLIER },
		{ "autoprobe_consumer", DL_FLAG_AUTOPROBE_CONSUMER },
	};
	u32 *flags = ctx;
	unsigned int i;
	bool b;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (strcmp(key, keys[i].key))
			continue;
		if (rsim_parse_bool(val, &b))
			return -EINVAL;
		*flags = b ? *flags | keys[i].flag : *flags & ~keys[i].flag;
		return 0;
	}
	return -ENOENT;
}

static int rsim_cmd_link(char *buf, bool add)
{
	const char *cmd = add ? "new_link" : "del_link";
	struct rsim_dev *c, *s;
	struct rsim_words w;
	u32 flags = 0;
	int ret;

	if (rsim_split(buf, &w) || w.n != 2 || (!add && w.kv)) {
		pr_err("rpm_sim: %s: expected 'CONSUMER SUPPLIER%s'\n", cmd,
		       add ? " [FLAG=0|1]..." : "");
		return -EINVAL;
	}
	ret = rsim_each_kv(cmd, w.kv, rsim_link_key, &flags);
	if (ret)
		return ret;
	mutex_lock(&rsim_lock);
	c = rsim_dev_find_locked(w.word[0]);
	s = rsim_dev_find_locked(w.word[1]);
	if (!c || !s) {
		pr_err("rpm_sim: %s: no device named %s\n", cmd, c ? w.word[1] : w.word[0]);
		ret = -ENODEV;
	} else if (add) {
		ret = rsim_link_add_locked(c, s, flags);
	} else {
		ret = rsim_link_del_locked(c, s);
	}
	mutex_unlock(&rsim_lock);
	return ret;
}

/* events, bus_opts, drivers */

static int rsim_cmd_events(char *buf)
{
	struct rsim_words w;

	if (rsim_split(buf, &w) || w.n != 1 || w.kv || strcmp(w.word[0], "clear")) {
		pr_err("rpm_sim: events: the only command is 'clear'\n");
		return -EINVAL;
	}
	rsim_evlog_clear();
	return 0;
}

static int rsim_bus_opts_key(void *ctx, const char *key, const char *val)
{
	struct rsim_bus_opts *o = ctx;

	if (!strcmp(key, "hold_rpm_across_remove"))
		return rsim_parse_bool(val, &o->hold_rpm_across_remove);
	if (!strcmp(key, "break_ss2"))
		return rsim_parse_bool(val, &o->break_ss2);
	return -ENOENT;
}

static int rsim_cmd_bus_opts(char *buf)
{
	struct rsim_bus_opts o;
	struct rsim_words w;
	int ret;

	if (rsim_split(buf, &w) || w.n || !w.kv) {
		pr_err("rpm_sim: bus_opts: expected hold_rpm_across_remove=0|1 break_ss2=0|1\n");
		return -EINVAL;
	}
	rsim_bus_get_opts(&o);
	ret = rsim_each_kv("bus_opts", w.kv, rsim_bus_opts_key, &o);
	if (!ret)
		rsim_bus_set_opts(&o);
	return ret;
}

static int rsim_cmd_drivers(char *buf)
{
	enum rsim_bus_kind bus;
	struct rsim_words w;

	if (rsim_split(buf, &w) || w.kv)
		goto bad;
	/*
	 * settle: the driver core's probing is done, in-flight probes, the
	 * deferred-probe retries a trigger queued, and asynchronous probes:
	 * how a test shows that a device was not probed again.
	 */
	if (w.n == 1 && !strcmp(w.word[0], "settle")) {
		wait_for_device_probe();
		return 0;
	}
	if (w.n != 2 || rsim_bus_kind_parse(w.word[1], &bus))
		goto bad;
	if (!strcmp(w.word[0], "register"))
		return rsim_driver_register(bus);
	if (!strcmp(w.word[0], "unregister")) {
		rsim_driver_unregister(bus);
		return 0;
	}
bad:
	pr_err("rpm_sim: drivers: expected 'register|unregister rpm_sim|platform|bare' or 'settle'\n");
	return -EINVAL;
}

/* observe: add BUS DEVICE | del BUS DEVICE | clear (observe.c) */
static int rsim_cmd_observe(char *buf)
{
	struct rsim_words w;

	if (rsim_split(buf, &w) || w.kv || !w.n) {
		pr_err("rpm_sim: observe: expected 'add BUS DEVICE', 'del BUS DEVICE' or 'clear'\n");
		return -EINVAL;
	}
	return rsim_observe_cmd(w.n, w.word);
}

static int rsim_cmd_attach(char *buf, bool attach)
{
	struct rsim_words w;

	if (rsim_split(buf, &w) || w.kv) {
		pr_err("rpm_sim: %s: expected 'BUS DEVICE'\n", attach ? "attach" : "detach");
		return -EINVAL;
	}
	return rsim_attach_cmd(attach, w.n, w.word);
}

/* Per-device commands */

static int rsim_behaviour_key(void *ctx, const char *key, const char *val)
{
	return rsim_behaviour_set(ctx, key, val);
}

static int rsim_cmd_behaviour(struct rsim_dev *rsim, char *buf)
{
	struct rsim_behaviour beh;
	struct rsim_words w;
	int ret;

	if (rsim_split(buf, &w) || w.n || !w.kv) {
		pr_err("rpm_sim: %s: behaviour: expected key=value ...\n", rsim->name);
		return -EINVAL;
	}
	rsim_behaviour_get(rsim, &beh);
	ret = rsim_each_kv("behaviour", w.kv, rsim_behaviour_key, &beh);
	if (!ret)
		ret = rsim_behaviour_check_bus(&beh, rsim->bus, rsim->name);
	if (!ret)
		rsim_dev_set_behaviour(rsim, &beh);
	return ret;
}

static int rsim_cmd_gate(struct rsim_dev *rsim, char *buf)
{
	struct rsim_words w;
	unsigned int ms;
	int p;

	if (rsim_split(buf, &w) || w.kv || w.n < 2 || w.n > 3)
		goto bad;
	if (w.n == 2 && !strcmp(w.word[0], "release") && !strcmp(w.word[1], "all")) {
		rsim_gate_release_all(rsim);
		return 0;
	}
	p = rsim_gate_lookup(w.word[1]);
	if (p < 0)
		goto bad;
	if (w.n == 2 && !strcmp(w.word[0], "arm"))
		return rsim_gate_arm(rsim, p);
	if (w.n == 2 && !strcmp(w.word[0], "release")) {
		rsim_gate_release(rsim, p);
		return 0;
	}
	if (w.n == 3 && !strcmp(w.word[0], "wait") &&
	    !kstrtouint(w.word[2], 10, &ms) && ms <= RSIM_GATE_WAIT_MAX_MS)
		return rsim_gate_wait_reached(rsim, p, ms);
bad:
	pr_err("rpm_sim: %s: gate: expected 'arm|release POINT', 'release all' or 'wait POINT MS' (MS <= %d)\n",
	       rsim->name, RSIM_GATE_WAIT_MAX_MS);
	return -EINVAL;
}

static int rsim_cmd_rpm(struct rsim_dev *rsim, char *buf)
{
	struct rsim_words w;
	int call = -EINVAL;

	if (!rsim_split(buf, &w) && w.n == 1 && !w.kv)
		call = rsim_rpm_lookup(w.word[0]);
	if (call < 0) {
		pr_err("rpm_sim: %s: rpm: unknown call; expected e.g. get, get_sync, put, put_sync, resume, suspend, barrier\n",
		       rsim->name);
		return -EINVAL;
	}
	rsim_rpm_call(rsim, call);
	return 0;
}

static int rsim_cmd_bindable(struct rsim_dev *rsim, char *buf)
{
	struct rsim_words w;
	bool b;

	if (rsim_split(buf, &w) || w.n != 1 || w.kv || kstrtobool(w.word[0], &b)) {
		pr_err("rpm_sim: %s: bindable: expected 0 or 1\n", rsim->name);
		return -EINVAL;
	}
	return rsim_dev_set_bindable(rsim, b);
}

static int rsim_cmd_work(struct rsim_dev *rsim, char *buf)
{
	struct rsim_words w;
	int ret;

	if (rsim_split(buf, &w) || w.n != 1 || w.kv || strcmp(w.word[0], "run")) {
		pr_err("rpm_sim: %s: work: the only command is 'run'\n", rsim->name);
		return -EINVAL;
	}
	ret = rsim_work_after_resume(rsim);
	return ret < 0 && ret != -EINPROGRESS ? ret : 0;
}

static const struct {
	const char *file;
	int (*fn)(struct rsim_dev *rsim, char *buf);
} rsim_dev_cmds[] = {
	{ "behaviour", rsim_cmd_behaviour },
	{ "gate", rsim_cmd_gate },
	{ "rpm", rsim_cmd_rpm },
	{ "bindable", rsim_cmd_bindable },
	{ "work", rsim_cmd_work },
};

/* A write of @buf (modified) to @rsim's file @file. */
int rsim_cmd_dev(struct rsim_dev *rsim, const char *file, char *buf)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rsim_dev_cmds); i++)
		if (!strcmp(file, rsim_dev_cmds[i].file))
			return rsim_dev_cmds[i].fn(rsim, buf);
	return -EINVAL;
}

/* A write of @buf (modified) to the global file @file. */
int rsim_cmd_global(const char *file, char *buf)
{
	if (!strcmp(file, "new_device"))
		return rsim_cmd_new_device(buf);
	if (!strcmp(file, "del_device"))
		return rsim_cmd_del_device(buf);
	if (!strcmp(file, "new_link"))
		return rsim_cmd_link(buf, true);
	if (!strcmp(file, "del_link"))
		return rsim_cmd_link(buf, false);
	if (!strcmp(file, "events"))
		return rsim_cmd_events(buf);
	if (!strcmp(file, "bus_opts"))
		return rsim_cmd_bus_opts(buf);
	if (!strcmp(file, "drivers"))
		return rsim_cmd_drivers(buf);
	if (!strcmp(file, "observe"))
		return rsim_cmd_observe(buf);
	if (!strcmp(file, "attach") || !strcmp(file, "detach"))
		return rsim_cmd_attach(buf, !strcmp(file, "attach"));
	return -EINVAL;
}

/* The bus's sysfs attributes: root-only, write-only commands. */

static ssize_t rsim_bus_store(const char *file, const char *buf, size_t count)
{
	char *copy;
	int ret;

	if (!count || count >= RSIM_CMD_MAX) {
		pr_err("rpm_sim: %s: write 1-%d bytes\n", file, RSIM_CMD_MAX - 1);
		return -EINVAL;
	}
	copy = kmemdup_nul(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ret = rsim_cmd_global(file, copy);
	kfree(copy);
	return ret ? ret : count;
}

#define RSIM_BUS_CMD(name)						\
static ssize_t name##_store(rsim_const_bus struct bus_type *bus, const char *buf, \
			    size_t count)				\
{									\
	return rsim_bus_store(#name, buf, count);			\
}									\
static BUS_ATTR_WO(name)

RSIM_BUS_CMD(new_device);
RSIM_BUS_CMD(del_device);
RSIM_BUS_CMD(new_link);
RSIM_BUS_CMD(del_link);

static struct bus_attribute *rsim_bus_attrs[] = {
	&bus_attr_new_device,
	&bus_attr_del_device,
	&bus_attr_new_link,
	&bus_attr_del_link,
};

int rsim_cmd_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(rsim_bus_attrs); i++) {
		ret = bus_create_file(&rsim_bus, rsim_bus_attrs[i]);
		if (ret) {
			while (i--)
				bus_remove_file(&rsim_bus, rsim_bus_attrs[i]);
			return ret;
		}
	}
	return 0;
}

/* No new commands through sysfs from here on. */
void rsim_cmd_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(rsim_bus_attrs); i++)
		bus_remove_file(&rsim_bus, rsim_bus_attrs[i]);
}
