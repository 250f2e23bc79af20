/* test-project.c — KwbProject: load, save, validation, atomic writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("kwb-test-project-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) e = NULL;
  GFileInfo *info;

  e = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (e != NULL && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static char *
write_project_file (const char *dir,
                    const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, KWB_PROJECT_FILE_NAME, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
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
test_round_trip (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbProject) again = NULL;
  g_auto(GStrv) list = NULL;
  g_autofree char *path = NULL;
  g_autofree char *build = NULL;
  const char *extra[] = { "/tmp/a b:/root/a b", "/etc/hosts:/etc/hosts", NULL };

  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);

  /* Defaults come from the schema. */
  g_assert_cmpint (kwb_project_get_int (project, "qemu", "memory"), ==, 1024);
  g_assert_true (kwb_project_get_boolean (project, "qemu", "freeze"));
  g_assert_false (kwb_project_get_boolean (project, "qemu", "expose-tcp"));

  kwb_project_set_int (project, "qemu", "memory", 2048);
  kwb_project_set_boolean (project, "qemu", "freeze", FALSE);
  kwb_project_set_string (project, "qemu", "cmdline", "loglevel=8 \"quoted\" ünïcode");
  kwb_project_set_string_list (project, "initramfs", "extra-files", extra);
  g_assert_true (kwb_project_get_modified (project));
  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);
  g_assert_false (kwb_project_get_modified (project));

  again = kwb_project_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kwb_project_get_int (again, "qemu", "memory"), ==, 2048);
  g_assert_false (kwb_project_get_boolean (again, "qemu", "freeze"));
  path = kwb_project_dup_string (again, "qemu", "cmdline");
  g_assert_cmpstr (path, ==, "loglevel=8 \"quoted\" ünïcode");
  list = kwb_project_dup_string_list (again, "initramfs", "extra-files");
  g_assert_cmpstrv (list, extra);

  /* Relative paths resolve against the project folder. */
  build = kwb_project_dup_path (again, "kernel", "build-dir");
  g_assert_true (g_str_has_prefix (build, kwb_project_get_directory (again)));
  g_assert_true (g_str_has_suffix (build, "/build/kernel"));

  rm_rf (dir);
}

static void
test_init_refuses_existing (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = write_project_file (dir, "[project]\nversion=1\n# mine\n");
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;

  project = kwb_project_init_directory (dir, &error);
  g_assert_null (project);
  g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_EXISTS);
  after = read_file (path);
  g_assert_cmpstr (after, ==, "[project]\nversion=1\n# mine\n");
  rm_rf (dir);
}

static void
test_unknown_keys_kept (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = write_project_file (dir,
    "# my own notes survive\n"
    "[project]\nversion=1\nfuture-key=kept\n"
    "[qemu]\nmemory=512\n"
    "[from-a-newer-release]\nsomething=else\n");
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;

  project = kwb_project_load (dir, &error);
  g_assert_no_error (error);
  kwb_project_set_int (project, "qemu", "memory", 768);
  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);

  after = read_file (path);
  g_assert_nonnull (strstr (after, "future-key=kept"));
  g_assert_nonnull (strstr (after, "[from-a-newer-release]"));
  g_assert_nonnull (strstr (after, "something=else"));
  g_assert_nonnull (strstr (after, "# my own notes survive"));
  g_assert_nonnull (strstr (after, "memory=768"));
  rm_rf (dir);
}

typedef struct {
  const char *text;
  int         code;
  const char *expect; /* substring of the message: file:line and the key */
} BadCase;

