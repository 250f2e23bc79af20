// SPDX-License-Identifier: GPL-2.0
/* kwb_lost_mod.c — loaded by the tests from a .ko the debugger cannot find. */
#include <linux/init.h>
#include <linux/module.h>

static int __init kwb_lost_mod_init(void)
{
	pr_info("kwb_lost_mod: loaded\n");
	return 0;
}

static void __exit kwb_lost_mod_exit(void)
{
	pr_info("kwb_lost_mod: unloaded\n");
}

module_init(kwb_lost_mod_init);
module_exit(kwb_lost_mod_exit);

MODULE_LICENSE("GPL");
