// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: the event log readout and the controls.
 *
 *   /sys/kernel/debug/rpm_sim/events          read: the log; write "clear"
 *   /sys/kernel/debug/rpm_sim/history         write a record number, then read:
 *                                                 the log from it on, cleared too
 *   /sys/kernel/debug/rpm_sim/stats           read: events, first, dropped, cleared
 *   /sys/kernel/debug/rpm_sim/bus_opts        rw: "hold_rpm_across_remove=0|1 break_ss2=0|1"
 *   /sys/kernel/debug/rpm_sim/drivers         rw: "register|unregister rpm_sim|platform|bare",
 *                                                 "settle"
 *   /sys/kernel/debug/rpm_sim/devices/NAME/   state, behaviour, gate, rpm, bindable, work
 *   /sys/kernel/debug/rpm_sim/attach          rw: "BUS DEVICE"; read: the attached ones
 *   /sys/kernel/debug/rpm_sim/detach          w:  "BUS DEVICE"
 *   /sys/kernel/debug/rpm_sim/attached/BUS:DEVICE/gate
 *
 * Every file is root-only. A write goes to cmd.c under the file's name. A
 * device's directory comes and goes with the device itself (the bus
 * notifiers' ADD_DEVICE and DEL_DEVICE); removing it waits for the files'
 * writers, which device deletion does without rsim_lock (device.c).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/notifier.h>

#include "internal.h"

static struct dentry *rsim_dbg_root;
static struct dentry *rsim_dbg_devices;

/* A write: copied in, NUL-terminated, handed to cmd.c by file name. */
static ssize_t rsim_dbg_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	const char *name = file_dentry(file)->d_name.name;
	struct rsim_dev *rsim = file_inode(file)->i_private;
	char *buf;
	int ret;

	if (!count || count >= RSIM_CMD_MAX) {
		pr_err("rpm_sim: %s: write 1-%d bytes\n", name, RSIM_CMD_MAX - 1);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = rsim ? rsim_cmd_dev(rsim, name, buf) : rsim_cmd_global(name, buf);
	kfree(buf);
	return ret ? ret : count;
}

/*
 * events: positions count from the oldest record kept when the file was
 * opened. history: the same lines, from the record number written to the
 * file before it is read (open it read-write), cleared records too while
 * the ring holds them: the runner's copy of everything a unit logged.
 */

struct rsim_events_iter {
	u64 base;		/* seq of position 0 */
	u64 lost;		/* records gone before they were read */
	bool cleared_too;	/* history */
	struct rsim_event e;
};

static void *rsim_events_start(struct seq_file *m, loff_t *pos)
{
	struct rsim_events_iter *it = m->private;
	u64 seq = it->base + *pos;
	u64 first;

	if (it->cleared_too ? rsim_evlog_get_cleared_too(seq, &it->e, &first) :
			      rsim_evlog_get(seq, &it->e, &first))
		return it;
	if (it->base + *pos >= first)
		return NULL;
	/* Overwritten while we read: say so, and go on from the oldest kept. */
	it->lost = first - (it->base + *pos);
	it->base += it->lost;
	return SEQ_START_TOKEN;
}

static void *rsim_events_next(struct seq_file *m, void *v, loff_t *pos)
{
	if (v != SEQ_START_TOKEN)
		++*pos;
	return rsim_events_start(m, pos);
}

static void rsim_events_stop(struct seq_file *m, void *v)
{
}

static int rsim_events_show(struct seq_file *m, void *v)
{
	struct rsim_events_iter *it = m->private;
	char line[384];

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "# %llu records lost while reading\n", it->lost);
		return 0;
	}
	rsim_evlog_format(&it->e, line, sizeof(line));
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
	struct rsim_events_iter *it;
	u64 next, dropped, cleared;

	it = __seq_open_private(file, &rsim_events_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	rsim_evlog_stats(&next, &it->base, &dropped, &cleared);
	return 0;
}

