/* test-project-trust.c — which projects may run the programs they name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case runs with its own XDG_DATA_HOME (G_TEST_OPTION_ISOLATE_DIRS), so
 * the record of trusted projects starts empty and the user's is never read
 * or written.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

/* @name inside the case's isolated folders, which the test framework removes. */
static char *
case_path (const char *name)
{
  return g_build_filename (g_get_user_cache_dir (), "projects", name, NULL);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* A change made outside the application: the file's text, edited. */
static void
edit_by_hand (const char *dir,
              const char *from,
              const char *to)
{
  g_autofree char *path = g_build_filename (dir, KWB_PROJECT_FILE_NAME, NULL);
  g_autofree char *text = read_file (path);
  g_autoptr(GString) edited = g_string_new (text);

  g_assert_nonnull (strstr (text, from));
  g_string_replace (edited, from, to, 1);
  write_file (path, edited->str);
}

static KwbProject *
create (const char *dir)
{
  g_autoptr(GError) error = NULL;
  KwbProject *project = kwb_project_init_directory (dir, &error);

  g_assert_no_error (error);
  return project;
}

static KwbProject *
load (const char *dir)
{
  g_autoptr(GError) error = NULL;
  KwbProject *project = kwb_project_load (dir, &error);

  g_assert_no_error (error);
  return project;
}

static gboolean
runs_mention (KwbProject *project,
              const char *text)
{
  g_auto(GStrv) runs = kwb_project_trust_dup_runs (project);

  for (guint i = 0; runs[i] != NULL; i++)
    if (strstr (runs[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_created_is_trusted (void)
{
  g_autofree char *dir = case_path ("p");
  g_autofree char *store = kwb_project_trust_dup_store_path ();
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (kwb_project_trust_is_trusted (created));
  loaded = load (dir);
  g_assert_true (kwb_project_trust_check (loaded, &error));
  g_assert_no_error (error);

  /* The record is private to the user. */
  g_assert_cmpint (g_stat (store, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_hand_edit_untrusts (void)
{
  g_autofree char *dir = case_path ("p");
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (runs_mention (created, "/opt/evil/qemu"));
  edit_by_hand (dir, "\nbinary=qemu-system-x86_64", "\nbinary=/opt/evil/qemu");
  loaded = load (dir);
  g_assert_false (kwb_project_trust_check (loaded, &error));
  g_assert_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_true (runs_mention (loaded, "/opt/evil/qemu"));
}

/* Each setting that chooses what runs untrusts the project when edited by hand. */
static void
test_each_program_setting (void)
{
  static const struct { const char *from, *to; } edits[] = {
    { "\ngdb=gdb", "\ngdb=/opt/evil/gdb" },
    { "\nextra-args=", "\nextra-args=-netdev;tap,script=/opt/evil/up;" },
    { "\nbuild-dir=build/kernel", "\nbuild-dir=/opt/evil/build" },
    { "\nsource=host", "\nsource=tree\n# (the tree below)" },
    { "\nprojects=", "\nprojects=/opt/evil/module;" },
    { "\noutput=build/initramfs.cpio.gz", "\noutput=/opt/evil/.bashrc" },
    { "\nexpose-tcp=false", "\nexpose-tcp=true" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u", i);
      g_autofree char *dir = case_path (name);
      g_autoptr(KwbProject) created = create (dir);
      g_autoptr(KwbProject) loaded = NULL;

      edit_by_hand (dir, edits[i].from, edits[i].to);
      loaded = load (dir);
      g_test_message ("edit: %s", edits[i].to);
      g_assert_false (kwb_project_trust_is_trusted (loaded));
    }
}

/* The kernel source, set to a tree: make runs its Makefiles. */
static void
test_kernel_source_edit (void)
{
  g_autofree char *dir = case_path ("p");
  g_autoptr(KwbProject) created = create (dir);
  g_autofree char *source = kwb_project_dup_string (created, "kernel", "source");
  g_autofree char *from = g_strdup_printf ("\nsource=%s", source);
  g_autoptr(KwbProject) loaded = NULL;

  edit_by_hand (dir, from, "\nsource=/opt/evil/linux");
  loaded = load (dir);
  g_assert_false (kwb_project_trust_is_trusted (loaded));
  g_assert_true (runs_mention (loaded, "/opt/evil/linux"));
}

/* Settings that run nothing of the project's choosing can be edited by hand. */
static void
test_harmless_edit_keeps_trust (void)
{
  g_autofree char *dir = case_path ("p");
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = NULL;

  edit_by_hand (dir, "\nmemory=1024", "\nmemory=2048");
  edit_by_hand (dir, "\nstart-function=start_kernel", "\nstart-function=do_init_module");
  loaded = load (dir);
  g_assert_true (kwb_project_trust_is_trusted (loaded));
}

static void
test_set_and_save_keeps_trust (void)
{
  g_autofree char *dir = case_path ("p");
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = load (dir);
  g_autoptr(KwbProject) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kwb_project_set_value (loaded, "qemu", "binary", "/usr/local/bin/qemu-system-x86_64", &error));
  g_assert_no_error (error);
  g_assert_true (kwb_project_save (loaded, &error));
  g_assert_no_error (error);

  again = load (dir);
  g_assert_true (kwb_project_trust_is_trusted (again));
  g_assert_true (runs_mention (again, "/usr/local/bin/qemu-system-x86_64"));
}

/* kwb set on a hand-edited project must not make it trusted. */
static void
test_no_laundering (void)
{
  g_autofree char *dir = case_path ("p");
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = NULL;
  g_autoptr(KwbProject) again = NULL;
  g_autoptr(GError) error = NULL;

  edit_by_hand (dir, "\nbinary=qemu-system-x86_64", "\nbinary=/opt/evil/qemu");
  loaded = load (dir);
  g_assert_false (kwb_project_trust_is_trusted (loaded));
  g_assert_true (kwb_project_set_value (loaded, "qemu", "memory", "512", &error));
  g_assert_true (kwb_project_set_value (loaded, "debug", "gdb", "/opt/evil/gdb", &error));
  g_assert_no_error (error);
  g_assert_true (kwb_project_save (loaded, &error));
  g_assert_no_error (error);

  again = load (dir);
  g_assert_false (kwb_project_trust_is_trusted (again));
}

static void
copy_project (const char *from,
              const char *to)
{
  g_autofree char *src = g_build_filename (from, KWB_PROJECT_FILE_NAME, NULL);
  g_autofree char *dst = g_build_filename (to, KWB_PROJECT_FILE_NAME, NULL);
  g_autofree char *text = read_file (src);

  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  write_file (dst, text);
}

static void
test_copy_is_untrusted (void)
{
  g_autofree char *dir = case_path ("p");
  g_autofree char *copy = case_path ("copy");
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = NULL;
  g_autoptr(GError) error = NULL;

  copy_project (dir, copy);
  loaded = load (copy);
  g_assert_false (kwb_project_trust_check (loaded, &error));
  g_assert_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_UNKNOWN);
}

/* The same folder reached through a symlink is the same project. */
static void
test_symlinked_folder_is_the_same (void)
{
  g_autofree char *dir = case_path ("p");
  g_autofree char *link = case_path ("link");
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = NULL;

  g_assert_cmpint (symlink (dir, link), ==, 0);
  loaded = load (link);
  g_assert_true (kwb_project_trust_is_trusted (loaded));
}

static void
test_grant (void)
{
  g_autofree char *dir = case_path ("p");
  g_autofree char *file = g_build_filename (dir, KWB_PROJECT_FILE_NAME, NULL);
  g_autoptr(KwbProject) loaded = NULL;
  g_autoptr(KwbProject) again = NULL;
  g_autoptr(GError) error = NULL;

  /* Written by someone else, never created here. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  write_file (file, "[project]\nversion=1\n[qemu]\nbinary=/opt/their/qemu\n");
  loaded = load (dir);
  g_assert_false (kwb_project_trust_check (loaded, &error));
  g_assert_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_UNKNOWN);
  g_clear_error (&error);

  g_assert_true (kwb_project_trust_grant (loaded, &error));
  g_assert_no_error (error);
  g_assert_true (kwb_project_trust_is_trusted (loaded));
  again = load (dir);
  g_assert_true (kwb_project_trust_is_trusted (again));
}

static void
test_unparsable_store (void)
{
  g_autofree char *dir = case_path ("p");
  g_autofree char *other = case_path ("other");
  g_autofree char *store = kwb_project_trust_dup_store_path ();
  const char *garbage = "this is not [a key file\n";
  g_autoptr(KwbProject) created = create (dir);
  g_autoptr(KwbProject) loaded = NULL;
  g_autoptr(KwbProject) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  write_file (store, garbage);

  loaded = load (dir);
  g_assert_false (kwb_project_trust_check (loaded, &error));
  g_assert_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, store));
  g_clear_error (&error);

  /* Neither trusting nor creating a project writes over it. */
  g_assert_false (kwb_project_trust_grant (loaded, &error));
  g_assert_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, store));
  g_clear_error (&error);
  second = create (other);
  after = read_file (store);
  g_assert_cmpstr (after, ==, garbage);
}

/* Entries whose project is gone are dropped when the record is next written. */
static void
test_gone_projects_are_dropped (void)
{
  g_autofree char *gone = case_path ("gone");
  g_autofree char *gone_file = g_build_filename (gone, KWB_PROJECT_FILE_NAME, NULL);
  g_autofree char *kept = case_path ("kept");
  g_autofree char *store = kwb_project_trust_dup_store_path ();
  g_autoptr(KwbProject) a = create (gone);
  g_autoptr(KwbProject) b = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (g_unlink (gone_file), ==, 0);
  b = create (kept);
  text = read_file (store);
  g_assert_null (strstr (text, gone));
  g_assert_nonnull (strstr (text, kept));
}

/* Read by the sanitizer build (build-aux/test's _build-asan) only.
 * G_TEST_OPTION_ISOLATE_DIRS gives each case its own folders through
 * g_set_user_dirs(), which never frees the previous folder names on purpose
 * (g_get_user_data_dir() hands them out without a copy): not a leak of ours.
 * Full malloc stacks, so that the suppression can see that frame. */
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:g_set_user_dirs\n";
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/project-trust/created", test_created_is_trusted);
  g_test_add_func ("/project-trust/hand-edit", test_hand_edit_untrusts);
  g_test_add_func ("/project-trust/each-program-setting", test_each_program_setting);
  g_test_add_func ("/project-trust/kernel-source", test_kernel_source_edit);
  g_test_add_func ("/project-trust/harmless-edit", test_harmless_edit_keeps_trust);
  g_test_add_func ("/project-trust/set-and-save", test_set_and_save_keeps_trust);
  g_test_add_func ("/project-trust/no-laundering", test_no_laundering);
  g_test_add_func ("/project-trust/copy", test_copy_is_untrusted);
  g_test_add_func ("/project-trust/symlinked-folder", test_symlinked_folder_is_the_same);
  g_test_add_func ("/project-trust/grant", test_grant);
  g_test_add_func ("/project-trust/unparsable-store", test_unparsable_store);
  g_test_add_func ("/project-trust/gone-projects-dropped", test_gone_projects_are_dropped);

  return g_test_run ();
}
