/* test-project.c — KwbProject: load, save, validation, atomic writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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
    /* Values GKeyFile cannot decode are errors, never an empty list or a default. */
    { "[project]\nversion=1\n[modules]\nprojects=a\\xb;c\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [modules] projects" },
    { "[project]\nversion=1\n\n[qemu]\nextra-args=-m;1\\\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":5: [qemu] extra-args" },
    { "[project]\nversion=1\n[qemu]\ncmdline=quiet\\q\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [qemu] cmdline" },
    { "[project]\nversion=1\n[kernel]\nbuild-dir=a\\\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [kernel] build-dir" },
    /* What kwb set refuses is refused in the file too. */
    { "[project]\nversion=1\n[qemu]\ncmdline=a\\nb\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [qemu] cmdline" },
    { "[project]\nversion=1\n[debug]\nbreakpoints=a;b\\rc\n", KWB_PROJECT_ERROR_INVALID_VALUE, ":4: [debug] breakpoints" },
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

/* A failed set changes nothing in memory, and a save after it writes the
 * same bytes as before. */
static void
test_set_refuses_control_characters (void)
{
  static const struct { const char *group, *key, *value; } cases[] = {
    { "qemu", "cmdline", "quiet\n[qemu]\nbinary=/tmp/evil" },
    { "qemu", "cmdline", "quiet\r" },
    { "qemu", "cmdline", "a\x01b" },
    { "qemu", "cmdline", "a\x7f" },
    { "qemu", "binary", "qemu\nx" },
    { "kernel", "build-dir", "build\n" },
    { "project", "name", "\x0bname" },
    { "qemu", "extra-args", "-m;1\n[debug]\ngdb=/tmp/evil" },
    { "qemu", "extra-args", "-m;a\rb" },
    { "qemu", "extra-args", "a\\nb" },    /* the escape of a newline */
    { "modules", "projects", "a;b\x1b[31m" },
    { "qemu", "memory", "1024\n" },
    { "qemu", "cmdline", "\xff\xfe" },
  };
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  path = kwb_project_dup_file_path (project);
  before = read_file (path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s.%s", i, cases[i].group, cases[i].key);
      g_assert_false (kwb_project_set_value (project, cases[i].group, cases[i].key, cases[i].value, &error));
      g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, cases[i].key));
      g_clear_error (&error);
      g_assert_false (kwb_project_get_modified (project));
    }

  /* The setters that take values from code refuse them too (with a warning,
   * made non-fatal in the subprocess so what follows it can be checked). */
  g_test_trap_subprocess ("/project/set-refuses-control-characters/code-setters", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*[qemu] cmdline*line break*[qemu] extra-args*line break*[qemu] accel*not one of*");

  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);
  after = read_file (path);
  g_assert_cmpstr (before, ==, after);

  /* A tab is escaped by GKeyFile and comes back as it went in. */
  g_assert_true (kwb_project_set_value (project, "qemu", "cmdline", "a\tb", &error));
  g_assert_no_error (error);
  rm_rf (dir);
}

static void
test_code_setters_refuse (void)
{
  g_autoptr(KwbProject) project = kwb_project_new ("/nonexistent");
  const char *items[] = { "ok", "not\nok", NULL };
  g_autofree char *cmdline = NULL;
  g_autofree char *accel = NULL;
  g_auto(GStrv) args = NULL;

  /* Run by test_set_refuses_control_characters, which checks the warnings. */
  if (!g_test_subprocess ())
    return;
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  kwb_project_set_string (project, "qemu", "cmdline", "a\nb");
  kwb_project_set_string_list (project, "qemu", "extra-args", items);
  kwb_project_set_string (project, "qemu", "accel", "fast");
  g_assert_false (kwb_project_get_modified (project));
  cmdline = kwb_project_dup_string (project, "qemu", "cmdline");
  g_assert_cmpstr (cmdline, ==, "");
  accel = kwb_project_dup_string (project, "qemu", "accel");
  g_assert_cmpstr (accel, ==, "auto");
  args = kwb_project_dup_string_list (project, "qemu", "extra-args");
  g_assert_cmpuint (g_strv_length (args), ==, 0);
}

