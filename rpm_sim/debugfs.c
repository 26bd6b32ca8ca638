// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: the event log readout and the per-device controls.
 *
 *   /sys/kernel/debug/rpm_sim/events          read: the log; write "clear"
 *   /sys/kernel/debug/rpm_sim/stats           read: events, dropped, size
 *   /sys/kernel/debug/rpm_sim/bus_opts        rw: "hold_rpm_across_remove=0|1 break_ss2=0|1"
 *   /sys/kernel/debug/rpm_sim/drivers         rw: "register|unregister rpm_sim|platform"
 *   /sys/kernel/debug/rpm_sim/devices/NAME/   behaviour, state, gate, rpm, bindable, work
 *
 * Every file is root-only. Per-device files never take rsim_lock: device
 * deletion removes them while holding it.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define RSIM_WRITE_MAX	256

static struct dentry *rsim_dbg_root;
static struct dentry *rsim_dbg_devices;

/* Copy a write into a NUL-terminated kernel buffer. */
static char *rsim_dbg_input(const char __user *ubuf, size_t count)
{
	if (!count || count >= RSIM_WRITE_MAX)
		return ERR_PTR(-EINVAL);
	return memdup_user_nul(ubuf, count);
}

/* Copy a write in, NUL-terminated, and hand it to @parse. */

static ssize_t rsim_dbg_write(struct file *file, const char __user *ubuf,
			      size_t count, int (*parse)(void *data, char *buf))
{
	char *buf = rsim_dbg_input(ubuf, count);
	int ret;

	if (IS_ERR(buf)) {
		pr_err("rpm_sim: %pD: write 1-%d bytes\n", file, RSIM_WRITE_MAX - 1);
		return PTR_ERR(buf);
	}
	ret = parse(file_inode(file)->i_private, buf);
	kfree(buf);
	return ret ? ret : count;
}

/* events */

/* Positions count from the oldest record kept; each show copies one out. */
static void *rsim_events_start(struct seq_file *m, loff_t *pos)
{
	struct rsim_event *e = m->private;

	return rsim_evlog_get(*pos, e, NULL) ? e : NULL;
}

static void *rsim_events_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return rsim_events_start(m, pos);
}

static void rsim_events_stop(struct seq_file *m, void *v)
{
}

static int rsim_events_show(struct seq_file *m, void *v)
{
	char line[256];

	rsim_evlog_format(v, line, sizeof(line));
	seq_puts(m, line);
	return 0;
}

static const struct seq_operations rsim_events_sops = {
	.start = rsim_events_start,
	.next = rsim_events_next,
	.stop = rsim_events_stop,
	.show = rsim_events_show,
};

static int rsim_events_open(struct inode *inode, struct file *file)
{
	return seq_open_private(file, &rsim_events_sops, sizeof(struct rsim_event));
}

static int rsim_events_cmd(void *data, char *buf)
{
	if (strcmp(strim(buf), "clear")) {
		pr_err("rpm_sim: events: the only command is 'clear'\n");
		return -EINVAL;
	}
	rsim_evlog_clear();
	return 0;
}

static ssize_t rsim_events_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_events_cmd);
}

static const struct file_operations rsim_events_fops = {
	.owner = THIS_MODULE,
	.open = rsim_events_open,
	.read = seq_read,
	.write = rsim_events_write,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* stats */

static int rsim_stats_show(struct seq_file *m, void *v)
{
	struct rsim_event e;
	u64 first = 0;

	rsim_evlog_get(0, &e, &first);
	seq_printf(m, "events %llu\nfirst %llu\ndropped %llu\n",
		   rsim_evlog_total(), first, rsim_evlog_dropped());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rsim_stats);

/* bus_opts */

static int rsim_bus_opts_show(struct seq_file *m, void *v)
{
	struct rsim_bus_opts o;

	rsim_bus_get_opts(&o);
	seq_printf(m, "hold_rpm_across_remove=%d break_ss2=%d\n",
		   o.hold_rpm_across_remove, o.break_ss2);
	return 0;
}

static int rsim_bus_opts_cmd(void *data, char *buf)
{
	struct rsim_bus_opts o;
	char *w, *eq;
	bool b;

	rsim_bus_get_opts(&o);
	while ((w = strsep(&buf, " \t\n"))) {
		if (!*w)
			continue;
		eq = strchr(w, '=');
		if (!eq || kstrtobool(eq + 1, &b))
			goto bad;
		*eq = '\0';
		if (!strcmp(w, "hold_rpm_across_remove"))
			o.hold_rpm_across_remove = b;
		else if (!strcmp(w, "break_ss2"))
			o.break_ss2 = b;
		else
			goto bad;
	}
	rsim_bus_set_opts(&o);
	return 0;
bad:
	pr_err("rpm_sim: bus_opts: expected hold_rpm_across_remove=0|1 break_ss2=0|1\n");
	return -EINVAL;
}

static ssize_t rsim_bus_opts_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_bus_opts_cmd);
}

