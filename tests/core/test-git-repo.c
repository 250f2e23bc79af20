/* test-git-repo.c — KwbGitRepo on repositories made here with the git CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "kwb-core.h"
#include "kwb-test-git-server.h"

/* libgit2 1.5 (Debian 12) leaks a PCRE2 match block on every regex that does
 * not match (git_regexp_match; fixed upstream in libgit2/libgit2#6382, 1.6),
 * and a clone's remote setup matches config keys that way. Not ours: keep
 * the leak checker (_build-asan) for our own allocations. PCRE2 has no frame
 * pointers, so the fast unwinder stops there before reaching libgit2: name
 * both. Nothing here uses GRegex, the only other PCRE2 user. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libgit2.so.1.5\n"
         "leak:libpcre2-8.so\n";
}

/* FILE_TEST on DIR/NAME without leaking the joined path. */
static gboolean
test_in (const char *dir,
         const char *name,
         GFileTest   test)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, test);
}

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("kwb-test-git-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
git (const char *dir,
     const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("git -C '%s' -c user.name=Test -c user.email=test@example.org "
                                          "-c init.defaultBranch=main -c commit.gpgsign=false %s",
                                          dir, args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_command_line_sync (cmd, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", cmd, err);
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0755);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Three commits on main, a tag v1 on the second, a branch "topic". */
static char *
make_repo (void)
{
  char *dir = make_tmpdir ();

  git (dir, "init -q");
  write_file (dir, "Makefile", "VERSION = 6\nPATCHLEVEL = 1\n");
  write_file (dir, "init/main.c", "void start_kernel(void) {}\n");
  git (dir, "add -A");
  git (dir, "commit -q -m 'First commit'");
  write_file (dir, "init/main.c", "void start_kernel(void) { /* two */ }\n");
  git (dir, "commit -q -a -m 'Second commit'");
  git (dir, "tag -a v1 -m 'Version 1'");
  git (dir, "branch topic");
  write_file (dir, "README", "three\n");
  git (dir, "add README");
  git (dir, "commit -q -m 'Third commit: add a README'");
  return dir;
}

/* Enough incompressible data that a clone takes many progress callbacks. */
/* 400 blobs of 16 KiB: enough objects for many progress reports, small
 * enough that packing incompressible data stays cheap on a busy machine. */
#define BIG_BLOB_WORDS 4096

static char *
make_big_repo (void)
{
  char *dir = make_tmpdir ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  git (dir, "init -q");
  for (guint f = 0; f < 400; f++)
    {
      g_autofree char *name = g_strdup_printf ("data/file-%03u.bin", f);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *parent = g_path_get_dirname (path);
      g_autofree guint32 *buf = g_new (guint32, BIG_BLOB_WORDS);

      g_mkdir_with_parents (parent, 0755);
      for (guint i = 0; i < BIG_BLOB_WORDS; i++)
        buf[i] = g_rand_int (rand);
      g_assert_true (g_file_set_contents (path, (char *) buf, BIG_BLOB_WORDS * 4, NULL));
    }
  git (dir, "add -A");
  git (dir, "commit -q -m 'Big'");
  return dir;
}

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
  GPtrArray    *progress;  /* of KwbGitCloneProgress copies */
  GCancellable *cancel_on_progress;
  gboolean      destroyed;
  gboolean      progress_after_finish;
  gboolean      finished;
} CloneWait;

static void
on_progress (const KwbGitCloneProgress *p,
             gpointer                   user_data)
{
  CloneWait *w = user_data;

  if (w->finished)
    w->progress_after_finish = TRUE;
  g_ptr_array_add (w->progress, g_memdup2 (p, sizeof *p));
  if (w->cancel_on_progress != NULL)
    g_cancellable_cancel (w->cancel_on_progress);
}

static void
on_destroy (gpointer user_data)
{
  CloneWait *w = user_data;

  w->destroyed = TRUE;
}

static void
on_cloned (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CloneWait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static KwbGitRepo *
clone_sync_full (const char      *url,
                 const char      *dest,
                 const char      *branch,
                 KwbGitAuthFunc   auth,
                 gpointer         auth_data,
                 GCancellable    *cancellable,
                 GCancellable    *cancel_on_progress,
                 GPtrArray      **progress,
                 GError         **error)
{
  CloneWait w = { 0 };
  KwbGitRepo *repo;

  w.loop = g_main_loop_new (NULL, FALSE);
  w.progress = g_ptr_array_new_with_free_func (g_free);
  w.cancel_on_progress = cancel_on_progress;
  kwb_git_repo_clone_async (url, dest, branch, on_progress, &w, on_destroy, auth, auth_data,
                            cancellable ? cancellable : cancel_on_progress, on_cloned, &w);
  g_main_loop_run (w.loop);
  repo = kwb_git_repo_clone_finish (w.result, error);
  w.finished = TRUE;
  /* Nothing may arrive after the callback. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (w.progress_after_finish);
  g_clear_object (&w.result);
  g_main_loop_unref (w.loop);
  if (progress)
    *progress = w.progress;
  else
    g_ptr_array_unref (w.progress);
  /* The progress closure is released once the clone thread lets go of the
   * task (shortly after the callback); it must be released at all. */
  for (guint i = 0; !w.destroyed && i < 10000; i++)
    {
      g_usleep (1000);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (w.destroyed);
  return repo;
}

static KwbGitRepo *
clone_sync (const char    *url,
            const char    *dest,
            const char    *branch,
            GCancellable  *cancel_on_progress,
            GPtrArray    **progress,
            GError       **error)
{
  return clone_sync_full (url, dest, branch, NULL, NULL, NULL, cancel_on_progress, progress, error);
}

static void
test_open_and_summary (void)
{
  g_autofree char *dir = make_repo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = kwb_git_repo_open (dir, &error);
  g_autoptr(KwbGitCommit) head = NULL;
  g_autofree char *branch = NULL;
  g_auto(GStrv) branches = NULL;
  g_auto(GStrv) tags = NULL;
  g_auto(GStrv) changed = NULL;

  g_assert_no_error (error);
  branch = kwb_git_repo_dup_branch (repo);
  g_assert_cmpstr (branch, ==, "main");
  head = kwb_git_repo_dup_head (repo, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (head->subject, ==, "Third commit: add a README");
  g_assert_cmpstr (head->author, ==, "Test <test@example.org>");
  g_assert_cmpuint (strlen (head->id), ==, 40);
  g_assert_cmpuint (strlen (head->short_id), >=, 7);
  g_assert_true (g_str_has_prefix (head->id, head->short_id));
  g_assert_cmpint (head->time, >, 1600000000);

  branches = kwb_git_repo_list_branches (repo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (branches), ==, 2);
  g_assert_cmpstr (branches[0], ==, "main");
  g_assert_cmpstr (branches[1], ==, "topic");
  tags = kwb_git_repo_list_tags (repo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (tags), ==, 1);
  g_assert_cmpstr (tags[0], ==, "v1");

  changed = kwb_git_repo_list_changed_files (repo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (changed), ==, 0);
  g_assert_false (kwb_git_repo_is_dirty (repo));
  rm_rf (dir);
}

static void
test_open_not_a_repo (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *sub = NULL;
  g_autofree char *repo_dir = make_repo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = kwb_git_repo_open (dir, &error);

  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_NOT_A_REPOSITORY);
  g_assert_null (repo);
  g_clear_error (&error);

  /* A folder inside a work tree is not that tree's top: not searched upwards. */
  sub = g_build_filename (repo_dir, "init", NULL);
  repo = kwb_git_repo_open (sub, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_NOT_A_REPOSITORY);
  g_assert_null (repo);
  rm_rf (dir);
  rm_rf (repo_dir);
}

static void
test_dirty_and_checkout (void)
{
  g_autofree char *dir = make_repo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = kwb_git_repo_open (dir, &error);
  g_autoptr(KwbGitCommit) head = NULL;
  g_autoptr(KwbGitCommit) before = NULL;
  g_auto(GStrv) changed = NULL;
  g_autofree char *branch = NULL;
  g_autofree char *text = NULL;
  g_autofree char *main_c = g_build_filename (dir, "init", "main.c", NULL);

  g_assert_no_error (error);
  before = kwb_git_repo_dup_head (repo, &error);

  /* An untracked file is not a local change. */
  write_file (dir, "notes.txt", "mine\n");
  g_assert_false (kwb_git_repo_is_dirty (repo));

  write_file (dir, "init/main.c", "void start_kernel(void) { /* edited */ }\n");
  write_file (dir, "Makefile", "VERSION = 6\nPATCHLEVEL = 2\n");
  g_assert_true (kwb_git_repo_is_dirty (repo));
  changed = kwb_git_repo_list_changed_files (repo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (changed), ==, 2);
  g_assert_cmpstr (changed[0], ==, "Makefile");
  g_assert_cmpstr (changed[1], ==, "init/main.c");

  /* Refused, with the files named, and nothing touched. */
  g_assert_false (kwb_git_repo_checkout (repo, "v1", &error));
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_DIRTY);
  g_assert_nonnull (strstr (error->message, "init/main.c"));
  g_assert_nonnull (strstr (error->message, "Makefile"));
  g_assert_nonnull (strstr (error->message, "v1"));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (main_c, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "void start_kernel(void) { /* edited */ }\n");
  head = kwb_git_repo_dup_head (repo, NULL);
  g_assert_cmpstr (head->id, ==, before->id);
  g_clear_pointer (&head, kwb_git_commit_free);

  /* Clean again: the tag checks out detached, the branch as itself. */
  git (dir, "checkout -q -- .");
  g_assert_true (kwb_git_repo_checkout (repo, "v1", &error));
  g_assert_no_error (error);
  head = kwb_git_repo_dup_head (repo, NULL);
  g_assert_cmpstr (head->subject, ==, "Second commit");
  branch = kwb_git_repo_dup_branch (repo);
  g_assert_null (branch);
  g_assert_false (test_in (dir, "README", G_FILE_TEST_EXISTS));
  g_assert_true (test_in (dir, "notes.txt", G_FILE_TEST_EXISTS));

  g_assert_true (kwb_git_repo_checkout (repo, "main", &error));
  g_assert_no_error (error);
  branch = kwb_git_repo_dup_branch (repo);
  g_assert_cmpstr (branch, ==, "main");

  g_assert_false (kwb_git_repo_checkout (repo, "no-such-thing", &error));
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_UNKNOWN_REVISION);
  rm_rf (dir);
}

static void
test_clone_progress (void)
{
  g_autofree char *src = make_big_repo ();
  g_autofree char *parent = make_tmpdir ();
  g_autofree char *dest = g_build_filename (parent, "linux", NULL);
  g_autofree char *url = g_strdup_printf ("file://%s", src);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) progress = NULL;
  g_autoptr(KwbGitRepo) repo = clone_sync (url, dest, NULL, NULL, &progress, &error);
  g_autoptr(KwbGitCommit) head = NULL;
  g_autoptr(GDir) d = NULL;
  const KwbGitCloneProgress *last;
  guint n_entries = 0;

  g_assert_no_error (error);
  g_assert_nonnull (repo);
  head = kwb_git_repo_dup_head (repo, NULL);
  g_assert_cmpstr (head->subject, ==, "Big");
  g_assert_true (test_in (dest, "data/file-399.bin", G_FILE_TEST_IS_REGULAR));

  g_assert_cmpuint (progress->len, >, 0);
  for (guint i = 1; i < progress->len; i++)
    {
      const KwbGitCloneProgress *a = progress->pdata[i - 1];
      const KwbGitCloneProgress *b = progress->pdata[i];

      g_assert_cmpuint (b->received_objects, >=, a->received_objects);
      g_assert_cmpuint (b->indexed_objects, >=, a->indexed_objects);
      g_assert_cmpuint (b->received_bytes, >=, a->received_bytes);
      g_assert_cmpuint (b->checkout_done, >=, a->checkout_done);
    }
  last = progress->pdata[progress->len - 1];
  /* 400 blobs, 2 trees, 1 commit; 6.4 MB of random data. */
  g_assert_cmpuint (last->total_objects, ==, 403);
  g_assert_cmpuint (last->received_objects, ==, 403);
  g_assert_cmpuint (last->received_bytes, >, 400 * BIG_BLOB_WORDS * 4);
  g_assert_cmpuint (last->checkout_total, ==, 400);
  g_assert_cmpuint (last->checkout_done, ==, 400);
  g_assert_cmpfloat (last->bytes_per_second, >, 0);

  /* Only the clone in the parent: the staging folder was renamed. */
  d = g_dir_open (parent, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n_entries++;
  g_assert_cmpuint (n_entries, ==, 1);
  rm_rf (parent);
  rm_rf (src);
}

static void
test_clone_branch_and_tag (void)
{
  g_autofree char *src = make_repo ();
  g_autofree char *parent = make_tmpdir ();
  g_autofree char *dest_tag = g_build_filename (parent, "at-tag", NULL);
  g_autofree char *dest_branch = g_build_filename (parent, "at-branch", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) at_tag = NULL;
  g_autoptr(KwbGitRepo) at_branch = NULL;
  g_autoptr(KwbGitCommit) head = NULL;
  g_autofree char *branch = NULL;

  /* A plain local path works as well as a URL. */
  at_tag = clone_sync (src, dest_tag, "v1", NULL, NULL, &error);
  g_assert_no_error (error);
  head = kwb_git_repo_dup_head (at_tag, NULL);
  g_assert_cmpstr (head->subject, ==, "Second commit");
  g_assert_false (kwb_git_repo_is_dirty (at_tag));
  g_clear_pointer (&head, kwb_git_commit_free);

  at_branch = clone_sync (src, dest_branch, "topic", NULL, NULL, &error);
  g_assert_no_error (error);
  branch = kwb_git_repo_dup_branch (at_branch);
  g_assert_cmpstr (branch, ==, "topic");
  head = kwb_git_repo_dup_head (at_branch, NULL);
  g_assert_cmpstr (head->subject, ==, "Second commit");
  g_assert_false (test_in (dest_branch, "README", G_FILE_TEST_EXISTS));
  rm_rf (parent);
  rm_rf (src);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_clone_cancel (void)
{
  g_autofree char *src = make_big_repo ();
  g_autofree char *parent = make_tmpdir ();
  g_autofree char *dest = g_build_filename (parent, "linux", NULL);
  g_autofree char *url = g_strdup_printf ("file://%s", src);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) progress = NULL;
  g_autoptr(KwbGitRepo) repo = NULL;

  /* Cancelled from the first progress report, i.e. half-way. */
  repo = clone_sync (url, dest, NULL, cancellable, &progress, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CANCELLED);
  g_assert_null (repo);
  g_assert_cmpuint (progress->len, >=, 1);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (parent), ==, 0);
  rm_rf (parent);
  rm_rf (src);
}

static void
test_clone_errors (void)
{
  g_autofree char *src = make_repo ();
  g_autofree char *parent = make_tmpdir ();
  g_autofree char *busy = g_build_filename (parent, "busy", NULL);
  g_autofree char *fresh = g_build_filename (parent, "fresh", NULL);
  g_autofree char *mine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = NULL;

  /* Into a non-empty folder: refused, the user's file untouched. */
  write_file (busy, "mine.txt", "keep me\n");
  repo = clone_sync (src, busy, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_DESTINATION);
  g_assert_nonnull (strstr (error->message, busy));
  g_clear_error (&error);
  {
    g_autofree char *mine_path = g_build_filename (busy, "mine.txt", NULL);

    g_assert_true (g_file_get_contents (mine_path, &mine, NULL, NULL));
  }
  g_assert_cmpstr (mine, ==, "keep me\n");
  g_assert_cmpuint (count_entries (busy), ==, 1);

  /* Unreachable: a missing path and a closed port (no network needed). */
  repo = clone_sync ("file:///nonexistent/linux.git", fresh, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CLONE);
  g_assert_nonnull (strstr (error->message, "/nonexistent/linux.git"));
  g_clear_error (&error);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));

  repo = clone_sync ("http://127.0.0.1:9/linux.git", fresh, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CLONE);
  g_clear_error (&error);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));

  repo = clone_sync (src, fresh, "no-such-branch", NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_UNKNOWN_REVISION);
  g_clear_error (&error);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));

  /* Only the user's folder is left. */
  g_assert_cmpuint (count_entries (parent), ==, 1);

  /* An existing empty folder is fine. */
  g_assert_cmpint (g_mkdir (fresh, 0755), ==, 0);
  repo = clone_sync (src, fresh, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (repo);
  rm_rf (parent);
  rm_rf (src);
}