static void
test_list_escapes (void)
{
  const char *items[] = { "a;b", "c\\d", " lead", "x\\;y", "", NULL };
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbProject) again = NULL;
  g_auto(GStrv) read_back = NULL;
  g_auto(GStrv) parsed = NULL;
  g_auto(GStrv) typed = NULL;
  g_autofree char *text = NULL;
  g_autofree char *formatted = NULL;

  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);

  /* Items holding ';' and '\\' survive a save and a load. */
  kwb_project_set_string_list (project, "modules", "projects", items);
  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);
  again = kwb_project_load (dir, &error);
  g_assert_no_error (error);
  read_back = kwb_project_dup_string_list (again, "modules", "projects");
  g_assert_cmpstrv (read_back, items);

  /* An item with a line break is refused with a reason, nothing stored. */
  {
    const char *bad[] = { "ok", "x\n[qemu]\nbinary=/tmp/evil", NULL };
    g_autoptr(GError) bad_error = NULL;
    g_auto(GStrv) unchanged = NULL;

    g_assert_false (kwb_project_try_set_string_list (again, "modules", "projects", bad, &bad_error));
    g_assert_error (bad_error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE);
    unchanged = kwb_project_dup_string_list (again, "modules", "projects");
    g_assert_cmpstrv (unchanged, items);
  }

  /* What kwb show prints, kwb set reads back. */
  formatted = kwb_project_format_list (items);
  parsed = kwb_project_parse_list (formatted, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (parsed, items);

  /* Typed as text: ';' separates, "\\;" and "\\\\" escape; the file holds a
   * real GKeyFile list. */
  g_assert_true (kwb_project_set_value (again, "qemu", "extra-args", "-m;1 2\\;3;C:\\\\x", &error));
  g_assert_no_error (error);
  typed = kwb_project_dup_string_list (again, "qemu", "extra-args");
  {
    const char *expect[] = { "-m", "1 2;3", "C:\\x", NULL };

    g_assert_cmpstrv (typed, expect);
  }
  g_assert_true (kwb_project_save (again, &error));
  g_assert_no_error (error);
  {
    g_autofree char *path = kwb_project_dup_file_path (again);

    text = read_file (path);
  }
  g_assert_nonnull (strstr (text, "\nextra-args=-m;1 2\\;3;C:\\\\x;\n"));

  /* A broken escape typed by the user is an error, not a guess. */
  g_assert_false (kwb_project_set_value (again, "qemu", "extra-args", "a\\qb", &error));
  g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "[qemu] extra-args"));
  rm_rf (dir);
}

static void
test_suggest_key (void)
{
  g_autoptr(KwbProject) project = kwb_project_new ("/nonexistent");
  g_autoptr(GError) error = NULL;
  static const struct { const char *typed, *expect; } cases[] = {
    { "qemu.memroy", "qemu.memory" },
    { "qemu.memry", "qemu.memory" },
    { "qmeu.memory", "qemu.memory" },
    { "QEMU.Memory", "qemu.memory" },
    { "kernel.memory", "qemu.memory" },
    { "memory", "qemu.memory" },
    { "debug.start-funcion", "debug.start-function" },
    { "modules.project", "modules.projects" },
    { "colour.wheel", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const KwbProjectKey *k = kwb_project_suggest_key (cases[i].typed);
      g_autofree char *got = k ? g_strconcat (k->group, ".", k->key, NULL) : NULL;

      g_test_message ("%s -> %s", cases[i].typed, got);
      g_assert_cmpstr (got, ==, cases[i].expect);
    }

  g_assert_false (kwb_project_set_value (project, "qemu", "memroy", "1", &error));
  g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, "did you mean qemu.memory?"));
}

