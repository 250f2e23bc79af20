/* test-arch.c — KwbArch: the guest architectures, their tools and make variables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include <gelf.h>
#include <glib/gstdio.h>

#include "kwb-core.h"

static gboolean
host_is (const char *machine)
{
  struct utsname host;

  return uname (&host) == 0 && g_str_equal (host.machine, machine);
}

static void
test_lookup (void)
{
  const KwbArch *x86 = kwb_arch_lookup ("x86_64");
  const KwbArch *arm64 = kwb_arch_lookup ("arm64");
  const char * const *names = kwb_arch_get_names ();

  g_assert_nonnull (x86);
  g_assert_nonnull (arm64);
  g_assert_null (kwb_arch_lookup ("sparc"));
  g_assert_null (kwb_arch_lookup (NULL));
  g_assert_true (kwb_arch_get_default () == x86);
  g_assert_cmpstr (names[0], ==, "x86_64");
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_nonnull (kwb_arch_lookup (names[i]));
  g_assert_true (kwb_arch_for_elf_machine (EM_AARCH64) == arm64);
  g_assert_true (kwb_arch_for_elf_machine (EM_X86_64) == x86);
  g_assert_null (kwb_arch_for_elf_machine (EM_RISCV));
  g_assert_cmpstr (arm64->image_path, ==, "arch/arm64/boot/Image");
  g_assert_cmpstr (arm64->console, ==, "ttyAMA0");
  /* The registers and arguments lists end, for g_strdupv and friends. */
  g_assert_cmpuint (g_strv_length ((char **) arm64->registers), ==, 34);
  g_assert_cmpuint (g_strv_length ((char **) x86->arguments), ==, 6);
}

/* On this (x86-64) host arm64 is cross built; x86-64 is native. */
static void
test_make_variables (void)
{
  g_auto(GStrv) arm = kwb_arch_dup_make_variables (kwb_arch_lookup ("arm64"));
  g_auto(GStrv) x86 = kwb_arch_dup_make_variables (kwb_arch_lookup ("x86_64"));
  g_autofree char *arm_cc = kwb_arch_dup_compiler (kwb_arch_lookup ("arm64"));
  g_autofree char *x86_cc = kwb_arch_dup_compiler (kwb_arch_lookup ("x86_64"));

  if (!host_is ("x86_64"))
    {
      g_test_skip ("written for an x86-64 host");
      return;
    }
  g_assert_cmpuint (g_strv_length (arm), ==, 2);
  g_assert_cmpstr (arm[0], ==, "ARCH=arm64");
  g_assert_cmpstr (arm[1], ==, "CROSS_COMPILE=aarch64-linux-gnu-");
  g_assert_cmpstr (arm_cc, ==, "aarch64-linux-gnu-gcc");
  g_assert_cmpuint (g_strv_length (x86), ==, 1);
  g_assert_cmpstr (x86[0], ==, "ARCH=x86");
  g_assert_cmpstr (x86_cc, ==, "gcc");
  {
    g_autofree char *arm_packages = kwb_arch_dup_packages (kwb_arch_lookup ("arm64"), FALSE);
    g_autofree char *x86_packages = kwb_arch_dup_packages (kwb_arch_lookup ("x86_64"), FALSE);

    g_assert_cmpstr (arm_packages, ==, "gcc-aarch64-linux-gnu qemu-system-arm gdb-multiarch");
    g_assert_cmpstr (x86_packages, ==, "gcc qemu-system-x86 gdb");
  }
  g_assert_true (kwb_arch_is_native (kwb_arch_lookup ("x86_64")));
  g_assert_false (kwb_arch_is_native (kwb_arch_lookup ("arm64")));
}

/* An empty setting or another architecture's default means this one's;
 * anything else is the user's choice. */
static void
test_tools (void)
{
  const KwbArch *arm64 = kwb_arch_lookup ("arm64");
  const KwbArch *x86 = kwb_arch_lookup ("x86_64");
  struct { const KwbArch *arch; const char *configured; const char *qemu; } qemu_cases[] = {
    { arm64, "", "qemu-system-aarch64" },
    { arm64, NULL, "qemu-system-aarch64" },
    { arm64, "qemu-system-x86_64", "qemu-system-aarch64" },
    { arm64, "/opt/qemu/bin/qemu-system-aarch64", "/opt/qemu/bin/qemu-system-aarch64" },
    { x86, "qemu-system-aarch64", "qemu-system-x86_64" },
    { x86, "qemu-system-x86_64", "qemu-system-x86_64" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (qemu_cases); i++)
    {
      g_autofree char *qemu = kwb_arch_dup_qemu_binary (qemu_cases[i].arch, qemu_cases[i].configured);

      g_assert_cmpstr (qemu, ==, qemu_cases[i].qemu);
    }
  if (host_is ("x86_64"))
    {
      g_autofree char *arm_gdb = kwb_arch_dup_gdb_binary (arm64, "gdb");
      g_autofree char *arm_default = kwb_arch_dup_gdb_binary (arm64, "");
      g_autofree char *arm_own = kwb_arch_dup_gdb_binary (arm64, "/usr/local/bin/gdb");
      g_autofree char *x86_multi = kwb_arch_dup_gdb_binary (x86, "gdb-multiarch");

      g_assert_cmpstr (arm_gdb, ==, "gdb-multiarch");
      g_assert_cmpstr (arm_default, ==, "gdb-multiarch");
      g_assert_cmpstr (arm_own, ==, "/usr/local/bin/gdb");
      g_assert_cmpstr (x86_multi, ==, "gdb-multiarch");
    }
}

/* A new project switched to arm64: QEMU, GDB and BusyBox follow; an
 * unknown architecture is refused by the schema. */
static void
test_apply_to_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kwb-arch-XXXXXX", &error);
  g_autofree char *file = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbProject) loaded = NULL;
  g_autofree char *qemu = NULL;
  g_autofree char *gdb = NULL;
  g_autofree char *busybox = NULL;

  g_assert_no_error (error);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  g_assert_true (kwb_arch_for_project (project) == kwb_arch_get_default ());
  g_assert_true (kwb_arch_apply_to_project (kwb_arch_lookup ("arm64"), project, &error));
  g_assert_no_error (error);
  g_assert_true (kwb_project_save (project, &error));

  loaded = kwb_project_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kwb_arch_for_project (loaded)->name, ==, "arm64");
  qemu = kwb_project_dup_string (loaded, "qemu", "binary");
  gdb = kwb_project_dup_string (loaded, "debug", "gdb");
  busybox = kwb_project_dup_string (loaded, "busybox", "source");
  g_assert_cmpstr (qemu, ==, "qemu-system-aarch64");
  if (host_is ("x86_64"))
    {
      g_assert_cmpstr (gdb, ==, "gdb-multiarch");
      g_assert_cmpstr (busybox, ==, "tree");
    }

  g_assert_false (kwb_project_set_value (loaded, "machine", "arch", "sparc", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  file = g_build_filename (dir, "kernel-workbench.ini", NULL);
  g_unlink (file);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/arch/lookup", test_lookup);
  g_test_add_func ("/arch/make-variables", test_make_variables);
  g_test_add_func ("/arch/tools", test_tools);
  g_test_add_func ("/arch/apply-to-project", test_apply_to_project);
  return g_test_run ();
}
