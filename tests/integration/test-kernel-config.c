/* test-kernel-config.c — every profile applied to Debian's linux-source-6.1, checked by the doctor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real make, real merge_config.sh and olddefconfig on the real tree
 * (configure only: seconds per profile). The doctor's report must agree
 * with the .config olddefconfig wrote, and the source tree must not change.
 */
#include "config.h"

#include "kernel-test-common.h"

static char *stamp_path;
static char *source_dir;

static KwbKconfig *
configure (KwbProject  *project,
           GPtrArray  **findings)
{
  g_autoptr(KwbKernelBuild) build = kwb_kernel_build_new (project);
  g_autoptr(GError) error = kernel_test_run (build, FALSE, 0);
  g_autofree char *dir = kwb_kernel_build_dup_build_dir (build);
  g_autofree char *config_path = g_build_filename (dir, ".config", NULL);
  g_autofree char *report = NULL;
  KwbKconfig *config;

  g_assert_no_error (error);
  g_assert_true (kwb_kernel_build_get_configured (build));
  config = kwb_kconfig_new_from_file (config_path, &error);
  g_assert_no_error (error);
  *findings = g_ptr_array_ref (kwb_kernel_build_get_findings (build));
  g_assert_nonnull (*findings);
  report = kwb_kconfig_format_findings (*findings, TRUE);
  g_test_message ("doctor, problems only:\n%s", report);
  return config;
}

/* The report says what the file says, for every request. */
static void
assert_report_matches (GPtrArray  *findings,
                       KwbKconfig *config)
{
  for (guint i = 0; i < findings->len; i++)
    {
      KwbKconfigFinding *f = g_ptr_array_index (findings, i);
      const char *actual = kwb_kconfig_get (config, f->option);

      g_assert_cmpstr (f->actual, ==, actual ? actual : "n");
      g_assert_cmpint (f->stuck, ==, g_str_equal (f->wanted, f->actual));
      if (!f->stuck)
        {
          g_assert_nonnull (f->reason);
          g_assert_nonnull (f->advice);
        }
    }
}

static KwbKconfigFinding *
find (GPtrArray  *findings,
      const char *option)
{
  for (guint i = 0; i < findings->len; i++)
    {
      KwbKconfigFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (f->option, option))
        return f;
    }
  return NULL;
}

static void
assert_debug_layer (KwbKconfig *config)
{
  g_autoptr(GPtrArray) diagnosis = kwb_kconfig_diagnose (config);

  g_assert_cmpstr (kwb_kconfig_get (config, "DEBUG_INFO_DWARF4"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "DEBUG_INFO"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "GDB_SCRIPTS"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "FRAME_POINTER"), ==, "y");
  g_assert_false (kwb_kconfig_is_enabled (config, "RANDOMIZE_BASE"));
  g_assert_false (kwb_kconfig_is_enabled (config, "DEBUG_INFO_REDUCED"));
  g_assert_false (kwb_kconfig_is_enabled (config, "CMDLINE_BOOL"));
  g_assert_cmpstr (kwb_kconfig_get (config, "UEVENT_HELPER"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "DEBUG_FS"), ==, "y");
  /* And the diagnosis of the result has nothing to complain about. */
  for (guint i = 0; i < diagnosis->len; i++)
    {
      KwbKconfigFinding *f = g_ptr_array_index (diagnosis, i);

      g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_OK);
    }
}