static void
test_save_through_symlink (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *real_dir = g_build_filename (dir, "dotfiles", NULL);
  g_autofree char *proj_dir = g_build_filename (dir, "proj", NULL);
  g_autofree char *real = g_build_filename (real_dir, "kwb.ini", NULL);
  g_autofree char *middle = g_build_filename (dir, "middle.ini", NULL);
  g_autofree char *link = g_build_filename (proj_dir, KWB_PROJECT_FILE_NAME, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbProject) again = NULL;
  g_autoptr(GDir) d = NULL;
  struct stat st;
  guint n_files = 0;

  g_assert_cmpint (g_mkdir (real_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (proj_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (real, "# mine\n[project]\nversion=1\n", -1, NULL));
  g_assert_cmpint (chmod (real, 0600), ==, 0);
  /* A chain: a relative link to a link to the file. */
  g_assert_cmpint (symlink ("dotfiles/kwb.ini", middle), ==, 0);
  g_assert_cmpint (symlink ("../middle.ini", link), ==, 0);

  project = kwb_project_load (proj_dir, &error);
  g_assert_no_error (error);
  kwb_project_set_int (project, "qemu", "memory", 512);
  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);

  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (lstat (middle, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (lstat (real, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  again = kwb_project_load (proj_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kwb_project_get_int (again, "qemu", "memory"), ==, 512);

  /* The temporary file was made beside the target and is gone. */
  d = g_dir_open (real_dir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  /* A plain file keeps its mode too. */
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_true (g_file_set_contents (link, "[project]\nversion=1\n", -1, NULL));
  g_assert_cmpint (chmod (link, 0640), ==, 0);
  g_clear_object (&again);
  again = kwb_project_load (proj_dir, &error);
  g_assert_no_error (error);
  kwb_project_set_int (again, "qemu", "cpus", 3);
  g_assert_true (kwb_project_save (again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (link, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  rm_rf (dir);
}

static int
make_socket (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  return fd;
}

/* A FIFO would block open() until a writer comes: refused before opening,
 * like every other file that is not a regular one. */
static void
test_special_files_refused (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *fifo_dir = g_build_filename (dir, "fifo", NULL);
  g_autofree char *sock_dir = g_build_filename (dir, "sock", NULL);
  g_autofree char *dev_dir = g_build_filename (dir, "dev", NULL);
  g_autofree char *fifo = g_build_filename (fifo_dir, KWB_PROJECT_FILE_NAME, NULL);
  g_autofree char *sock = g_build_filename (sock_dir, KWB_PROJECT_FILE_NAME, NULL);
  g_autofree char *dev = g_build_filename (dev_dir, KWB_PROJECT_FILE_NAME, NULL);
  g_autofree char *lone_fifo = g_build_filename (dir, "lone-fifo", NULL);
  static const char *expect[] = { "FIFO", "socket", "character device" };
  const char *dirs[] = { fifo_dir, sock_dir, dev_dir };
  g_autoptr(GError) error = NULL;
  struct stat st;
  int sock_fd;

  g_assert_cmpint (g_mkdir (fifo_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (sock_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (dev_dir, 0755), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  sock_fd = make_socket (sock);
  g_assert_cmpint (symlink ("/dev/null", dev), ==, 0);
  g_assert_cmpint (mkfifo (lone_fifo, 0644), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(KwbProject) project = kwb_project_load (dirs[i], &error);

      g_test_message ("%s", error ? error->message : "(loaded)");
      g_assert_null (project);
      g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNREADABLE);
      g_assert_nonnull (strstr (error->message, expect[i]));
      g_assert_nonnull (strstr (error->message, KWB_PROJECT_FILE_NAME));
      g_clear_error (&error);
    }

  /* The folder argument itself being a FIFO. */
  g_assert_null (kwb_project_load (lone_fifo, &error));
  g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);

  /* Saving over a FIFO is refused and the FIFO stays. */
  {
    g_autoptr(KwbProject) project = kwb_project_new (fifo_dir);

    g_assert_false (kwb_project_save (project, &error));
    g_assert_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_WRITE);
    g_assert_nonnull (strstr (error->message, "FIFO"));
    g_clear_error (&error);
    g_assert_cmpint (lstat (fifo, &st), ==, 0);
    g_assert_true (S_ISFIFO (st.st_mode));
  }

  close (sock_fd);
  rm_rf (dir);
}

/* A word with trailing blanks loads (GKeyFile keeps them) and reads as the word. */
static void
test_typed_values_stripped (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = write_project_file (dir, "[project]\nversion=1\n[qemu]\naccel=tcg  \ncpus=3 \n");
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (dir, &error);
  g_autofree char *accel = NULL;

  g_assert_no_error (error);
  accel = kwb_project_dup_string (project, "qemu", "accel");
  g_assert_cmpstr (accel, ==, "tcg");
  g_assert_cmpint (kwb_project_get_int (project, "qemu", "cpus"), ==, 3);
  rm_rf (dir);
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
  g_test_add_func ("/project/set-refuses-control-characters", test_set_refuses_control_characters);
  g_test_add_func ("/project/set-refuses-control-characters/code-setters", test_code_setters_refuse);
  g_test_add_func ("/project/list-escapes", test_list_escapes);
  g_test_add_func ("/project/suggest-key", test_suggest_key);
  g_test_add_func ("/project/save-through-symlink", test_save_through_symlink);
  g_test_add_func ("/project/special-files-refused", test_special_files_refused);
  g_test_add_func ("/project/typed-values-stripped", test_typed_values_stripped);

  return g_test_run ();
}
