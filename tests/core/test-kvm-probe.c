/* test-kvm-probe.c — the KVM probe boots the session's kernel and trusts only its first line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stand-in QEMUs (shell scripts) play the hosts the probe meets: KVM that
 * runs the kernel, KVM whose firmware finishes but whose kernel never
 * prints (nested hosts where the vCPU stalls after the mode switch), and a
 * QEMU that dies at once. The answer is cached per QEMU and kernel.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-kvm-probe.h"

static char *dir;
static char *kernel;

typedef struct {
  GMainLoop *loop;
  gboolean   usable;
  char      *why;
} Result;

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->usable = kwb_kvm_probe_finish (result, &r->why);
  g_main_loop_quit (r->loop);
}

static gboolean
probe (const char  *qemu,
       char       **why)
{
  Result r = { g_main_loop_new (NULL, FALSE), FALSE, NULL };

  kwb_kvm_probe_async (qemu, kernel, NULL, probe_cb, &r);
  g_main_loop_run (r.loop);
  g_main_loop_unref (r.loop);
  *why = r.why;
  return r.usable;
}

/* A QEMU that logs its arguments to NAME.args and then runs BODY. */
static char *
fake_qemu (const char *name,
           const char *body)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\necho \"$@\" >> '%s.args'\n%s\n", path, body);

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static guint
n_runs (const char *qemu)
{
  g_autofree char *args = g_strdup_printf ("%s.args", qemu);
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (args, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_kernel_starts (void)
{
  g_autofree char *qemu = fake_qemu ("kvm-works", "echo 'SeaBIOS'; echo 'Linux version 6.1.0 (kwb)'; sleep 30");
  g_autofree char *why = NULL;
  g_autofree char *args_path = g_strdup_printf ("%s.args", qemu);
  g_autofree char *args = NULL;
  g_autofree char *expected = g_strdup_printf ("-kernel %s", kernel);

  g_assert_true (probe (qemu, &why));
  g_assert_null (why);
  /* Three boots of the session's own kernel under KVM. */
  g_assert_cmpuint (n_runs (qemu), ==, 3);
  g_assert_true (g_file_get_contents (args_path, &args, NULL, NULL));
  g_assert_nonnull (strstr (args, "-accel kvm"));
  g_assert_nonnull (strstr (args, expected));
  /* Asked again: the cached answer, no boot. */
  g_assert_true (probe (qemu, &why));
  g_assert_cmpuint (n_runs (qemu), ==, 3);
}

static void
test_kernel_stalls (void)
{
  /* The firmware's last words, then nothing: the vCPU is stuck. */
  g_autofree char *qemu = fake_qemu ("kvm-stalls", "echo 'Booting from ROM...'; sleep 30");
  g_autofree char *why = NULL;

  g_assert_false (probe (qemu, &why));
  g_assert_cmpstr (why, ==, "the kernel did not start under KVM");
  /* One failed boot is enough to say no. */
  g_assert_cmpuint (n_runs (qemu), ==, 1);
  g_clear_pointer (&why, g_free);
  g_assert_false (probe (qemu, &why));
  g_assert_cmpstr (why, ==, "the kernel did not start under KVM");
  g_assert_cmpuint (n_runs (qemu), ==, 1);
}

static void
test_lucky_once (void)
{
  /* Through on the first boot only: not to be trusted. */
  g_autofree char *body = g_strdup_printf ("if [ ! -e '%s/lucky-once.seen' ]; then touch '%s/lucky-once.seen'; "
                                           "echo 'Linux version 6.1.0'; fi; sleep 30", dir, dir);
  g_autofree char *qemu = fake_qemu ("lucky-once", body);
  g_autofree char *why = NULL;

  g_assert_false (probe (qemu, &why));
  g_assert_cmpuint (n_runs (qemu), ==, 2);
}

static void
test_qemu_dies (void)
{
  g_autofree char *qemu = fake_qemu ("kvm-dies", "echo 'error: kvm run failed' >&2; exit 1");
  g_autofree char *why = NULL;

  g_assert_false (probe (qemu, &why));
  g_assert_cmpstr (why, ==, "QEMU ended or printed nothing under KVM");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  int status;

  dir = g_dir_make_tmp ("kwb-test-kvm-probe-XXXXXX", NULL);
  cache = g_build_filename (dir, "cache", NULL);
  /* Before GLib reads it: the probe's answers go to a scratch cache. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  kernel = g_build_filename (dir, "bzImage", NULL);
  g_assert_true (g_file_set_contents (kernel, "not really a kernel", -1, NULL));

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kvm-probe/kernel-starts", test_kernel_starts);
  g_test_add_func ("/kvm-probe/kernel-stalls", test_kernel_stalls);
  g_test_add_func ("/kvm-probe/lucky-once", test_lucky_once);
  g_test_add_func ("/kvm-probe/qemu-dies", test_qemu_dies);
  status = g_test_run ();

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
