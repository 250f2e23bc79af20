// SPDX-License-Identifier: GPL-2.0
/*
 * kwb_test_mod.c — the module the integration tests load, break in and unload.
 *
 * The tests find lines by their KWB-LINE markers, so keep each marker on
 * the line it names.
 *   echo N > /sys/module/kwb_test_mod/parameters/poke   calls kwb_test_mod_poke(N)
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int kwb_test_mod_counter;

static noinline int kwb_test_mod_poke(int value)
{
	kwb_test_mod_counter += value; /* KWB-LINE: poke */
	pr_info("kwb_test_mod: poked %d, counter %d\n", value, kwb_test_mod_counter);
	return kwb_test_mod_counter;
}

static int kwb_test_mod_set_poke(const char *val, const struct kernel_param *kp)
{
	int value;
	int ret = kstrtoint(val, 0, &value);

	if (ret)
		return ret;
	kwb_test_mod_poke(value);
	return 0;
}

static const struct kernel_param_ops kwb_test_mod_poke_ops = {
	.set = kwb_test_mod_set_poke,
	.get = param_get_int,
};
module_param_cb(poke, &kwb_test_mod_poke_ops, &kwb_test_mod_counter, 0644);
MODULE_PARM_DESC(poke, "Write a number: kwb_test_mod_poke() adds it to the counter");

static int __init kwb_test_mod_init(void)
{
	kwb_test_mod_counter = 1; /* KWB-LINE: init */
	pr_info("kwb_test_mod: loaded\n");
	return 0;
}

static void __exit kwb_test_mod_exit(void)
{
	pr_info("kwb_test_mod: unloaded, counter %d\n", kwb_test_mod_counter); /* KWB-LINE: exit */
}

module_init(kwb_test_mod_init);
module_exit(kwb_test_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel Workbench test module");
