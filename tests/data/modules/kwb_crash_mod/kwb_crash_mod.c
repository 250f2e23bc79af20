// SPDX-License-Identifier: GPL-2.0
/*
 * kwb_crash_mod.c — a module that crashes on request, for the crash tests.
 *
 *   echo null  > /proc/kwb_crash   writes through a NULL pointer (an oops)
 *   echo bug   > /proc/kwb_crash   BUG()
 *   echo warn  > /proc/kwb_crash   WARN(), then carries on
 *   echo panic > /proc/kwb_crash   panic()
 *
 * The tests find lines by their KWB-LINE markers, so keep each marker on
 * the line it names.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>

struct kwb_crash_record {
	int value;
	char name[16];
};

/* Never set: READ_ONCE keeps the compiler from proving it NULL and
 * dropping the store. */
static struct kwb_crash_record *kwb_crash_target;

static noinline void kwb_crash_store(struct kwb_crash_record *record, int value)
{
	record->value = value; /* KWB-LINE: store */
}

static ssize_t kwb_crash_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *pos)
{
	char what[16] = { 0 };

	if (copy_from_user(what, buf, min(count, sizeof(what) - 1)))
		return -EFAULT;
	strim(what);
	pr_info("kwb_crash_mod: asked for %s\n", what);
	if (!strcmp(what, "null"))
		kwb_crash_store(READ_ONCE(kwb_crash_target), 1);
	else if (!strcmp(what, "bug"))
		BUG(); /* KWB-LINE: bug */
	else if (!strcmp(what, "warn"))
		WARN(1, "kwb_crash_mod: a warning on request\n"); /* KWB-LINE: warn */
	else if (!strcmp(what, "panic"))
		panic("kwb_crash_mod: a panic on request (%d)", 42); /* KWB-LINE: panic */
	else
		return -EINVAL;
	return count;
}

static const struct proc_ops kwb_crash_ops = {
	.proc_write = kwb_crash_write,
};

static int __init kwb_crash_init(void)
{
	if (!proc_create("kwb_crash", 0200, NULL, &kwb_crash_ops))
		return -ENOMEM;
	pr_info("kwb_crash_mod: write null, bug, warn or panic to /proc/kwb_crash\n");
	return 0;
}

static void __exit kwb_crash_exit(void)
{
	remove_proc_entry("kwb_crash", NULL);
}

module_init(kwb_crash_init);
module_exit(kwb_crash_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel Workbench crash test module");
