/* test-busybox.c — the static-binary check on hand-made ELF files, and the applet list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ELF files are built here field by field (headers only), so each case —
 * 32-bit, ARM, PT_INTERP, static-pie, DT_NEEDED — is exactly one difference.
 */
#include "config.h"

#include <elf.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

typedef enum {
  KIND_STATIC,
  KIND_STATIC_PIE,   /* PT_DYNAMIC without DT_NEEDED */
  KIND_INTERP,
  KIND_NEEDED,       /* DT_NEEDED but no PT_INTERP */
} Kind;

static char *
write_elf (Kind          kind,
           unsigned char elf_class,
           Elf64_Half    machine)
{
  g_autoptr(GError) error = NULL;
  guint8 file[1024] = { 0 };
  Elf64_Ehdr *eh = (Elf64_Ehdr *) file;
  Elf64_Phdr *ph = (Elf64_Phdr *) (file + sizeof *eh);
  Elf64_Dyn *dyn = (Elf64_Dyn *) (file + 512);
  char *path = NULL;
  int fd;

  memcpy (eh->e_ident, ELFMAG, SELFMAG);
  eh->e_ident[EI_CLASS] = elf_class;
  eh->e_ident[EI_DATA] = ELFDATA2LSB;
  eh->e_ident[EI_VERSION] = EV_CURRENT;
  eh->e_type = kind == KIND_STATIC ? ET_EXEC : ET_DYN;
  eh->e_machine = machine;
  eh->e_phoff = sizeof *eh;
  eh->e_phentsize = sizeof (Elf64_Phdr);
  eh->e_phnum = 2;

  ph[0].p_type = PT_LOAD;
  ph[1].p_type = PT_NOTE;
  if (kind == KIND_INTERP)
    ph[1].p_type = PT_INTERP;
  if (kind == KIND_STATIC_PIE || kind == KIND_NEEDED)
    {
      ph[1].p_type = PT_DYNAMIC;
      ph[1].p_offset = 512;
      ph[1].p_filesz = 3 * sizeof (Elf64_Dyn);
      dyn[0].d_tag = kind == KIND_NEEDED ? DT_NEEDED : DT_FLAGS_1;
      dyn[1].d_tag = DT_RELA;
      dyn[2].d_tag = DT_NULL;
    }

  fd = g_file_open_tmp ("kwb-elf-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, (const char *) file, sizeof file, NULL));
  return path;
}

static void
expect_for (const char    *arch,
            Kind           kind,
            unsigned char  elf_class,
            Elf64_Half     machine,
            gint           code)  /* -1: accepted */
{
  g_autofree char *path = write_elf (kind, elf_class, machine);
  g_autoptr(GError) error = NULL;
  gboolean ok = kwb_busybox_check_binary (path, arch ? kwb_arch_lookup (arch) : NULL, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, KWB_BUSYBOX_ERROR, code);
      g_assert_nonnull (strstr (error->message, path));
    }
  g_unlink (path);
}

#define expect(...) expect_for (NULL, __VA_ARGS__)

static void
test_elf_check (void)
{
  expect (KIND_STATIC, ELFCLASS64, EM_X86_64, -1);
  expect (KIND_STATIC_PIE, ELFCLASS64, EM_X86_64, -1);
  expect (KIND_INTERP, ELFCLASS64, EM_X86_64, KWB_BUSYBOX_ERROR_DYNAMIC);
  expect (KIND_NEEDED, ELFCLASS64, EM_X86_64, KWB_BUSYBOX_ERROR_DYNAMIC);
  expect (KIND_STATIC, ELFCLASS32, EM_X86_64, KWB_BUSYBOX_ERROR_WRONG_ARCH);
  expect (KIND_STATIC, ELFCLASS64, EM_AARCH64, KWB_BUSYBOX_ERROR_WRONG_ARCH);
  /* An arm64 guest wants the opposite. */
  expect_for ("arm64", KIND_STATIC, ELFCLASS64, EM_AARCH64, -1);
  expect_for ("arm64", KIND_NEEDED, ELFCLASS64, EM_AARCH64, KWB_BUSYBOX_ERROR_DYNAMIC);
  expect_for ("arm64", KIND_STATIC, ELFCLASS64, EM_X86_64, KWB_BUSYBOX_ERROR_WRONG_ARCH);
}

static void
test_dynamic_message (void)
{
  g_autofree char *path = write_elf (KIND_INTERP, ELFCLASS64, EM_X86_64);
  g_autoptr(GError) error = NULL;

  g_assert_false (kwb_busybox_check_binary (path, NULL, &error));
  /* Says why (no C library in the initramfs) and what to do. */
  g_assert_nonnull (strstr (error->message, "no C library"));
  g_assert_nonnull (strstr (error->message, "busybox-static"));
  g_unlink (path);
}

static void
test_not_elf (void)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("kwb-notelf-XXXXXX", &path, &error);

  close (fd);
  g_file_set_contents (path, "#!/bin/sh\n", -1, NULL);
  g_assert_false (kwb_busybox_check_binary (path, NULL, &error));
  g_assert_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_ELF);
  g_clear_error (&error);
  g_file_set_contents (path, "", 0, NULL);
  g_assert_false (kwb_busybox_check_binary (path, NULL, &error));
  g_assert_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_ELF);
  g_clear_error (&error);
  g_unlink (path);
  g_assert_false (kwb_busybox_check_binary (path, NULL, &error));
  g_assert_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_FOUND);
  g_free (path);
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A shell script stands in for busybox --list-full. */
static char **
list_applets (const char  *script,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n%s", script);
  GAsyncResult *result = NULL;
  char *path = NULL;
  char **applets;
  int fd = g_file_open_tmp ("kwb-fakebb-XXXXXX", &path, &local_error);

  g_assert_no_error (local_error);
  close (fd);
  g_file_set_contents (path, text, -1, NULL);
  g_chmod (path, 0755);

  kwb_busybox_list_applets_async (path, NULL, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  applets = kwb_busybox_list_applets_finish (result, error);
  g_object_unref (result);
  g_unlink (path);
  g_free (path);
  return applets;
}

static void
test_applets (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) applets = NULL;

  applets = list_applets ("printf 'usr/bin/awk\\nbin/sh\\n\\nsbin/init\\nlinuxrc\\n'\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (applets), ==, 4);
  g_assert_cmpstr (applets[0], ==, "bin/sh");
  g_assert_cmpstr (applets[1], ==, "linuxrc");
  g_assert_cmpstr (applets[2], ==, "sbin/init");
  g_assert_cmpstr (applets[3], ==, "usr/bin/awk");
  g_clear_pointer (&applets, g_strfreev);

  applets = list_applets ("echo bin/sh; echo ../../etc/passwd\n", &error);
  g_assert_null (applets);
  g_assert_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS);
  g_clear_error (&error);

  applets = list_applets ("echo /bin/sh\n", &error);
  g_assert_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS);
  g_clear_error (&error);

  applets = list_applets ("true\n", &error);
  g_assert_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS);
  g_clear_error (&error);

  applets = list_applets ("echo bin/sh; exit 1\n", &error);
  g_assert_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/busybox/elf-check", test_elf_check);
  g_test_add_func ("/busybox/dynamic-message", test_dynamic_message);
  g_test_add_func ("/busybox/not-elf", test_not_elf);
  g_test_add_func ("/busybox/applets", test_applets);

  return g_test_run ();
}
