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
  g_assert_false (kwb_address_is_user_space (G_GUINT64_CONSTANT (0xffff800000000000)));
  /* 5-level paging: user space reaches 0x00ff…, the direct map starts at 0xff11…. */
  g_assert_true (kwb_address_is_user_space (G_GUINT64_CONSTANT (0x00fffffffffff000)));
  g_assert_false (kwb_address_is_user_space (G_GUINT64_CONSTANT (0xff11000000000000)));
  g_assert_false (kwb_address_is_user_space (G_GUINT64_CONSTANT (0xff00000000000000)));
  g_assert_false (kwb_address_is_user_space (G_GUINT64_CONSTANT (0xffffffff81000000)));
}

/* A frame as GDB's MI reports it, and what the backtrace must call it. */
typedef struct {
  const char *function;
  guint64     address;
  gboolean    user_space;
  const char *name;
} FrameCase;

static void
check_frames (const FrameCase *cases,
              guint            n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(KwbFrame) frame = kwb_frame_new (i, cases[i].function, NULL, NULL, 0, cases[i].address);
      g_autofree char *name = kwb_frame_dup_display_name (frame);
      gboolean user = !cases[i].user_space;

      g_test_message ("frame %s at 0x%" G_GINT64_MODIFIER "x", cases[i].function, cases[i].address);
      g_assert_cmpint (kwb_frame_is_user_space (frame), ==, cases[i].user_space);
      g_object_get (frame, "user-space", &user, NULL);
      g_assert_cmpint (user, ==, cases[i].user_space);
      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_user_frames (void)
{
  static const FrameCase cases[] = {
    { NULL, G_GUINT64_CONSTANT (0x4a1b2c), TRUE, "user space" },
    /* GDB's MI says func="??" where it has no symbol. */
    { "??", G_GUINT64_CONSTANT (0x6db6ae0), TRUE, "user space" },
    { "??", 0, TRUE, "user space" },
  };

  check_frames (cases, G_N_ELEMENTS (cases));
}

static void
test_kernel_frames (void)
{
  static const FrameCase cases[] = {
    /* A kernel address without a symbol: not known what it is. */
    { NULL, G_GUINT64_CONSTANT (0xffffffffc0001234), FALSE, "??" },
    { "??", G_GUINT64_CONSTANT (0xffffffff81001000), FALSE, "??" },
    { "start_kernel", G_GUINT64_CONSTANT (0xffffffff82a00000), FALSE, "start_kernel" },
    /* A symbol wins even at a low address (a module GDB knows, a test guest). */
    { "entry", G_GUINT64_CONSTANT (0x1000), FALSE, "entry" },
  };

  check_frames (cases, G_N_ELEMENTS (cases));
}

int
main (int   argc,
      char *argv[])
{
  /* The untranslated label is what is asserted. */
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame/address-halves", test_address_halves);
  g_test_add_func ("/frame/user-space", test_user_frames);
  g_test_add_func ("/frame/kernel", test_kernel_frames);
  return g_test_run ();
}
