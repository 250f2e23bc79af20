/* test-gui-dump.c — Save Memory Dump on a real session (fixture kernel, under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At a stop in kernel_init win.dump-memory shows its progress in a toast
 * in front of any other and ends with a toast naming the file in the project's dumps/ folder. The file is
 * an ELF core with vmlinux's build-id beside it. Screenshots go to
 * $KWB_BUILD_ROOT/tests/gui/screenshots/ (dump-progress.png a frame after
 * the start, usually while QEMU writes; dump-saved.png at the end). Needs KWB_FIXTURE_VMLINUX and
 * KWB_FIXTURE_INITRAMFS.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-core.h"
#include "kwb-test-session.h"

/* Whether a label under WIDGET starts with PREFIX. */
static gboolean
has_label_starting (GtkWidget  *widget,
                    const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_starting (child, prefix))
      return TRUE;
  return FALSE;
}

static gboolean
dump_saved (gpointer data)
{
  const char *toast = kwb_window_get_last_toast (data);

  /* The success toast, or a failure's (then asserted below with its text). */
  return toast != NULL && strstr (toast, "dump") != NULL;
}

static void
check_dump (KwbApplication *app,
            KwbWindow      *window,
            gpointer        data)
{
  g_autoptr(KwbTestRefreshes) refreshes = NULL;
  g_autofree char *dumps = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id_path = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *entry;
  gsize len;

  refreshes = kwb_test_run_to_stop (window, "kernel_init");
  kwb_test_wait_stop_shown (window);

  /* The progress toast is in front at once, before QEMU has reported
   * anything (its first answer needs the main loop). */
  kwb_test_activate_action (GTK_WIDGET (window), "win.dump-memory", NULL);
  g_assert_true (has_label_starting (GTK_WIDGET (window), "Saving memory dump…"));
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "dump-progress.png");
  kwb_test_wait_until_full (dump_saved, window, 120, "the end of the dump");
  g_assert_cmpstr (kwb_window_get_last_toast (window), >=, "Memory dump saved: ");
  g_assert_true (g_str_has_prefix (kwb_window_get_last_toast (window), "Memory dump saved: "));
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "dump-saved.png");

  /* One dump and its build-id in dumps/, and no temporary file left. */
  dumps = g_build_filename (kwb_project_get_directory (kwb_window_get_project (window)), "dumps", NULL);
  dir = g_dir_open (dumps, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (entry[0] == '.');
      if (!g_str_has_suffix (entry, ".build-id"))
        {
          g_assert_null (name);
          name = g_strdup (entry);
        }
    }
  g_assert_nonnull (name);
  g_assert_true (g_str_has_prefix (name, "vmcore-"));
  path = g_build_filename (dumps, name, NULL);
  g_assert_nonnull (strstr (kwb_window_get_last_toast (window), path));

  /* ELF magic, ELFCLASS64, and e_type ET_CORE (4) at offset 16. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);
    guint8 ehdr[18];

    g_assert_no_error (error);
    g_assert_true (g_input_stream_read_all (G_INPUT_STREAM (in), ehdr, sizeof ehdr, &len, NULL, &error));
    g_assert_cmpuint (len, ==, sizeof ehdr);
    g_assert_cmpmem (ehdr, 4, "\177ELF", 4);
    g_assert_cmpuint (ehdr[4], ==, 2);
    g_assert_cmpuint (ehdr[16] | ehdr[17] << 8, ==, 4);
  }
  id_path = g_strconcat (path, ".build-id", NULL);
  g_assert_true (g_file_get_contents (id_path, &id, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KwbElf) vmlinux = kwb_elf_open (g_getenv ("KWB_FIXTURE_VMLINUX"), &error);
    g_autofree char *want = NULL;

    g_assert_no_error (error);
    g_autofree char *build_id = kwb_elf_dup_build_id (vmlinux);

    g_assert_nonnull (build_id);
    want = g_strconcat (build_id, "\n", NULL);
    g_assert_cmpstr (id, ==, want);
  }
  /* Guest memory does not stay in the temporary project longer than needed. */
  g_unlink (path);
  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
}

static void
test_dump_memory (void)
{
  g_autofree char *project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = kwb_test_make_session_project ();
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window ((const char *[]) { project, NULL }, check_dump, NULL);
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    g_test_add_func ("/gui/dump/memory", test_dump_memory);
  return g_test_run ();
}
