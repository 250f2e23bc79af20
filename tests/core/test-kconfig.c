/* test-kconfig.c — .config parsing, the debug profiles and the config doctor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kwb-core.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "kconfig", name, NULL);
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
  g_assert_not_reached ();
  return NULL;
}

static void
test_parse_line (void)
{
  char *symbol, *value;

  g_assert_true (kwb_kconfig_parse_line ("CONFIG_FOO=y", &symbol, &value));
  g_assert_cmpstr (symbol, ==, "FOO");
  g_assert_cmpstr (value, ==, "y");
  g_free (symbol);
  g_free (value);

  g_assert_true (kwb_kconfig_parse_line ("# CONFIG_BAR_2 is not set", &symbol, &value));
  g_assert_cmpstr (symbol, ==, "BAR_2");
  g_assert_cmpstr (value, ==, "n");
  g_free (symbol);
  g_free (value);

  g_assert_true (kwb_kconfig_parse_line ("CONFIG_CMDLINE=\"console=ttyS0 a=b\"", &symbol, &value));
  g_assert_cmpstr (value, ==, "\"console=ttyS0 a=b\"");
  g_free (symbol);
  g_free (value);

  /* Without the prefix, as users type it in extra-config. */
  g_assert_true (kwb_kconfig_parse_line ("NR_CPUS=64", &symbol, &value));
  g_assert_cmpstr (symbol, ==, "NR_CPUS");
  g_assert_cmpstr (value, ==, "64");
  g_free (symbol);
  g_free (value);

  g_assert_false (kwb_kconfig_parse_line ("# Automatically generated file; DO NOT EDIT.", &symbol, &value));
  g_assert_false (kwb_kconfig_parse_line ("", &symbol, &value));
  g_assert_false (kwb_kconfig_parse_line ("CONFIG FOO=y", &symbol, &value));
  g_assert_false (kwb_kconfig_parse_line ("=y", &symbol, &value));
}

static void
test_read_config (void)
{
  g_autofree char *path = data_path ("requests.config");
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (kwb_kconfig_get_n_symbols (config), ==, 12);
  g_assert_cmpstr (kwb_kconfig_get (config, "CONFIG_DEBUG_KERNEL"), ==, "y");
  g_assert_cmpstr (kwb_kconfig_get (config, "FRAME_POINTER"), ==, "n");
  g_assert_cmpstr (kwb_kconfig_get (config, "NR_CPUS"), ==, "64");
  g_assert_cmpstr (kwb_kconfig_get (config, "CMDLINE"), ==, "\"\"");
  g_assert_null (kwb_kconfig_get (config, "UNIX"));
  g_assert_true (kwb_kconfig_is_enabled (config, "RELOCATABLE"));
  g_assert_false (kwb_kconfig_is_enabled (config, "RANDOMIZE_BASE"));
}

static void
test_hash_ignores_comments (void)
{
  g_autoptr(KwbKconfig) a = kwb_kconfig_new_from_data ("# Linux 6.1.0\n# Mon Jan 1\nCONFIG_A=y\n# CONFIG_B is not set\n", -1);
  g_autoptr(KwbKconfig) b = kwb_kconfig_new_from_data ("# Linux 6.1.0\n# Tue Jan 2\nCONFIG_A=y\n", -1);
  g_autoptr(KwbKconfig) c = kwb_kconfig_new_from_data ("CONFIG_A=m\n", -1);
  g_autofree char *ha = kwb_kconfig_dup_hash (a);
  g_autofree char *hb = kwb_kconfig_dup_hash (b);
  g_autofree char *hc = kwb_kconfig_dup_hash (c);

  g_assert_cmpstr (ha, ==, hb);
  g_assert_cmpstr (ha, !=, hc);
}

static void
test_not_a_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "meson.build", NULL);
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_file (path, &error);

  g_assert_null (config);
  g_assert_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_PARSE);

  g_clear_error (&error);
  config = kwb_kconfig_new_from_file ("/nonexistent/.config", &error);
  g_assert_null (config);
  g_assert_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_READ);
}

static const char *
request_value (GPtrArray  *requests,
               const char *symbol)
{
  for (guint i = 0; i < requests->len; i++)
    {
      KwbKconfigRequest *r = g_ptr_array_index (requests, i);

      if (g_str_equal (r->symbol, symbol))
        return r->value;
    }
  return NULL;
}