static void
test_fast (void)
{
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "fast");
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(KwbKconfig) config = configure (project, &findings);

  assert_report_matches (findings, config);
  g_assert_true (kwb_kconfig_findings_ok (findings));
  assert_debug_layer (config);
  g_assert_cmpstr (kwb_kconfig_get (config, "64BIT"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "SERIAL_8250_CONSOLE"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "TMPFS"), ==, "y");
  g_assert_false (kwb_kconfig_is_enabled (config, "RELOCATABLE"));
  /* tinyconfig underneath (no PCI), with SMP asked for: QEMU's CPUs are used. */
  g_assert_false (kwb_kconfig_is_enabled (config, "PCI"));
  g_assert_true (kwb_kconfig_is_enabled (config, "SMP"));
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_standard (void)
{
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "standard");
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(KwbKconfig) config = NULL;

  /* Keep RELOCATABLE: the kernel is then booted with nokaslr. */
  kwb_project_set_boolean (project, "kernel", "relocatable", TRUE);
  g_assert_true (kwb_project_save (project, NULL));
  config = configure (project, &findings);
  assert_report_matches (findings, config);
  g_assert_true (kwb_kconfig_findings_ok (findings));
  assert_debug_layer (config);
  g_assert_cmpstr (kwb_kconfig_get (config, "RELOCATABLE"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "PCI"), ==, "y");   /* x86_64_defconfig underneath */
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_existing (void)
{
  const char *debian = "/usr/src/linux-config-6.1/config.amd64_none_cloud-amd64.xz";
  const char *xz[] = { "xz", "-dc", debian, NULL };
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "existing");
  g_autofree char *user_config = NULL;
  g_autofree char *text = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(KwbKconfig) config = NULL;
  g_autoptr(KwbKconfig) original = NULL;
  g_autoptr(GPtrArray) diagnosis = NULL;

  if (!g_file_test (debian, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("linux-config-6.1 is not installed (Debian's kernel configs)");
      return;
    }
  /* The user's own config: Debian's cloud kernel's, KASLR and no GDB scripts. */
  text = kernel_test_capture (xz, NULL);
  g_assert_nonnull (text);
  user_config = g_build_filename (kwb_project_get_directory (project), "my.config", NULL);
  g_assert_true (g_file_set_contents (user_config, text, -1, NULL));
  original = kwb_kconfig_new_from_data (text, -1);
  diagnosis = kwb_kconfig_diagnose (original);
  g_assert_cmpint (find (diagnosis, "CONFIG_RANDOMIZE_BASE")->severity, ==, KWB_KCONFIG_SEVERITY_WARNING);
  g_assert_cmpint (find (diagnosis, "CONFIG_GDB_SCRIPTS")->severity, ==, KWB_KCONFIG_SEVERITY_WARNING);

  kwb_project_set_string (project, "kernel", "config", user_config);
  g_assert_true (kwb_project_save (project, NULL));
  config = configure (project, &findings);
  assert_report_matches (findings, config);
  g_assert_cmpstr (kwb_kconfig_get (config, "DEBUG_INFO_DWARF4"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "GDB_SCRIPTS"), ==, "y");
  g_assert_false (kwb_kconfig_is_enabled (config, "RANDOMIZE_BASE"));
  /* Debian's EFI_STUB selects RELOCATABLE: reported, and harmless with
   * KASLR off, so only a warning. */
  if (kwb_kconfig_is_enabled (config, "RELOCATABLE"))
    {
      KwbKconfigFinding *f = find (findings, "CONFIG_RELOCATABLE");

      g_assert_false (f->stuck);
      g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_WARNING);
      g_assert_nonnull (strstr (f->reason, "selected by"));
      g_assert_nonnull (strstr (f->reason, "harmless"));
    }
  g_assert_true (kwb_kconfig_findings_ok (findings));

  /* Copied, never edited. */
  g_assert_true (g_file_get_contents (user_config, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);
  kernel_test_remove (kwb_project_get_directory (project));
}

/* Requests olddefconfig must refuse, with the reasons read from Kconfig. */
static void
test_impossible (void)
{
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "fast");
  const char *extra[] = { "# CONFIG_NET is not set", "CONFIG_UNIX=y",
                          "# CONFIG_UNWINDER_FRAME_POINTER is not set", "CONFIG_FRAME_POINTER=y",
                          "CONFIG_KWB_NO_SUCH_OPTION=y", NULL };
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(KwbKconfig) config = NULL;
  KwbKconfigFinding *f;

  kwb_project_set_string_list (project, "kernel", "extra-config", extra);
  g_assert_true (kwb_project_save (project, NULL));
  config = configure (project, &findings);
  assert_report_matches (findings, config);
  g_assert_false (kwb_kconfig_findings_ok (findings));

  f = find (findings, "CONFIG_UNIX");
  g_assert_nonnull (f);
  g_assert_false (f->stuck);
  g_assert_nonnull (strstr (f->reason, "UNIX needs NET"));
  g_assert_nonnull (strstr (f->advice, "CONFIG_NET=y"));

  /* The example, on the real x86 Kconfig. */
  f = find (findings, "CONFIG_FRAME_POINTER");
  g_assert_false (f->stuck);
  g_assert_nonnull (strstr (f->reason, "UNWINDER_FRAME_POINTER"));
  g_assert_nonnull (strstr (f->advice, "CONFIG_UNWINDER_FRAME_POINTER=y"));

  f = find (findings, "CONFIG_KWB_NO_SUCH_OPTION");
  g_assert_false (f->stuck);
  g_assert_nonnull (strstr (f->reason, "no option"));

  /* What was possible still stuck. */
  g_assert_true (find (findings, "CONFIG_DEBUG_INFO_DWARF4")->stuck);
  kernel_test_remove (kwb_project_get_directory (project));
}

/* The manual way's other option: the initramfs linked into the kernel. */
static void
test_builtin_initramfs (void)
{
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "fast");
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(KwbKconfig) config = NULL;
  g_autofree char *initramfs = NULL;
  g_autofree char *quoted = NULL;

  kwb_project_set_string (project, "kernel", "initramfs", "builtin");
  g_assert_true (kwb_project_save (project, NULL));
  initramfs = kwb_project_dup_path (project, "initramfs", "output");
  quoted = g_strdup_printf ("\"%s\"", initramfs);
  config = configure (project, &findings);
  assert_report_matches (findings, config);
  g_assert_true (kwb_kconfig_findings_ok (findings));
  g_assert_cmpstr (kwb_kconfig_get (config, "INITRAMFS_SOURCE"), ==, quoted);
  g_assert_cmpstr (kwb_kconfig_get (config, "BLK_DEV_INITRD"), ==, "y");
  kernel_test_remove (kwb_project_get_directory (project));
}