static const struct file_operations rsim_events_fops = {
	.owner = THIS_MODULE,
	.open = rsim_events_open,
	.read = seq_read,
	.write = rsim_dbg_write,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

static int rsim_history_open(struct inode *inode, struct file *file)
{
	struct rsim_events_iter *it;

	it = __seq_open_private(file, &rsim_events_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->cleared_too = true;
	return 0;
}

static ssize_t rsim_history_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct rsim_events_iter *it = m->private;
	u64 since;

	if (kstrtou64_from_user(ubuf, count, 10, &since)) {
		pr_err("rpm_sim: history: write the number of the first record to read\n");
		return -EINVAL;
	}
	mutex_lock(&m->lock);
	it->base = since;
	mutex_unlock(&m->lock);
	return count;
}

static const struct file_operations rsim_history_fops = {
	.owner = THIS_MODULE,
	.open = rsim_history_open,
	.read = seq_read,
	.write = rsim_history_write,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* Readouts, each a show function over the file's private data */

static int rsim_stats_show(struct seq_file *m, void *v)
{
	u64 next, first, dropped, cleared;

	rsim_evlog_stats(&next, &first, &dropped, &cleared);
	seq_printf(m, "events %llu\nfirst %llu\ndropped %llu\ncleared %llu\nsleep_stuck %u\n",
		   next, first, dropped, cleared, rsim_sleep_stuck_count());
	return 0;
}

static int rsim_bus_opts_show(struct seq_file *m, void *v)
{
	struct rsim_bus_opts o;

	rsim_bus_get_opts(&o);
	seq_printf(m, "hold_rpm_across_remove=%d break_ss2=%d\n",
		   o.hold_rpm_across_remove, o.break_ss2);
	return 0;
}

static int rsim_drivers_show(struct seq_file *m, void *v)
{
	enum rsim_bus_kind bus;

	for (bus = 0; bus < RSIM_BUS_NR; bus++)
		seq_printf(m, "%s %d\n", rsim_bus_kind_name(bus),
			   rsim_driver_registered(bus));
	return 0;
}

static int rsim_state_show(struct seq_file *m, void *v)
{
	struct rsim_dev *rsim = m->private;
	struct rsim_pm_state st;

	rsim_pm_snapshot(rsim->dev, &st);
	seq_printf(m, "bus %s\nbound %d\nprobe_count %u\nwork_count %u\n",
		   rsim_bus_kind_name(rsim->bus), READ_ONCE(rsim->bound),
		   atomic_read(&rsim->probe_count), atomic_read(&rsim->work_count));
	seq_printf(m, "runtime_status %s\nusage_count %d\nchild_count %d\ndisable_depth %u\nruntime_error %d\nlast_status %s\nneeds_force_resume %d\nirq_safe %d\nrequest_pending %d\nidle_notification %d\ntimer_armed %d\nlast_busy %llu\ndriver_flags 0x%x\nwakeup_path %d\n",
		   rsim_status_name(st.runtime_status), st.usage_count, st.child_count,
		   st.disable_depth, st.runtime_error, rsim_status_name(st.last_status),
		   st.needs_force_resume, st.irq_safe, st.request_pending,
		   st.idle_notification, st.timer_armed, st.last_busy, st.driver_flags,
		   st.wakeup_path);
	/* Set from ->prepare to ->complete of a system sleep transition (SS-10) */
	seq_printf(m, "is_prepared %d\n", rsim->dev->power.is_prepared);
	return 0;
}

#define RSIM_BEHAVIOUR_TEXT	1024

static int rsim_behaviour_file_show(struct seq_file *m, void *v)
{
	struct rsim_behaviour b;
	char *buf = kmalloc(RSIM_BEHAVIOUR_TEXT, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	rsim_behaviour_get(m->private, &b);
	rsim_behaviour_show(&b, buf, RSIM_BEHAVIOUR_TEXT);
	seq_puts(m, buf);
	kfree(buf);
	return 0;
}

static int rsim_gate_file_show(struct seq_file *m, void *v)
{
	char buf[512];

	rsim_gate_show(m->private, buf, sizeof(buf));
	seq_puts(m, buf);
	return 0;
}

static int rsim_bindable_show(struct seq_file *m, void *v)
{
	struct rsim_dev *rsim = m->private;

	seq_printf(m, "%d\n", READ_ONCE(rsim->bindable));
	return 0;
}

/* A file with a show function (NULL: write-only), writable through cmd.c. */
#define RSIM_DBG_FILE(name, show_fn)					\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, show_fn, inode->i_private);		\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.write = rsim_dbg_write,					\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

RSIM_DBG_FILE(rsim_stats, rsim_stats_show);
RSIM_DBG_FILE(rsim_bus_opts, rsim_bus_opts_show);
RSIM_DBG_FILE(rsim_drivers, rsim_drivers_show);
RSIM_DBG_FILE(rsim_observe, rsim_observe_show);
RSIM_DBG_FILE(rsim_attach, rsim_attach_show);
RSIM_DBG_FILE(rsim_state, rsim_state_show);
RSIM_DBG_FILE(rsim_behaviour, rsim_behaviour_file_show);
RSIM_DBG_FILE(rsim_gate, rsim_gate_file_show);
RSIM_DBG_FILE(rsim_bindable, rsim_bindable_show);

static const struct file_operations rsim_cmd_only_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = rsim_dbg_write,
};

/* An attached device's gate file (attach.c) */
void rsim_debugfs_gate_file(struct dentry *dir, struct rsim_dev *rsim)
{
	debugfs_create_file("gate", 0600, dir, rsim, &rsim_gate_fops);
}

static void rsim_debugfs_add_dev(struct rsim_dev *rsim)
{
	struct dentry *d = debugfs_create_dir(rsim->name, rsim_dbg_devices);

	rsim->dbg = d;
	debugfs_create_file("state", 0400, d, rsim, &rsim_state_fops);
	debugfs_create_file("behaviour", 0600, d, rsim, &rsim_behaviour_fops);
	debugfs_create_file("gate", 0600, d, rsim, &rsim_gate_fops);
	debugfs_create_file("rpm", 0200, d, rsim, &rsim_cmd_only_fops);
	debugfs_create_file("bindable", 0600, d, rsim, &rsim_bindable_fops);
	debugfs_create_file("work", 0200, d, rsim, &rsim_cmd_only_fops);
}

/* A device's directory is made when it is added, removed when it is deleted. */
static int rsim_debugfs_notify(struct notifier_block *nb, unsigned long action,
			       void *data)
{
	struct rsim_dev *rsim = rsim_from_dev(data);

	if (!rsim)
		return NOTIFY_DONE;
	if (action == BUS_NOTIFY_ADD_DEVICE) {
		rsim_debugfs_add_dev(rsim);
	} else if (action == BUS_NOTIFY_DEL_DEVICE) {
		debugfs_remove(rsim->dbg);
		rsim->dbg = NULL;
	}
	return NOTIFY_OK;
}

static struct notifier_block rsim_dbg_nb[RSIM_BUS_NR] = {
	[0 ... RSIM_BUS_NR - 1] = { .notifier_call = rsim_debugfs_notify },
};

int rsim_debugfs_init(void)
{
	int ret;

	rsim_dbg_root = debugfs_create_dir("rpm_sim", NULL);
	rsim_dbg_devices = debugfs_create_dir("devices", rsim_dbg_root);
	debugfs_create_file("events", 0600, rsim_dbg_root, NULL, &rsim_events_fops);
	debugfs_create_file("history", 0600, rsim_dbg_root, NULL, &rsim_history_fops);
	debugfs_create_file("stats", 0400, rsim_dbg_root, NULL, &rsim_stats_fops);
	debugfs_create_file("bus_opts", 0600, rsim_dbg_root, NULL, &rsim_bus_opts_fops);
	debugfs_create_file("drivers", 0600, rsim_dbg_root, NULL, &rsim_drivers_fops);
	debugfs_create_file("observe", 0600, rsim_dbg_root, NULL, &rsim_observe_fops);
	debugfs_create_file("attach", 0600, rsim_dbg_root, NULL, &rsim_attach_fops);
	debugfs_create_file("detach", 0200, rsim_dbg_root, NULL, &rsim_cmd_only_fops);
	rsim_attach_init(rsim_dbg_root);
	ret = rsim_bus_notifiers_register(rsim_dbg_nb);
	if (ret)
		debugfs_remove(rsim_dbg_root);
	return ret;
}

void rsim_debugfs_exit(void)
{
	rsim_bus_notifiers_unregister(rsim_dbg_nb);
	debugfs_remove(rsim_dbg_root);
}