static void
test_profiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fast = kwb_kconfig_build_requests (NULL, "fast", FALSE, NULL, NULL, &error);
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GPtrArray) reloc = NULL;
  g_autoptr(GPtrArray) extra = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  g_autofree char *fragment = NULL;
  const char *lines[] = { "CONFIG_NET=n", "# CONFIG_GDB_SCRIPTS is not set", "UNIX=y", "", NULL };
  const char *bad_lines[] = { "CONFIG_UNIX", NULL };

  g_assert_no_error (error);
  g_assert_cmpstr (kwb_kconfig_profile_make_target (NULL, "fast"), ==, "tinyconfig");
  g_assert_cmpstr (kwb_kconfig_profile_make_target (NULL, "standard"), ==, "x86_64_defconfig");
  g_assert_null (kwb_kconfig_profile_make_target (NULL, "existing"));

  /* tinyconfig leaves these off; booting and debugging need them. */
  g_assert_cmpstr (request_value (fast, "64BIT"), ==, "y");
  g_assert_cmpstr (request_value (fast, "SERIAL_8250_CONSOLE"), ==, "y");
  g_assert_cmpstr (request_value (fast, "DEBUG_INFO_DWARF4"), ==, "y");
  g_assert_cmpstr (request_value (fast, "DEBUG_INFO_REDUCED"), ==, "n");
  g_assert_cmpstr (request_value (fast, "GDB_SCRIPTS"), ==, "y");
  g_assert_cmpstr (request_value (fast, "RANDOMIZE_BASE"), ==, "n");
  g_assert_cmpstr (request_value (fast, "RELOCATABLE"), ==, "n");
  g_assert_cmpstr (request_value (fast, "UEVENT_HELPER"), ==, "y");
  g_assert_cmpstr (request_value (fast, "NET"), ==, "y");
  g_assert_null (request_value (fast, "DEBUG_INFO"));     /* dropped since 5.18 */
  g_assert_null (request_value (fast, "INITRAMFS_SOURCE"));
  /* What Debian's crash needs to read this kernel's memory dumps. */
  g_assert_cmpstr (request_value (fast, "X86_MCE"), ==, "y");
  g_assert_cmpstr (request_value (fast, "AMD_MEM_ENCRYPT"), ==, "y");
  /* The boot decompressor runs under TCG at every boot and replay. */
  g_assert_cmpstr (request_value (fast, "KERNEL_LZ4"), ==, "y");

  fragment = kwb_kconfig_requests_to_fragment (fast);
  g_assert_nonnull (strstr (fragment, "\nCONFIG_DEBUG_INFO_DWARF4=y\n"));
  g_assert_nonnull (strstr (fragment, "\n# CONFIG_RANDOMIZE_BASE is not set\n"));

  /* The user's .config keeps its own choices: only the debug layer. */
  existing = kwb_kconfig_build_requests (NULL, "existing", FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (request_value (existing, "SERIAL_8250"));
  g_assert_null (request_value (existing, "X86_MCE"));
  g_assert_null (request_value (existing, "KERNEL_LZ4"));
  g_assert_cmpstr (request_value (existing, "GDB_SCRIPTS"), ==, "y");

  reloc = kwb_kconfig_build_requests (NULL, "standard", TRUE, "/p/initramfs.cpio", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request_value (reloc, "RELOCATABLE"), ==, "y");
  g_assert_cmpstr (request_value (reloc, "RANDOMIZE_BASE"), ==, "n");
  g_assert_cmpstr (request_value (reloc, "INITRAMFS_SOURCE"), ==, "\"/p/initramfs.cpio\"");

  /* extra-config is the last word. */
  extra = kwb_kconfig_build_requests (NULL, "fast", FALSE, NULL, lines, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request_value (extra, "NET"), ==, "n");
  g_assert_cmpstr (request_value (extra, "GDB_SCRIPTS"), ==, "n");
  g_assert_cmpstr (request_value (extra, "UNIX"), ==, "y");
  g_assert_cmpuint (extra->len, ==, fast->len + 1);

  bad = kwb_kconfig_build_requests (NULL, "fast", FALSE, NULL, bad_lines, &error);
  g_assert_null (bad);
  g_assert_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "CONFIG_UNIX"));
  g_clear_error (&error);

  bad = kwb_kconfig_build_requests (NULL, "prebuilt", FALSE, NULL, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_PROFILE);
}

/* An arm64 guest: the virt board's PL011 instead of the 8250, no x86-only
 * unwinder choice, defconfig for the standard profile. */
