/* test-setup.c — the rebuild table, kernel version from a Makefile, host sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kwb-core.h"

static void
test_rebuild_table (void)
{
  guint n_keys;
  const KwbProjectKey *schema = kwb_project_get_schema (&n_keys);

  g_assert_cmpint (kwb_rebuild_for_key ("initramfs", "rcs"), ==, KWB_REBUILD_INITRAMFS);
  g_assert_cmpint (kwb_rebuild_for_key ("busybox", "source"), ==, KWB_REBUILD_INITRAMFS);
  g_assert_cmpint (kwb_rebuild_for_key ("kernel", "profile"), ==, KWB_REBUILD_CONFIG);
  g_assert_cmpint (kwb_rebuild_for_key ("kernel", "extra-config"), ==, KWB_REBUILD_CONFIG);
  g_assert_cmpint (kwb_rebuild_for_key ("kernel", "source"), ==, KWB_REBUILD_FULL);
  g_assert_cmpint (kwb_rebuild_for_key ("qemu", "memory"), ==, KWB_REBUILD_NONE);
  g_assert_cmpint (kwb_rebuild_for_key ("debug", "break-at-start"), ==, KWB_REBUILD_NONE);
  g_assert_cmpint (kwb_rebuild_for_key ("nosuch", "key"), ==, KWB_REBUILD_FULL);

  /* Every [kernel] key of the schema is in the table by name: a new kernel
   * key must say what it rebuilds rather than fall to FULL unnoticed. */
  for (guint i = 0; i < n_keys; i++)
    if (g_str_equal (schema[i].group, "kernel"))
      {
        KwbRebuild r = kwb_rebuild_for_key (schema[i].group, schema[i].key);

        if (r == KWB_REBUILD_FULL)
          g_assert_true (g_str_equal (schema[i].key, "source") ||
                         g_str_equal (schema[i].key, "source-dir") ||
                         g_str_equal (schema[i].key, "build-dir"));
      }

  for (KwbRebuild r = KWB_REBUILD_NONE; r <= KWB_REBUILD_FULL; r++)
    {
      g_assert_cmpint (kwb_rebuild_from_string (kwb_rebuild_to_string (r)), ==, r);
      g_assert_nonnull (kwb_rebuild_describe (r));
      /* The words are the project key's choices. */
      g_assert_true (kwb_project_lookup_key ("project", "pending-rebuild") != NULL);
      g_assert_nonnull (strstr (kwb_project_lookup_key ("project", "pending-rebuild")->choices,
                                kwb_rebuild_to_string (r)));
    }
}

static void
test_kernel_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kwb-test-setup-XXXXXX", &error);
  g_autofree char *makefile = g_build_filename (dir, "Makefile", NULL);
  g_autofree char *v = NULL;

  g_assert_no_error (error);
  g_assert_null (kwb_setup_dup_kernel_version (dir));

  g_assert_true (g_file_set_contents (makefile,
    "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 158\nEXTRAVERSION =\nNAME = Curry Ramen\n",
    -1, NULL));
  v = kwb_setup_dup_kernel_version (dir);
  g_assert_cmpstr (v, ==, "6.1.158");
  g_clear_pointer (&v, g_free);

  g_assert_true (g_file_set_contents (makefile,
    "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION = -rc3\n", -1, NULL));
  v = kwb_setup_dup_kernel_version (dir);
  g_assert_cmpstr (v, ==, "6.12-rc3");

  g_unlink (makefile);
  g_rmdir (dir);
}

static void
test_linux_sources (void)
{
  g_auto(GStrv) sources = kwb_setup_list_linux_sources ();

  g_assert_nonnull (sources);
  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (sources[i], "/usr/src/linux-source-"));
      g_assert_true (g_str_has_suffix (sources[i], ".tar.xz"));
      if (i > 0)
        g_assert_cmpint (strverscmp (sources[i - 1], sources[i]), >, 0);
    }
  if (sources[0] == NULL)
    g_test_message ("no /usr/src/linux-source-*.tar.xz here (apt-get install linux-source-6.1)");
}

static void
busybox_version_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kwb_setup_busybox_version_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_busybox_version (void)
{
  g_autofree char *version = NULL;

  if (!g_file_test ("/bin/busybox", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/bin/busybox is not installed (apt-get install busybox-static)");
      return;
    }
  kwb_setup_busybox_version_async ("/bin/busybox", NULL, busybox_version_cb, &version);
  while (version == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_ascii_isdigit (version[0]));
  g_assert_nonnull (strchr (version, '.'));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/rebuild-table", test_rebuild_table);
  g_test_add_func ("/setup/kernel-version", test_kernel_version);
  g_test_add_func ("/setup/linux-sources", test_linux_sources);
  g_test_add_func ("/setup/busybox-version", test_busybox_version);
  return g_test_run ();
}