/* ---- credentials ---- */

static void
test_redact_url (void)
{
  static const struct { const char *in, *out; } cases[] = {
    /* A user name and password, or a lone token, go. */
    { "https://user:secret@git.example.org/linux.git", "https://git.example.org/linux.git" },
    { "http://user:secret@127.0.0.1:8080/r.git", "http://127.0.0.1:8080/r.git" },
    { "https://ghp_TOKEN123@github.com/torvalds/linux.git", "https://github.com/torvalds/linux.git" },
    { "https://oauth2:glpat-xyz@gitlab.com/a/b.git", "https://gitlab.com/a/b.git" },
    { "HTTPS://u:p@host/x", "HTTPS://host/x" },
    { "https://u:p@host", "https://host" },
    { "https://u:p@host?x=1", "https://host?x=1" },
    { "https://u:p@host#frag", "https://host#frag" },
    { "https://:secret@host/r", "https://host/r" },
    { "https://user:@host/r", "https://host/r" },
    { "https://user@host/r", "https://host/r" },
    /* Percent-encoded, or a raw '@' or ':' in the password: the last '@'
     * of the authority ends the userinfo. */
    { "https://us%40er:p%3Ass@host/r", "https://host/r" },
    { "https://user:p@ss:w@rd@host/r", "https://host/r" },
    { "https://user:pw@[::1]:8443/r.git", "https://[::1]:8443/r.git" },
    { "git://user:secret@host/r.git", "git://host/r.git" },
    { "ftp://user:secret@host/r.git", "ftp://host/r.git" },
    { "file://user:secret@localhost/srv/r.git", "file://localhost/srv/r.git" },
    /* SSH: the login name stays, a password goes. */
    { "ssh://git@host/r.git", "ssh://git@host/r.git" },
    { "ssh://user:secret@host:2222/r.git", "ssh://user@host:2222/r.git" },
    { "git+ssh://user:secret@host/r.git", "git+ssh://user@host/r.git" },
    { "ssh+git://user:secret@host/r.git", "ssh+git://user@host/r.git" },
    { "git@github.com:torvalds/linux.git", "git@github.com:torvalds/linux.git" },
    { "user:secret@host:r.git", "user@host:r.git" },
    /* No userinfo: unchanged, an '@' in the path included. */
    { "https://host/r.git", "https://host/r.git" },
    { "https://host/@scope/r.git", "https://host/@scope/r.git" },
    { "https://host/r.git?u=a@b", "https://host/r.git?u=a@b" },
    { "/srv/git/linux@v6.git", "/srv/git/linux@v6.git" },
    { "./a@b:c/d", "./a@b:c/d" },
    { "linux", "linux" },
    { "", "" },
    { "://user:secret@host", "://user:secret@host" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kwb_git_repo_redact_url (cases[i].in);

      g_test_message ("%s", cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* The Basic-auth server on a copy of make_repo (tagged v6.1) in a new
 * folder, which the caller removes. */
static char *
auth_server_start (KwbTestGitServer *server,
                   const char       *user,
                   const char       *password)
{
  g_autofree char *src = make_repo ();
  char *root = make_tmpdir ();
  g_autofree char *bare = g_build_filename (root, "linux.git", NULL);
  g_autofree char *cmd = g_strdup_printf ("git clone -q --bare '%s' '%s'", src, bare);
  g_autoptr(GError) error = NULL;

  git (src, "tag v6.1");
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  rm_rf (src);
  kwb_test_git_server_start (server, root, user, password);
  return root;
}

typedef struct {
  guint         calls;
  const char   *user;        /* NULL: cancel the request */
  const char   *password;
  GCancellable *cancel_clone; /* set: cancel the clone instead of answering */
  char         *seen_url;
  char         *seen_host;
  char         *seen_user;
} Provider;

static void
provide (KwbGitAuthRequest *request,
         gpointer           user_data)
{
  Provider *p = user_data;

  p->calls++;
  g_free (p->seen_url);
  g_free (p->seen_host);
  g_free (p->seen_user);
  p->seen_url = g_strdup (kwb_git_auth_request_get_url (request));
  p->seen_host = g_strdup (kwb_git_auth_request_get_host (request));
  p->seen_user = g_strdup (kwb_git_auth_request_get_username (request));
  if (p->cancel_clone != NULL)
    g_cancellable_cancel (p->cancel_clone);
  else if (p->user == NULL)
    kwb_git_auth_request_cancel (request);
  else
    kwb_git_auth_request_reply (request, p->user, p->password);
}

static void
provider_clear (Provider *p)
{
  g_clear_pointer (&p->seen_url, g_free);
  g_clear_pointer (&p->seen_host, g_free);
  g_clear_pointer (&p->seen_user, g_free);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (path, &text, NULL, NULL) && strstr (text, needle) != NULL;
}

/* A server that asks for Basic auth: the credentials of the address are
 * used once and appear nowhere; without them the caller's provider is
 * asked once; refused credentials end the clone instead of a retry loop;
 * with nobody to ask the clone fails at once. Nothing is left behind by a
 * failure. */
static void
test_clone_auth (void)
{
  KwbTestGitServer server = { 0 };
  g_autofree char *root = NULL;
  g_autofree char *parent = make_tmpdir ();
  g_autofree char *dest = g_build_filename (parent, "linux", NULL);
  g_autofree char *config = g_build_filename (dest, ".git", "config", NULL);
  g_autofree char *plain = NULL;
  g_autofree char *with_secret = NULL;
  g_autofree char *with_wrong = NULL;
  g_autofree char *with_user = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = NULL;
  g_autoptr(KwbGitCommit) head = NULL;
  Provider right = { .user = "kwb-user", .password = "s3cr3t-Pa55" };
  Provider wrong = { .user = "kwb-user", .password = "not-the-Pa55" };
  Provider cancels = { 0 };
  Provider asked = { .user = "kwb-user", .password = "s3cr3t-Pa55" };

  root = auth_server_start (&server, "kwb-user", "s3cr3t-Pa55");
  host = g_strdup_printf ("127.0.0.1:%u", server.port);
  plain = g_strdup_printf ("http://%s/linux.git", host);
  with_secret = g_strdup_printf ("http://kwb-user:s3cr3t-Pa55@%s/linux.git", host);
  with_wrong = g_strdup_printf ("http://kwb-user:not-the-Pa55@%s/linux.git", host);
  with_user = g_strdup_printf ("http://kwb-user@%s/linux.git", host);

  /* Nobody to ask (the CLI): fails at the first 401, saying what to do. */
  repo = clone_sync (plain, dest, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_AUTH_REQUIRED);
  g_assert_nonnull (strstr (error->message, "user name and a password or token"));
  g_assert_nonnull (strstr (error->message, host));
  g_assert_cmpuint (kwb_test_git_server_take_refusals (&server), ==, 1);
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (parent), ==, 0);

  /* Credentials in the address: used, then shown and stored nowhere. */
  repo = clone_sync (with_secret, dest, "v6.1", NULL, NULL, &error);
  g_assert_no_error (error);
  head = kwb_git_repo_dup_head (repo, NULL);
  g_assert_cmpstr (head->subject, ==, "Third commit: add a README");
  g_assert_true (file_contains (config, plain));
  g_assert_false (file_contains (config, "s3cr3t"));
  g_assert_false (file_contains (config, "kwb-user"));
  g_clear_object (&repo);
  rm_rf (dest);

  /* Wrong ones in the address: one try, a clear error, no secret in it. */
  kwb_test_git_server_take_refusals (&server);
  repo = clone_sync (with_wrong, dest, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "authentication failed"));
  g_assert_nonnull (strstr (error->message, plain));
  g_assert_null (strstr (error->message, "not-the-Pa55"));
  g_assert_null (strstr (error->message, "kwb-user"));
  /* The anonymous probe and the one refused try; no loop. */
  g_assert_cmpuint (kwb_test_git_server_take_refusals (&server), ==, 2);
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (parent), ==, 0);

  /* An unreachable server: libgit2's own message, the address without
   * its credentials. */
  repo = clone_sync ("http://kwb-user:s3cr3t-Pa55@127.0.0.1:9/linux.git", dest, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CLONE);
  g_assert_nonnull (strstr (error->message, "“http://127.0.0.1:9/linux.git”"));
  g_assert_null (strstr (error->message, "s3cr3t"));
  g_assert_null (strstr (error->message, "kwb-user"));
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (parent), ==, 0);

  /* A provider that knows them: asked once, with the address shown clean. */
  repo = clone_sync_full (plain, dest, NULL, provide, &right, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (repo);
  g_assert_cmpuint (right.calls, ==, 1);
  g_assert_cmpstr (right.seen_url, ==, plain);
  g_assert_cmpstr (right.seen_host, ==, host);
  g_assert_null (right.seen_user);
  g_assert_false (file_contains (config, "s3cr3t"));
  g_clear_object (&repo);
  rm_rf (dest);

  /* A provider that is wrong: asked once, then "authentication failed". */
  kwb_test_git_server_take_refusals (&server);
  repo = clone_sync_full (plain, dest, NULL, provide, &wrong, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "authentication failed"));
  g_assert_null (strstr (error->message, "not-the-Pa55"));
  g_assert_cmpuint (wrong.calls, ==, 1);
  g_assert_cmpuint (kwb_test_git_server_take_refusals (&server), ==, 2);
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (parent), ==, 0);

  /* A user name alone in the address is offered to the provider, and the
   * address it shows has none. */
  repo = clone_sync_full (with_user, dest, NULL, provide, &asked, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asked.calls, ==, 1);
  g_assert_cmpstr (asked.seen_user, ==, "kwb-user");
  g_assert_cmpstr (asked.seen_url, ==, plain);
  g_clear_object (&repo);
  rm_rf (dest);

  /* The user cancels the question: a cancelled clone, nothing kept. */
  repo = clone_sync_full (plain, dest, NULL, provide, &cancels, NULL, NULL, NULL, &error);
  g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CANCELLED);
  g_assert_cmpuint (cancels.calls, ==, 1);
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (parent), ==, 0);

  /* The clone is cancelled while its question is open (the window
   * closed): the waiting thread wakes, nothing kept. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Provider unanswered = { .cancel_clone = cancellable };

    repo = clone_sync_full (plain, dest, NULL, provide, &unanswered, cancellable, NULL, NULL, &error);
    g_assert_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CANCELLED);
    g_assert_cmpuint (unanswered.calls, ==, 1);
    g_clear_error (&error);
    g_assert_cmpuint (count_entries (parent), ==, 0);
    provider_clear (&unanswered);
  }

  provider_clear (&right);
  provider_clear (&wrong);
  provider_clear (&cancels);
  provider_clear (&asked);
  kwb_test_git_server_stop (&server);
  rm_rf (root);
  rm_rf (parent);
}

static void
write_manifest (const char *path,
                const char *commit,
                gboolean    dirty)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_set_string (kf, "kernel", "source-commit", commit);
  g_key_file_set_boolean (kf, "kernel", "source-dirty", dirty);
  g_key_file_save_to_file (kf, path, &error);
  g_assert_no_error (error);
}

static void
set_mtime (const char *path,
           gint64      seconds)
{
  struct utimbuf t = { .actime = seconds, .modtime = seconds };

  g_assert_cmpint (utime (path, &t), ==, 0);
}

static void
test_build_stale (void)
{
  g_autofree char *dir = make_repo ();
  g_autofree char *build = make_tmpdir ();
  g_autofree char *manifest = g_build_filename (build, "kwb-manifest.ini", NULL);
  g_autofree char *main_c = g_build_filename (dir, "init", "main.c", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = kwb_git_repo_open (dir, &error);
  g_autoptr(KwbGitCommit) head = kwb_git_repo_dup_head (repo, NULL);
  g_autofree char *reason = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_no_error (error);

  /* No manifest, or one from a non-git tree: nothing to compare. */
  g_assert_false (kwb_git_repo_is_build_stale (repo, build, &reason));
  g_assert_null (reason);

  write_manifest (manifest, head->id, FALSE);
  g_assert_false (kwb_git_repo_is_build_stale (repo, build, &reason));
  g_assert_null (reason);

  /* Touch a source file: stale, and the reason names it. */
  write_file (dir, "init/main.c", "void start_kernel(void) { /* touched */ }\n");
  g_assert_true (kwb_git_repo_is_build_stale (repo, build, &reason));
  g_assert_nonnull (strstr (reason, "init/main.c"));
  g_clear_pointer (&reason, g_free);

  /* Built with that change: fresh again; edited later: stale. */
  write_manifest (manifest, head->id, TRUE);
  set_mtime (manifest, now);
  set_mtime (main_c, now - 60);
  g_assert_false (kwb_git_repo_is_build_stale (repo, build, &reason));
  set_mtime (main_c, now + 60);
  g_assert_true (kwb_git_repo_is_build_stale (repo, build, &reason));
  g_assert_nonnull (strstr (reason, "init/main.c"));
  g_clear_pointer (&reason, g_free);

  /* Built dirty, now clean. */
  git (dir, "checkout -q -- .");
  g_assert_true (kwb_git_repo_is_build_stale (repo, build, &reason));
  g_clear_pointer (&reason, g_free);

  /* A new commit since the build. */
  write_manifest (manifest, head->id, FALSE);
  write_file (dir, "README", "four\n");
  git (dir, "commit -q -a -m 'Fourth'");
  g_assert_true (kwb_git_repo_is_build_stale (repo, build, &reason));
  g_assert_nonnull (strstr (reason, "commit"));
  g_clear_pointer (&reason, g_free);

  /* A manifest without source-commit (a tarball build) is never stale here. */
  g_assert_true (g_file_set_contents (manifest, "[kernel]\nsource=/x\n", -1, NULL));
  g_assert_false (kwb_git_repo_is_build_stale (repo, build, &reason));
  rm_rf (dir);
  rm_rf (build);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *git_path = g_find_program_in_path ("git");

  g_test_init (&argc, &argv, NULL);

  if (git_path == NULL)
    {
      g_test_skip ("git is not installed (apt-get install git): the test repositories are made with it");
      return g_test_run ();
    }
  g_setenv ("GIT_CONFIG_NOSYSTEM", "1", TRUE);
  g_setenv ("GIT_CONFIG_GLOBAL", "/dev/null", TRUE);

  g_test_add_func ("/git-repo/open-and-summary", test_open_and_summary);
  g_test_add_func ("/git-repo/open-not-a-repo", test_open_not_a_repo);
  g_test_add_func ("/git-repo/dirty-and-checkout", test_dirty_and_checkout);
  g_test_add_func ("/git-repo/clone-progress", test_clone_progress);
  g_test_add_func ("/git-repo/clone-branch-and-tag", test_clone_branch_and_tag);
  g_test_add_func ("/git-repo/clone-cancel", test_clone_cancel);
  g_test_add_func ("/git-repo/clone-errors", test_clone_errors);
  g_test_add_func ("/git-repo/build-stale", test_build_stale);
  g_test_add_func ("/git-repo/redact-url", test_redact_url);
  g_test_add_func ("/git-repo/clone-auth", test_clone_auth);
  return g_test_run ();
}