static int rsim_bus_opts_open(struct inode *inode, struct file *file)
{
	return single_open(file, rsim_bus_opts_show, NULL);
}

static const struct file_operations rsim_bus_opts_fops = {
	.owner = THIS_MODULE,
	.open = rsim_bus_opts_open,
	.read = seq_read,
	.write = rsim_bus_opts_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* drivers */

static int rsim_drivers_show(struct seq_file *m, void *v)
{
	seq_printf(m, "rpm_sim %d\nplatform %d\n",
		   rsim_driver_registered(RSIM_BUS_SIM),
		   rsim_driver_registered(RSIM_BUS_PLATFORM));
	return 0;
}

static int rsim_drivers_cmd(void *data, char *buf)
{
	char cmd[16], bus[16];
	enum rsim_bus_kind kind;

	if (sscanf(buf, "%15s %15s", cmd, bus) != 2)
		goto bad;
	if (!strcmp(bus, "rpm_sim"))
		kind = RSIM_BUS_SIM;
	else if (!strcmp(bus, "platform"))
		kind = RSIM_BUS_PLATFORM;
	else
		goto bad;
	if (!strcmp(cmd, "register"))
		return rsim_driver_register(kind);
	if (!strcmp(cmd, "unregister")) {
		rsim_driver_unregister(kind);
		return 0;
	}
bad:
	pr_err("rpm_sim: drivers: expected 'register|unregister rpm_sim|platform'\n");
	return -EINVAL;
}

static ssize_t rsim_drivers_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_drivers_cmd);
}

static int rsim_drivers_open(struct inode *inode, struct file *file)
{
	return single_open(file, rsim_drivers_show, NULL);
}

static const struct file_operations rsim_drivers_fops = {
	.owner = THIS_MODULE,
	.open = rsim_drivers_open,
	.read = seq_read,
	.write = rsim_drivers_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* Per-device files */

static int rsim_dev_state_show(struct seq_file *m, void *v)
{
	struct rsim_dev *rsim = m->private;
	struct rsim_pm_state st;

	rsim_pm_snapshot(rsim->dev, &st);
	seq_printf(m, "bus %s\nbound %d\nprobe_count %u\nwork_count %u\n",
		   rsim_bus_kind_name(rsim->bus), READ_ONCE(rsim->bound),
		   atomic_read(&rsim->probe_count), atomic_read(&rsim->work_count));
	seq_printf(m, "runtime_status %d\nusage_count %d\nchild_count %d\ndisable_depth %u\nruntime_error %d\nlast_status %d\nneeds_force_resume %d\nirq_safe %d\nrequest_pending %d\n",
		   st.runtime_status, st.usage_count, st.child_count,
		   st.disable_depth, st.runtime_error, st.last_status,
		   st.needs_force_resume, st.irq_safe, st.request_pending);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rsim_dev_state);

static int rsim_dev_behaviour_show(struct seq_file *m, void *v)
{
	struct rsim_dev *rsim = m->private;
	char buf[512];

	rsim_behaviour_show(&rsim->beh, buf, sizeof(buf));
	seq_puts(m, buf);
	return 0;
}

static int rsim_dev_behaviour_cmd(void *data, char *buf)
{
	struct rsim_dev *rsim = data;
	struct rsim_behaviour beh = rsim->beh;
	char *w, *eq;

	while ((w = strsep(&buf, " \t\n"))) {
		if (!*w)
			continue;
		eq = strchr(w, '=');
		if (!eq)
			goto bad;
		*eq = '\0';
		if (rsim_behaviour_set(&beh, w, eq + 1))
			goto bad;
	}
	rsim_dev_set_behaviour(rsim, &beh);
	return 0;
bad:
	pr_err("rpm_sim: %s: behaviour: bad 'key=value' word '%s'\n", rsim->name, w);
	return -EINVAL;
}

static ssize_t rsim_dev_behaviour_write(struct file *file, const char __user *ubuf,
					size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_dev_behaviour_cmd);
}

static int rsim_dev_behaviour_open(struct inode *inode, struct file *file)
{
	return single_open(file, rsim_dev_behaviour_show, inode->i_private);
}

