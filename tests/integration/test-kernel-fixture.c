/* test-kernel-fixture.c — the fast debug kernel fixture, built by our pipeline, checked with the real tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture comes from build-aux/fixture-kernel (built once, cached by the
 * hash of its inputs), or KWB_FIXTURE_PROJECT (build-aux/fixtures) when the
 * caller built it.
 */
#include "config.h"

#include "kernel-test-common.h"

static char *project_dir;
static char *build_dir;

static char *
build_file (const char *name)
{
  return g_build_filename (build_dir, name, NULL);
}

static void
test_manifest (void)
{
  g_autofree char *path = build_file ("kwb-manifest.ini");
  g_autoptr(GKeyFile) manifest = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  const char *keys[] = { "bzImage", "vmlinux", "vmlinux-gdb.py", "config", "log" };
  g_autofree char *release = NULL;

  g_assert_true (g_key_file_load_from_file (manifest, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  release = g_key_file_get_string (manifest, "kernel", "release", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (release, "6.1."));
  g_assert_cmpuint (strlen (g_key_file_get_string (manifest, "kernel", "config-hash", NULL)), ==, 16);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *file = g_key_file_get_string (manifest, "files", keys[i], &error);

      g_assert_no_error (error);
      g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
    }
  /* A tarball's tree is no git checkout. */
  g_assert_false (g_key_file_has_key (manifest, "kernel", "source-commit", NULL));
  g_assert_cmpint (g_key_file_get_integer (manifest, "build", "full-objects", NULL), >, 100);
}

static void
test_dwarf4 (void)
{
  g_autofree char *vmlinux = build_file ("vmlinux");
  g_autofree char *cmd = g_strdup_printf ("readelf --debug-dump=info '%s' | head -n 40", vmlinux);
  const char *argv[] = { "sh", "-c", cmd, NULL };
  g_autofree char *out = kernel_test_capture (argv, NULL);
  g_autoptr(GRegex) version = g_regex_new ("Version:\\s+4\\b", 0, 0, NULL);

  g_assert_nonnull (out);
  g_assert_nonnull (strstr (out, "Compilation Unit"));
  g_assert_true (g_regex_match (version, out, 0, NULL));
}

static void
test_config (void)
{
  g_autofree char *path = build_file (".config");
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_file (path, &error);

  g_assert_no_error (error);
  /* Not set: with RELOCATABLE off, olddefconfig does not even write it. */
  g_assert_false (kwb_kconfig_is_enabled (config, "RANDOMIZE_BASE"));
  g_assert_false (kwb_kconfig_is_enabled (config, "RELOCATABLE"));
  g_assert_cmpstr (kwb_kconfig_get (config, "DEBUG_INFO_DWARF4"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "GDB_SCRIPTS"), ==, "y");
}

static void
test_gdb_scripts (void)
{
  g_autofree char *py = build_file ("vmlinux-gdb.py");
  g_autofree char *lx = build_file ("scripts/gdb/linux/constants.py");

  g_assert_true (g_file_test (py, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (lx, G_FILE_TEST_IS_REGULAR));
}

static void
test_gdb_line (void)
{
  g_autofree char *vmlinux = build_file ("vmlinux");
  const char *argv[] = { "gdb", "-batch", "-nx", "-ex", "info line start_kernel", vmlinux, NULL };
  g_autofree char *gdb = g_find_program_in_path ("gdb");
  g_autofree char *out = NULL;

  if (gdb == NULL)
    {
      g_test_skip ("gdb is not installed: sudo apt-get install gdb");
      return;
    }
  out = kernel_test_capture (argv, NULL);
  g_assert_nonnull (out);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "init/main.c"));
  g_assert_nonnull (strstr (out, "start_kernel"));
}

/* Nothing to do: seconds, and it says so. */
static void
test_up_to_date (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (project_dir, &error);
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autofree char *bzimage = build_file ("arch/x86/boot/bzImage");
  GStatBuf before, after;

  g_assert_no_error (error);
  g_assert_cmpint (g_stat (bzimage, &before), ==, 0);
  build = kwb_kernel_build_new (project);
  error = kernel_test_run (build, TRUE, 0);
  g_assert_no_error (error);
  g_assert_true (kwb_kernel_build_get_up_to_date (build));
  g_assert_false (kwb_kernel_build_get_configured (build));
  g_assert_cmpuint (kwb_kernel_build_get_objects_done (build), ==, 0);
  g_assert_cmpint (kwb_kernel_build_get_stage (build), ==, KWB_BUILD_STAGE_DONE);
  g_assert_cmpint (g_stat (bzimage, &after), ==, 0);
  g_assert_cmpint (before.st_mtime, ==, after.st_mtime);
}

