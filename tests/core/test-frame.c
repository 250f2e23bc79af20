/* test-frame.c — what a backtrace shows for a frame, user-space ones included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A frame without a symbol below the kernel's half of the x86-64 address
 * space is the user program the kernel was entered from: the backtrace
 * names it "user space" instead of GDB's "??". A kernel address without a
 * symbol stays "??": it is not known what it is.
 */
#include "config.h"

#include <locale.h>

#include "kwb-frame.h"

static void
test_address_halves (void)
{
  g_assert_true (kwb_address_is_user_space (0));
  g_assert_true (kwb_address_is_user_space (G_GUINT64_CONSTANT (0x401000)));
  g_assert_true (kwb_address_is_user_space (G_GUINT64_CONSTANT (0x00007fffffffe000)));
  g_assert_true (kwb_address_is_user_space (G_GUINT64_CONSTANT (0xffff7fffffffffff)));
  g_assert_false (kwb_address_is_user_space (G_GUINT64_CONSTANT (0xffff800000000000)));
  g_assert_false (kwb_address_is_user_space (G_GUINT64_CONSTANT (0xffffffff81000000)));
}

static void
test_user_frame (void)
{
  g_autoptr(KwbFrame) frame = kwb_frame_new (3, NULL, NULL, NULL, 0, G_GUINT64_CONSTANT (0x4a1b2c));
  g_autofree char *name = kwb_frame_dup_display_name (frame);
  gboolean user = FALSE;

  g_assert_true (kwb_frame_is_user_space (frame));
  g_object_get (frame, "user-space", &user, NULL);
  g_assert_true (user);
  g_assert_cmpstr (name, ==, "user space");
}

/* What GDB's MI sends for a frame it has no symbol for. */
static void
test_user_frame_from_mi (void)
{
  g_autoptr(KwbFrame) user = kwb_frame_new (5, "??", NULL, NULL, 0, G_GUINT64_CONSTANT (0x6db6ae0));
  g_autoptr(KwbFrame) end = kwb_frame_new (6, "??", NULL, NULL, 0, 0);
  g_autoptr(KwbFrame) kernel = kwb_frame_new (1, "??", NULL, NULL, 0, G_GUINT64_CONSTANT (0xffffffff81001000));
  g_autofree char *user_name = kwb_frame_dup_display_name (user);
  g_autofree char *end_name = kwb_frame_dup_display_name (end);
  g_autofree char *kernel_name = kwb_frame_dup_display_name (kernel);

  g_assert_true (kwb_frame_is_user_space (user));
  g_assert_cmpstr (user_name, ==, "user space");
  g_assert_cmpstr (end_name, ==, "user space");
  g_assert_false (kwb_frame_is_user_space (kernel));
  g_assert_cmpstr (kernel_name, ==, "??");
}

static void
test_kernel_frames (void)
{
  g_autoptr(KwbFrame) unknown = kwb_frame_new (1, NULL, NULL, NULL, 0, G_GUINT64_CONSTANT (0xffffffffc0001234));
  g_autoptr(KwbFrame) named = kwb_frame_new (0, "start_kernel", "init/main.c", NULL, 900,
                                             G_GUINT64_CONSTANT (0xffffffff82a00000));
  /* A symbol wins even at a low address (a module GDB knows, a test guest). */
  g_autoptr(KwbFrame) low_named = kwb_frame_new (2, "entry", NULL, NULL, 0, G_GUINT64_CONSTANT (0x1000));
  g_autofree char *unknown_name = kwb_frame_dup_display_name (unknown);
  g_autofree char *named_name = kwb_frame_dup_display_name (named);
  g_autofree char *low_name = kwb_frame_dup_display_name (low_named);

  g_assert_false (kwb_frame_is_user_space (unknown));
  g_assert_cmpstr (unknown_name, ==, "??");
  g_assert_false (kwb_frame_is_user_space (named));
  g_assert_cmpstr (named_name, ==, "start_kernel");
  g_assert_false (kwb_frame_is_user_space (low_named));
  g_assert_cmpstr (low_name, ==, "entry");
}

int
main (int   argc,
      char *argv[])
{
  /* The untranslated label is what is asserted. */
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame/address-halves", test_address_halves);
  g_test_add_func ("/frame/user-space", test_user_frame);
  g_test_add_func ("/frame/user-space-from-mi", test_user_frame_from_mi);
  g_test_add_func ("/frame/kernel", test_kernel_frames);
  return g_test_run ();
}