static const struct file_operations rsim_dev_behaviour_fops = {
	.owner = THIS_MODULE,
	.open = rsim_dev_behaviour_open,
	.read = seq_read,
	.write = rsim_dev_behaviour_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int rsim_dev_gate_show(struct seq_file *m, void *v)
{
	char buf[512];

	rsim_gate_show(m->private, buf, sizeof(buf));
	seq_puts(m, buf);
	return 0;
}

static int rsim_dev_gate_cmd(void *data, char *buf)
{
	return rsim_gate_parse(data, buf);
}

static ssize_t rsim_dev_gate_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_dev_gate_cmd);
}

static int rsim_dev_gate_open(struct inode *inode, struct file *file)
{
	return single_open(file, rsim_dev_gate_show, inode->i_private);
}

static const struct file_operations rsim_dev_gate_fops = {
	.owner = THIS_MODULE,
	.open = rsim_dev_gate_open,
	.read = seq_read,
	.write = rsim_dev_gate_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int rsim_dev_rpm_cmd(void *data, char *buf)
{
	return rsim_rpm_parse(data, buf);
}

static ssize_t rsim_dev_rpm_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_dev_rpm_cmd);
}

static const struct file_operations rsim_dev_rpm_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = rsim_dev_rpm_write,
};

static int rsim_dev_bindable_show(struct seq_file *m, void *v)
{
	struct rsim_dev *rsim = m->private;

	seq_printf(m, "%d\n", READ_ONCE(rsim->bindable));
	return 0;
}

static int rsim_dev_bindable_cmd(void *data, char *buf)
{
	bool b;

	if (kstrtobool(strim(buf), &b)) {
		pr_err("rpm_sim: bindable: expected 0 or 1\n");
		return -EINVAL;
	}
	rsim_dev_set_bindable(data, b);
	return 0;
}

static ssize_t rsim_dev_bindable_write(struct file *file, const char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_dev_bindable_cmd);
}

static int rsim_dev_bindable_open(struct inode *inode, struct file *file)
{
	return single_open(file, rsim_dev_bindable_show, inode->i_private);
}

static const struct file_operations rsim_dev_bindable_fops = {
	.owner = THIS_MODULE,
	.open = rsim_dev_bindable_open,
	.read = seq_read,
	.write = rsim_dev_bindable_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int rsim_dev_work_cmd(void *data, char *buf)
{
	int ret;

	if (strcmp(strim(buf), "run")) {
		pr_err("rpm_sim: work: the only command is 'run'\n");
		return -EINVAL;
	}
	ret = rsim_work_after_resume(data);
	return ret < 0 ? ret : 0;
}

static ssize_t rsim_dev_work_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return rsim_dbg_write(file, ubuf, count, rsim_dev_work_cmd);
}

static const struct file_operations rsim_dev_work_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = rsim_dev_work_write,
};

void rsim_debugfs_add_dev(struct rsim_dev *rsim)
{
	struct dentry *d = debugfs_create_dir(rsim->name, rsim_dbg_devices);

	rsim->dbg = d;
	debugfs_create_file("state", 0400, d, rsim, &rsim_dev_state_fops);
	debugfs_create_file("behaviour", 0600, d, rsim, &rsim_dev_behaviour_fops);
	debugfs_create_file("gate", 0600, d, rsim, &rsim_dev_gate_fops);
	debugfs_create_file("rpm", 0200, d, rsim, &rsim_dev_rpm_fops);
	debugfs_create_file("bindable", 0600, d, rsim, &rsim_dev_bindable_fops);
	debugfs_create_file("work", 0200, d, rsim, &rsim_dev_work_fops);
}

void rsim_debugfs_del_dev(struct rsim_dev *rsim)
{
	debugfs_remove(rsim->dbg);
	rsim->dbg = NULL;
}

int rsim_debugfs_init(void)
{
	rsim_dbg_root = debugfs_create_dir("rpm_sim", NULL);
	rsim_dbg_devices = debugfs_create_dir("devices", rsim_dbg_root);
	debugfs_create_file("events", 0600, rsim_dbg_root, NULL, &rsim_events_fops);
	debugfs_create_file("stats", 0400, rsim_dbg_root, NULL, &rsim_stats_fops);
	debugfs_create_file("bus_opts", 0600, rsim_dbg_root, NULL, &rsim_bus_opts_fops);
	debugfs_create_file("drivers", 0600, rsim_dbg_root, NULL, &rsim_drivers_fops);
	return 0;
}

void rsim_debugfs_exit(void)
{
	debugfs_remove(rsim_dbg_root);
}