static void
test_profiles_arm64 (void)
{
  g_autoptr(GError) error = NULL;
  const KwbArch *arm64 = kwb_arch_lookup ("arm64");
  g_autoptr(GPtrArray) fast = kwb_kconfig_build_requests (arm64, "fast", FALSE, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (kwb_kconfig_profile_make_target (arm64, "fast"), ==, "tinyconfig");
  g_assert_cmpstr (kwb_kconfig_profile_make_target (arm64, "standard"), ==, "defconfig");
  g_assert_cmpstr (request_value (fast, "SERIAL_AMBA_PL011_CONSOLE"), ==, "y");
  g_assert_null (request_value (fast, "SERIAL_8250_CONSOLE"));
  g_assert_null (request_value (fast, "UNWINDER_FRAME_POINTER"));
  g_assert_null (request_value (fast, "X86_MCE"));
  g_assert_cmpstr (request_value (fast, "FRAME_POINTER"), ==, "y");
  g_assert_cmpstr (request_value (fast, "DEBUG_INFO_DWARF4"), ==, "y");
  g_assert_cmpstr (request_value (fast, "RANDOMIZE_BASE"), ==, "n");
}

static void
test_diagnose_arm64_pointer_auth (void)
{
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_data ("CONFIG_ARM64=y\nCONFIG_64BIT=y\n"
                                                            "CONFIG_DEBUG_INFO_DWARF4=y\nCONFIG_DEBUG_INFO=y\n"
                                                            "CONFIG_ARM64_PTR_AUTH=y\nCONFIG_ARM64_PTR_AUTH_KERNEL=y\n", -1);
  g_autoptr(GPtrArray) findings = kwb_kconfig_diagnose (config);
  gboolean found = FALSE;

  for (guint i = 0; i < findings->len; i++)
    {
      KwbKconfigFinding *f = g_ptr_array_index (findings, i);

      if (g_str_has_suffix (f->option, "ARM64_PTR_AUTH_KERNEL"))
        {
          found = TRUE;
          g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_INFO);
          g_assert_nonnull (strstr (f->reason, "cortex-a57"));
        }
      /* arm64 is always 64-bit: no 32-bit warning. */
      g_assert_false (g_str_has_suffix (f->option, "_64BIT"));
    }
  g_assert_true (found);
}

static const char *
lookup (gpointer    data,
        const char *symbol)
{
  return kwb_kconfig_get (KWB_KCONFIG (data), symbol);
}

static KwbKconfigTree *
load_tree (void)
{
  g_autofree char *path = data_path ("Kconfig");
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return kwb_kconfig_tree_new_from_text (text);
}

static void
test_tree (void)
{
  g_autoptr(KwbKconfigTree) tree = load_tree ();
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_data ("CONFIG_DEBUG_KERNEL=y\nCONFIG_X86_64=y\n", -1);
  g_autofree char *depends = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  GPtrArray *selectors;

  g_assert_true (kwb_kconfig_tree_has_symbol (tree, "FRAME_POINTER"));
  g_assert_true (kwb_kconfig_tree_has_prompt (tree, "FRAME_POINTER"));
  g_assert_false (kwb_kconfig_tree_has_prompt (tree, "ARCH_WANT_FRAME_POINTERS"));
  g_assert_false (kwb_kconfig_tree_has_prompt (tree, "X86_64"));
  /* Named in help text or in a select of another arch only: not symbols. */
  g_assert_false (kwb_kconfig_tree_has_symbol (tree, "NOT_A_SYMBOL"));
  g_assert_false (kwb_kconfig_tree_has_symbol (tree, "M68K"));

  depends = kwb_kconfig_tree_dup_depends (tree, "FRAME_POINTER");
  g_assert_nonnull (strstr (depends, "ARCH_WANT_FRAME_POINTERS"));
  g_clear_pointer (&depends, g_free);

  /* if NET … menu … endmenu … endif and a depends on inside. */
  depends = kwb_kconfig_tree_dup_depends (tree, "UNIX_DIAG");
  g_assert_nonnull (strstr (depends, "NET"));
  g_assert_nonnull (strstr (depends, "UNIX"));
  g_clear_pointer (&depends, g_free);
  depends = kwb_kconfig_tree_dup_depends (tree, "DEBUG_KERNEL");
  g_assert_cmpstr (depends, ==, "");
  g_clear_pointer (&depends, g_free);

  selectors = kwb_kconfig_tree_get_selectors (tree, "RELOCATABLE");
  g_assert_cmpuint (selectors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (selectors, 0), ==, "KEXEC_FILE if X86_64");

  g_assert_cmpint (kwb_kconfig_tree_eval (tree, "DEBUG_KERNEL && !NET", lookup, config), ==, 2);
  g_assert_cmpint (kwb_kconfig_tree_eval (tree, "DEBUG_KERNEL && NET", lookup, config), ==, 0);
  g_assert_cmpint (kwb_kconfig_tree_eval (tree, "(NET || X86_64) && DEBUG_KERNEL=y", lookup, config), ==, 2);
  g_assert_cmpint (kwb_kconfig_tree_eval (tree, "DEBUG_KERNEL != y", lookup, config), ==, 0);
  g_assert_cmpint (kwb_kconfig_tree_eval (tree, "", lookup, config), ==, 2);

  /* M68K || UML || SUPERH are not this arch's: only what can be changed. */
  blockers = kwb_kconfig_tree_dup_blockers (tree, "FRAME_POINTER", lookup, config);
  g_assert_cmpuint (blockers->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (blockers, 0), ==, "ARCH_WANT_FRAME_POINTERS");
  g_clear_pointer (&blockers, g_ptr_array_unref);

  g_assert_null (kwb_kconfig_tree_dup_blockers (tree, "NO_SUCH", lookup, config));
}