/* The tree keeps the tarball's times: any file newer was written by a build. */
static void
test_source_unchanged (void)
{
  g_autofree char *manifest_path = build_file ("kwb-manifest.ini");
  g_autoptr(GKeyFile) manifest = g_key_file_new ();
  g_autofree char *source = NULL;
  g_autofree char *tarball = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (project_dir, NULL);
  const char *samples[] = { "Makefile", "Kconfig", "init/main.c", "scripts/kconfig/merge_config.sh",
                            "arch/x86/Kconfig", NULL };
  g_autoptr(GPtrArray) tar_argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *top = NULL;
  g_autofree char *tmp = NULL;

  g_assert_true (g_key_file_load_from_file (manifest, manifest_path, G_KEY_FILE_NONE, NULL));
  source = g_key_file_get_string (manifest, "kernel", "source", NULL);
  tarball = kwb_project_dup_path (project, "kernel", "source");
  g_assert_nonnull (source);

  {
    /* Directories without their own tarball entry were made at extraction
     * time: look at everything else (a new file in a directory shows). */
    const char *argv[] = { "find", source, "-mindepth", "1", "!", "-type", "d", "-newer", tarball,
                           "-print", NULL };
    int status = -1;

    out = kernel_test_capture (argv, &status);
    g_assert_nonnull (out);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (out, ==, "");
  }

  /* Checksums of samples against the tarball itself (one tar run). */
  if (!g_str_has_suffix (tarball, ".tar.xz"))
    return;
  top = g_path_get_basename (tarball);
  top[strlen (top) - strlen (".tar.xz")] = '\0';
  tmp = g_dir_make_tmp ("kwb-samples-XXXXXX", NULL);
  g_ptr_array_add (tar_argv, g_strdup ("tar"));
  g_ptr_array_add (tar_argv, g_strdup ("-xJf"));
  g_ptr_array_add (tar_argv, g_strdup (tarball));
  g_ptr_array_add (tar_argv, g_strdup ("-C"));
  g_ptr_array_add (tar_argv, g_strdup (tmp));
  for (guint i = 0; samples[i] != NULL; i++)
    g_ptr_array_add (tar_argv, g_build_filename (top, samples[i], NULL));
  g_ptr_array_add (tar_argv, NULL);
  {
    int status = -1;
    g_autofree char *ignored = kernel_test_capture ((const char * const *) tar_argv->pdata, &status);

    g_assert_cmpint (status, ==, 0);
  }
  for (guint i = 0; samples[i] != NULL; i++)
    {
      g_autofree char *ours_path = g_build_filename (source, samples[i], NULL);
      g_autofree char *theirs_path = g_build_filename (tmp, top, samples[i], NULL);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      gsize la, lb;
      g_autofree char *sa = NULL;
      g_autofree char *sb = NULL;

      g_assert_true (g_file_get_contents (ours_path, &a, &la, NULL));
      g_assert_true (g_file_get_contents (theirs_path, &b, &lb, NULL));
      sa = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) a, la);
      sb = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) b, lb);
      g_assert_cmpstr (sa, ==, sb);
    }
  kernel_test_remove (tmp);
}

static char *
fixture_project (void)
{
  const char *from_env = g_getenv ("KWB_FIXTURE_PROJECT") ? g_getenv ("KWB_FIXTURE_PROJECT")
                                                          : g_getenv ("KWB_FIXTURE_KERNEL_PROJECT");
  const char *src = g_getenv ("KWB_SOURCE_ROOT");
  const char *bld = g_getenv ("KWB_BUILD_ROOT");
  g_autofree char *script = NULL;
  g_autofree char *kwb = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status = -1;
  guint n;

  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);
  if (src == NULL || bld == NULL)
    return NULL;
  script = g_build_filename (src, "build-aux", "fixture-kernel", NULL);
  kwb = g_build_filename (bld, "app", "cli", "kwb", NULL);
  {
    const char *argv[] = { script, kwb, NULL };

    /* Builds the kernel the first time (minutes), reuses it after. */
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, NULL);
  }
  if (out == NULL || !g_spawn_check_wait_status (status, NULL))
    return NULL;
  g_strchomp (out);
  lines = g_strsplit (out, "\n", -1);
  n = g_strv_length (lines);
  return n > 0 ? g_strdup (lines[n - 1]) : NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(KwbProject) project = NULL;

  g_test_init (&argc, &argv, NULL);

  if (!g_file_test (DEBIAN_TARBALL, G_FILE_TEST_EXISTS) && g_getenv ("KWB_FIXTURE_PROJECT") == NULL &&
      g_getenv ("KWB_FIXTURE_KERNEL_PROJECT") == NULL)
    {
      g_test_skip ("linux-source-6.1 is not installed: sudo apt-get install linux-source-6.1");
      return g_test_run ();
    }
  project_dir = fixture_project ();
  g_assert_nonnull (project_dir);
  project = kwb_project_load (project_dir, NULL);
  g_assert_nonnull (project);
  build_dir = kwb_project_dup_path (project, "kernel", "build-dir");

  g_test_add_func ("/kernel-fixture/manifest", test_manifest);
  g_test_add_func ("/kernel-fixture/dwarf4", test_dwarf4);
  g_test_add_func ("/kernel-fixture/config", test_config);
  g_test_add_func ("/kernel-fixture/gdb-scripts", test_gdb_scripts);
  g_test_add_func ("/kernel-fixture/gdb-info-line", test_gdb_line);
  g_test_add_func ("/kernel-fixture/up-to-date", test_up_to_date);
  g_test_add_func ("/kernel-fixture/source-unchanged", test_source_unchanged);

  return g_test_run ();
}