static void
test_malformed (void)
{
  static const BadCase cases[] = {
    { "[project]\nversion=1\n[qemu]\nthis line is not a key\n", KWB_PROJECT_ERROR_PARSE, ":4:" },
    { "[project]\nversion=1\n[qemu\nmemory=3\n", KWB_PROJECT_ERROR_PARSE, ":3:" },
    { "orphan=1\n[project]\nversion=1\n", KWB_PROJECT_ERROR_PARSE, ":1:" },
    { "[project]\nversion=1\n\n[qemu]\ncpus=2\nmemory=lots\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":6: [qemu] memory" },
    { "[project]\nversion=1\n[qemu]\nmemory=1\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [qemu] memory" },
    { "[project]\nversion=1\n[qemu]\nfreeze=yes please\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [qemu] freeze" },
    { "[project]\nversion=1\n[kernel]\nprofile=huge\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [kernel] profile" },
    { "[project]\nversion=99\n", KWB_PROJECT_ERROR_VERSION, ":2: [project] version" },
    { "[project]\nname=x\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":1: [project] version" },
    { "[project]\nversion=1\nname=\xff\xfe\n", KWB_PROJECT_ERROR_PARSE, "not a text file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = make_tmpdir ();
      g_autofree char *path = write_project_file (dir, cases[i].text);
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(KwbProject) project = NULL;
      struct stat before_st, after_st;

      g_assert_cmpint (stat (path, &before_st), ==, 0);
      project = kwb_project_load (dir, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (project);
      g_assert_error (error, KWB_PROJECT_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].expect));

      /* Untouched: same bytes, same inode. */
      after = read_file (path);
      g_assert_cmpstr (after, ==, cases[i].text);
      g_assert_cmpint (stat (path, &after_st), ==, 0);
      g_assert_cmpint (before_st.st_ino, ==, after_st.st_ino);
      rm_rf (dir);
    }
}

static void
test_missing (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;

  project = kwb_project_load (dir, &error);
  g_assert_null (project);
  g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "kwb init"));
  rm_rf (dir);
}

static void
test_atomic_save (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GDir) d = NULL;
  struct stat st1, st2;
  guint n_files = 0;

  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  path = kwb_project_dup_file_path (project);
  g_assert_cmpint (stat (path, &st1), ==, 0);

  /* A save writes a new file and renames it into place: the inode changes,
   * so a reader never sees a half-written file. */
  kwb_project_set_int (project, "qemu", "cpus", 4);
  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (path, &st2), ==, 0);
  g_assert_cmpint (st1.st_ino, !=, st2.st_ino);

  /* No temporary file is left behind. */
  d = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  /* A failed save (read-only folder) leaves the old file as it was. Root
   * ignores directory permissions, so only check this as a normal user. */
  if (geteuid () != 0)
    {
      before = read_file (path);
      g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
      kwb_project_set_int (project, "qemu", "cpus", 8);
      g_assert_false (kwb_project_save (project, &error));
      g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_WRITE);
      g_assert_nonnull (strstr (error->message, "unchanged"));
      g_chmod (dir, 0755);
      after = read_file (path);
      g_assert_cmpstr (before, ==, after);
    }
  else
    {
      /* As root, a file standing where the temporary file's folder should be
       * is the way to make the write fail. */
      g_autoptr(KwbProject) nested = NULL;
      g_autofree char *blocker = g_build_filename (dir, "blocker", NULL);
      g_autofree char *inside = g_build_filename (blocker, "p", NULL);

      g_file_set_contents (blocker, "x", -1, NULL);
      nested = kwb_project_new (inside);
      g_assert_false (kwb_project_save (nested, &error));
      g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_WRITE);
    }
  rm_rf (dir);
}

static void
test_set_value_validates (void)
{
  g_autoptr(KwbProject) project = kwb_project_new ("/nonexistent");
  g_autoptr(GError) error = NULL;

  g_assert_false (kwb_project_set_value (project, "qemu", "cpus", "many", &error));
  g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (kwb_project_set_value (project, "qemu", "colour", "red", &error));
  g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);
  g_assert_true (kwb_project_set_value (project, "kernel", "profile", "standard", &error));
  g_assert_no_error (error);
  g_assert_false (kwb_project_get_modified (project) == FALSE);
}

static void
on_changed (KwbProject *project,
            const char *group,
            const char *key,
            GString    *log)
{
  g_string_append_printf (log, "%s.%s;", group, key);
}

static void
test_changed_signal (void)
{
  g_autoptr(KwbProject) project = kwb_project_new ("/nonexistent");
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (project, "changed", G_CALLBACK (on_changed), log);
  kwb_project_set_int (project, "qemu", "memory", 300);
  kwb_project_set_int (project, "qemu", "memory", 300); /* unchanged: no signal */
  kwb_project_set_string (project, "qemu", "cmdline", "quiet");
  g_assert_cmpstr (log->str, ==, "qemu.memory;qemu.cmdline;");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/project/round-trip", test_round_trip);
  g_test_add_func ("/project/init-refuses-existing", test_init_refuses_existing);
  g_test_add_func ("/project/unknown-keys-kept", test_unknown_keys_kept);
  g_test_add_func ("/project/malformed", test_malformed);
  g_test_add_func ("/project/missing", test_missing);
  g_test_add_func ("/project/atomic-save", test_atomic_save);
  g_test_add_func ("/project/set-value-validates", test_set_value_validates);
  g_test_add_func ("/project/changed-signal", test_changed_signal);

  return g_test_run ();
}