static void
test_doctor_requests (void)
{
  g_autoptr(KwbKconfigTree) tree = load_tree ();
  g_autofree char *path = data_path ("requests.config");
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_file (path, NULL);
  const char *lines[] = { "CONFIG_FRAME_POINTER=y", "CONFIG_UNIX=y", "CONFIG_NO_SUCH_OPTION=y",
                          "CONFIG_NR_CPUS=128", "CONFIG_DEBUG_KERNEL=y", NULL };
  g_autoptr(GPtrArray) requests = kwb_kconfig_build_requests (NULL, "existing", FALSE, NULL, lines, NULL);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) without_tree = NULL;
  g_autofree char *report = NULL;
  KwbKconfigFinding *f;

  findings = kwb_kconfig_check_requests (config, requests, tree);
  g_assert_cmpuint (findings->len, ==, requests->len);
  g_assert_false (kwb_kconfig_findings_ok (findings));

  f = find (findings, "CONFIG_DEBUG_KERNEL");
  g_assert_true (f->stuck);
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_OK);
  g_assert_null (f->reason);

  /* The example: FRAME_POINTER needs UNWINDER_FRAME_POINTER. */
  f = find (findings, "CONFIG_FRAME_POINTER");
  g_assert_false (f->stuck);
  g_assert_cmpstr (f->wanted, ==, "y");
  g_assert_cmpstr (f->actual, ==, "n");
  g_assert_nonnull (strstr (f->reason, "ARCH_WANT_FRAME_POINTERS"));
  g_assert_nonnull (strstr (f->reason, "UNWINDER_FRAME_POINTER"));
  g_assert_nonnull (strstr (f->advice, "CONFIG_UNWINDER_FRAME_POINTER=y"));

  f = find (findings, "CONFIG_UNIX");
  g_assert_false (f->stuck);
  g_assert_cmpstr (f->actual, ==, "n");   /* absent from the file */
  g_assert_nonnull (strstr (f->reason, "UNIX needs NET"));
  g_assert_nonnull (strstr (f->advice, "CONFIG_NET=y"));

  f = find (findings, "CONFIG_NO_SUCH_OPTION");
  g_assert_false (f->stuck);
  g_assert_nonnull (strstr (f->reason, "no option NO_SUCH_OPTION"));

  /* Wanted off, kept on by a select. */
  f = find (findings, "CONFIG_RELOCATABLE");
  g_assert_false (f->stuck);
  g_assert_cmpstr (f->actual, ==, "y");
  g_assert_nonnull (strstr (f->reason, "selected by KEXEC_FILE"));
  g_assert_nonnull (strstr (f->advice, "KEXEC_FILE"));

  f = find (findings, "CONFIG_RANDOMIZE_BASE");
  g_assert_true (f->stuck);

  f = find (findings, "CONFIG_NR_CPUS");
  g_assert_false (f->stuck);
  g_assert_cmpstr (f->actual, ==, "64");

  report = kwb_kconfig_format_findings (findings, TRUE);
  g_assert_nonnull (strstr (report, "CONFIG_FRAME_POINTER: wanted y, got n"));
  g_assert_null (strstr (report, "CONFIG_DEBUG_KERNEL"));

  /* Without a tree the doctor still says what did not stick. */
  without_tree = kwb_kconfig_check_requests (config, requests, NULL);
  f = find (without_tree, "CONFIG_UNIX");
  g_assert_false (f->stuck);
  g_assert_nonnull (f->reason);
}