/* A distro config signs modules: without the OpenSSL headers the build
 * stops before make, naming libssl-dev. The headers are hidden by a gcc
 * wrapper on PATH that fails for them alone. */
static void
test_needs_openssl (void)
{
  const char *debian = "/usr/src/linux-config-6.1/config.amd64_none_cloud-amd64.xz";
  const char *xz[] = { "xz", "-dc", debian, NULL };
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "existing");
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *user_config = NULL;
  g_autofree char *bin = g_build_filename (kwb_project_get_directory (project), "bin", NULL);
  g_autofree char *wrapper = g_build_filename (bin, "gcc", NULL);
  g_autofree char *real_gcc = g_find_program_in_path ("gcc");
  g_autofree char *script = NULL;
  g_autofree char *path = NULL;

  if (!g_file_test (debian, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("linux-config-6.1 is not installed (Debian's kernel configs)");
      return;
    }
  text = kernel_test_capture (xz, NULL);
  user_config = g_build_filename (kwb_project_get_directory (project), "my.config", NULL);
  g_assert_true (g_file_set_contents (user_config, text, -1, NULL));
  kwb_project_set_string (project, "kernel", "config", user_config);
  g_assert_true (kwb_project_save (project, NULL));

  g_assert_cmpint (g_mkdir_with_parents (bin, 0755), ==, 0);
  script = g_strdup_printf ("#!/bin/sh\n"
                            "if [ \"$1\" = -E ]; then\n"
                            "  input=$(cat)\n"
                            "  case \"$input\" in *openssl*) exit 1 ;; esac\n"
                            "  printf '%%s\\n' \"$input\" | exec %s \"$@\"\n"
                            "fi\n"
                            "exec %s \"$@\"\n", real_gcc, real_gcc);
  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);
  path = g_strdup_printf ("%s:%s", bin, g_getenv ("PATH"));

  build = kwb_kernel_build_new (project);
  kwb_kernel_build_setenv (build, "PATH", path);
  error = kernel_test_run (build, TRUE, 0);
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL);
  g_assert_nonnull (strstr (error->message, "libssl-dev"));
  g_assert_true (kwb_kernel_build_get_configured (build));
  g_assert_cmpuint (kwb_kernel_build_get_objects_done (build), ==, 0);
  kernel_test_remove (kwb_project_get_directory (project));
}

/* Runs last: nothing above wrote into the source tree. */
static void
test_source_unchanged (void)
{
  const char *argv[] = { "find", source_dir, "-mindepth", "1", "-newer", stamp_path, "-print", NULL };
  int status = -1;
  g_autofree char *out = kernel_test_capture (argv, &status);

  g_assert_nonnull (out);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  if (!g_file_test (DEBIAN_TARBALL, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("linux-source-6.1 is not installed: sudo apt-get install linux-source-6.1");
      return g_test_run ();
    }

  /* Extract once (shared cache) before the stamp, then stamp. */
  {
    g_autoptr(KwbProject) project = kernel_test_project (NULL, "fast");
    g_autoptr(KwbKernelBuild) build = kwb_kernel_build_new (project);
    const char *none[] = { "kernelversion", NULL };
    g_autoptr(GError) run_error = NULL;

    kwb_kernel_build_set_make_targets (build, none);
    run_error = kernel_test_run (build, FALSE, 0);
    g_assert_no_error (run_error);
    source_dir = g_strdup (kwb_kernel_build_get_source_dir (build));
    kernel_test_remove (kwb_project_get_directory (project));
  }
  stamp_path = g_build_filename (g_get_tmp_dir (), "kwb-kernel-config-stamp", NULL);
  g_assert_true (g_file_set_contents (stamp_path, "", 0, &error));
  g_usleep (G_USEC_PER_SEC / 50);

  g_test_add_func ("/kernel-config/fast", test_fast);
  g_test_add_func ("/kernel-config/standard", test_standard);
  g_test_add_func ("/kernel-config/existing", test_existing);
  g_test_add_func ("/kernel-config/impossible", test_impossible);
  g_test_add_func ("/kernel-config/builtin-initramfs", test_builtin_initramfs);
  g_test_add_func ("/kernel-config/needs-openssl", test_needs_openssl);
  g_test_add_func ("/kernel-config/source-unchanged", test_source_unchanged);

  result = g_test_run ();
  g_unlink (stamp_path);
  return result;
}