static void
test_diagnose_distro (void)
{
  g_autofree char *path = data_path ("debian-cloud.config");
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_file (path, NULL);
  g_autoptr(GPtrArray) findings = kwb_kconfig_diagnose (config);
  KwbKconfigFinding *f;

  /* Debian's cloud kernel: debug info on (toolchain default), KASLR on,
   * no GDB scripts, ORC unwinder. */
  f = find (findings, "CONFIG_DEBUG_INFO");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_OK);
  f = find (findings, "CONFIG_RANDOMIZE_BASE");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_WARNING);
  g_assert_nonnull (strstr (f->advice, "nokaslr"));
  f = find (findings, "CONFIG_GDB_SCRIPTS");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_WARNING);
  f = find (findings, "CONFIG_FRAME_POINTER");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_INFO);
  /* The cloud flavour has no MCE: crash 8.0.2 cannot unwind its dumps. */
  f = find (findings, "CONFIG_X86_MCE");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_INFO);
  g_assert_nonnull (strstr (f->reason, "crash 8.0.2"));
  g_assert_nonnull (strstr (f->advice, "CONFIG_X86_MCE=y"));
  g_assert_true (kwb_kconfig_findings_ok (findings));
}

static void
test_diagnose_no_debug_info (void)
{
  g_autoptr(KwbKconfig) none = kwb_kconfig_new_from_data ("CONFIG_64BIT=y\nCONFIG_DEBUG_INFO_NONE=y\n", -1);
  g_autoptr(KwbKconfig) reduced = kwb_kconfig_new_from_data ("CONFIG_64BIT=y\nCONFIG_DEBUG_INFO=y\n"
                                                             "CONFIG_DEBUG_INFO_REDUCED=y\nCONFIG_GDB_SCRIPTS=y\n", -1);
  g_autoptr(GPtrArray) f1 = kwb_kconfig_diagnose (none);
  g_autoptr(GPtrArray) f2 = kwb_kconfig_diagnose (reduced);
  KwbKconfigFinding *f;

  f = find (f1, "CONFIG_DEBUG_INFO");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_ERROR);
  g_assert_nonnull (strstr (f->advice, "DEBUG_INFO_DWARF4"));
  g_assert_false (kwb_kconfig_findings_ok (f1));

  f = find (f2, "CONFIG_DEBUG_INFO_REDUCED");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_WARNING);
  f = find (f2, "CONFIG_GDB_SCRIPTS");
  g_assert_cmpint (f->severity, ==, KWB_KCONFIG_SEVERITY_OK);
}

static void
test_finding_boxed (void)
{
  KwbKconfigFinding f = { (char *) "CONFIG_A", (char *) "y", (char *) "n", FALSE,
                          KWB_KCONFIG_SEVERITY_ERROR, (char *) "why", NULL };
  g_autoptr(KwbKconfigFinding) copy = g_boxed_copy (KWB_TYPE_KCONFIG_FINDING, &f);

  g_assert_cmpstr (copy->option, ==, "CONFIG_A");
  g_assert_cmpstr (copy->reason, ==, "why");
  g_assert_null (copy->advice);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kconfig/parse-line", test_parse_line);
  g_test_add_func ("/kconfig/read-config", test_read_config);
  g_test_add_func ("/kconfig/hash-ignores-comments", test_hash_ignores_comments);
  g_test_add_func ("/kconfig/not-a-config", test_not_a_config);
  g_test_add_func ("/kconfig/profiles", test_profiles);
  g_test_add_func ("/kconfig/profiles-arm64", test_profiles_arm64);
  g_test_add_func ("/kconfig/diagnose-arm64-pointer-auth", test_diagnose_arm64_pointer_auth);
  g_test_add_func ("/kconfig/tree", test_tree);
  g_test_add_func ("/kconfig/doctor-requests", test_doctor_requests);
  g_test_add_func ("/kconfig/diagnose-distro", test_diagnose_distro);
  g_test_add_func ("/kconfig/diagnose-no-debug-info", test_diagnose_no_debug_info);
  g_test_add_func ("/kconfig/finding-boxed", test_finding_boxed);

  return g_test_run ();
}
